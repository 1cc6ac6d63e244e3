package org.oobnet.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.netns.testing.Privileges;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.*;

class DoctorCommandTest
{
    private static final List<String> CHECKS = List.of(
        "jdk", "cpus", "kernel", "clocksource", "isolated cpus", "nohz_full", "cpu governor", "transparent hugepages",
        "memlock", "CAP_NET_RAW", "CAP_NET_ADMIN", "netns + veth", "timestamping", "config");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(final String... args)
    {
        final CommandLine cli = OobnetCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void shouldPrintEveryCheckWithStatusWhenRunForReal()
    {
        final int status = execute("doctor");

        final String report = out.toString();
        final List<String> lines = report.lines().toList();
        assertEquals("oobnet doctor: preflight of this machine for the OOB path", lines.getFirst(), report);
        for (final String check : CHECKS)
        {
            assertTrue(lines.stream().anyMatch(line -> line.matches("  (OK  |WARN|FAIL)  " +
                java.util.regex.Pattern.quote(check) + " +\\S.*")), "no line for " + check + " in\n" + report);
        }
        assertTrue(lines.getLast().startsWith("summary: "), report);
        assertEquals(report.contains("\n  FAIL  ") ? 1 : 0, status, report);
        assertTrue(report.contains("  OK    jdk  ") && report.contains(System.getProperty("java.home")), report);
        assertTrue(report.contains("  OK    config  "), report);
        assertFalse(Files.exists(Path.of("/run/netns/oobnet-doctor-" + ProcessHandle.current().pid())));

        final String missing = Privileges.missingNetworkPrivileges();
        if (missing == null)
        {
            assertTrue(report.contains("  OK    CAP_NET_RAW  "), report);
            assertTrue(report.contains("  OK    CAP_NET_ADMIN  "), report);
            assertTrue(report.contains("  OK    netns + veth  "), report);
        }
        else
        {
            assertFalse(Privileges.isPrivilegeRequired(),
                Privileges.REQUIRE_PRIVILEGED_ENV + "=1 but this process lacks " + missing + ":\n" + report);
            assertTrue(report.contains("  FAIL  "), report);
            assertEquals(1, status);
        }
    }

    @Test
    void shouldExitOneWithFailLinesWhenCapabilitiesAreDropped() throws Exception
    {
        Privileges.requireNetworkPrivileges("running the doctor with capabilities dropped by setpriv");
        final Path setpriv = Path.of("/usr/bin/setpriv");
        assertTrue(Files.isExecutable(setpriv), "util-linux's setpriv is missing");

        // Dropping them from the bounding set removes them from a root process' effective set at exec.
        final Process doctor = new ProcessBuilder(
            setpriv.toString(), "--bounding-set", "-net_raw,-net_admin,-sys_admin",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            OobnetCli.class.getName(), "doctor")
            .redirectErrorStream(true)
            .start();
        doctor.getOutputStream().close();
        final String report = new String(doctor.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(doctor.waitFor(60, TimeUnit.SECONDS), report);

        assertEquals(1, doctor.exitValue(), report);
        assertTrue(report.matches("(?s).*\n  FAIL  CAP_NET_RAW +CapEff [0-9a-f]{16} lacks CAP_NET_RAW .*"), report);
        assertTrue(report.matches("(?s).*\n  WARN  CAP_NET_ADMIN +CapEff [0-9a-f]{16} lacks CAP_NET_ADMIN \\(needed only " +
            "to make network namespaces.*"), report);
        assertTrue(report.matches("(?s).*\n  FAIL  netns \\+ veth +ip netns add oobnet-doctor-" + doctor.pid() +
            ": .*"), report);
        assertTrue(report.contains("\nsummary: ") && report.contains(" 2 FAIL: NOT READY, a requirement of the OOB " +
            "path is missing (FAIL above)\n"), report);
        assertFalse(Files.exists(Path.of("/run/netns/oobnet-doctor-" + doctor.pid())));
    }

    @Test
    void shouldFailWhenConfigurationIsInvalid() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("bad.toml"), "[stage]\nidle_strategy = \"sleep\"\n");

        final int status = execute("doctor", "--config", file.toString());

        assertEquals(1, status);
        assertTrue(out.toString().contains("""
              FAIL  config                 1 problem(s) in %1$s:
                                           stage.idle_strategy="sleep": must be one of spin, yield, backoff, noop [%1$s:2]
                                           -> fix the values above; ./oobnet config --print shows every value and where \
            it came from
            """.formatted(file)), out.toString());
    }
}
