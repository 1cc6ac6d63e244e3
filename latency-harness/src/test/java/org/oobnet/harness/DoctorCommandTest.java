package org.oobnet.harness;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.config.CpuTopology;
import org.oobnet.harness.doctor.Capabilities;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.*;

class DoctorCommandTest
{
    private static final List<String> CHECKS = List.of(
        "jdk", "cpus", "kernel", "clocksource", "isolated cpus", "nohz_full", "cpu governor", "transparent hugepages",
        "memlock", "CAP_NET_RAW", "CAP_NET_ADMIN", "netns + veth", "config");

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

    private static boolean privileged()
    {
        return CpuTopology.readStatusField(CpuTopology.PROC_SELF_STATUS, "CapEff")
            .map(Capabilities::decode)
            .map(caps -> caps.has(Capabilities.CAP_NET_RAW) && caps.has(Capabilities.CAP_NET_ADMIN) &&
                caps.has(Capabilities.CAP_SYS_ADMIN))
            .orElse(false);
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

        if (privileged())
        {
            assertTrue(report.contains("  OK    CAP_NET_RAW  "), report);
            assertTrue(report.contains("  OK    CAP_NET_ADMIN  "), report);
            assertTrue(report.contains("  OK    netns + veth  "), report);
        }
        else
        {
            assertNotEquals("1", System.getenv("OOBNET_REQUIRE_PRIVILEGED"),
                "OOBNET_REQUIRE_PRIVILEGED=1 but this process lacks CAP_NET_RAW/CAP_NET_ADMIN/CAP_SYS_ADMIN:\n" + report);
            assertTrue(report.contains("  FAIL  "), report);
            assertEquals(1, status);
        }
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
