package org.oobnet.reliability.privilege;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.netns.testing.Privileges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The runtime without root: a child JVM run as {@code nobody} (uid 65534) in a namespace prepared here, given
 * CAP_NET_RAW alone as an ambient capability ({@code setpriv --inh-caps=+net_raw --ambient-caps=+net_raw}), opens
 * and binds an OOB packet socket with mapped rings; without any capability the same child fails with EPERM
 * named in the message. CAP_NET_ADMIN is not needed for the socket, its rings or {@code PACKET_QDISC_BYPASS}:
 * only for making namespaces and links, which the test does as root.
 */
class LeastPrivilegeTest
{
    private static final int NOBODY = 65534;
    private static NetnsFixture fixture;
    private static Path work;
    private static String classPath;

    @BeforeAll
    static void prepare() throws IOException
    {
        fixture = NetnsFixture.create(2);
        final Path setpriv = Path.of("/usr/bin/setpriv");
        if (!Files.isExecutable(setpriv))
        {
            final String reason = "setpriv (util-linux) is not installed";
            if (Privileges.isPrivilegeRequired())
            {
                fail(reason);
            }
            assumeTrue(false, reason);
        }
        // nobody cannot read root's Maven repository: the class path is copied where everyone can read it
        work = Files.createTempDirectory("oobt-" + ProcessHandle.current().pid() + "-priv-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        final List<String> entries = new ArrayList<>();
        int index = 0;
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final Path source = Path.of(entry);
            if (!Files.exists(source))
            {
                continue;
            }
            final Path target = work.resolve("cp" + index++ + (Files.isDirectory(source) ? "" : ".jar"));
            copy(source, target);
            entries.add(target.toString());
        }
        classPath = String.join(File.pathSeparator, entries);
    }

    @AfterAll
    static void cleanUp() throws IOException
    {
        try
        {
            if (null != work)
            {
                try (Stream<Path> paths = Files.walk(work))
                {
                    for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                    {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
        finally
        {
            if (null != fixture)
            {
                fixture.close();
            }
        }
    }

    @Test
    void shouldOpenOobPacketSocketWhenUnprivilegedUserHoldsOnlyCapNetRaw() throws Exception
    {
        final Probe probe = runProbe("net_raw", "with-raw");
        assertEquals(0, probe.exitCode, probe.output);
        assertTrue(probe.output.contains("uid=" + NOBODY + " CapEff=0000000000002000\n"), probe.output);
        assertTrue(probe.output.matches("(?s).*\nOPENED oob=true ringMappings=[1-9][0-9]*\n.*"), probe.output);
        assertTrue(probe.output.contains(" mode=rw-------\n"), "counters file owner-only: " + probe.output);
        assertTrue(probe.output.endsWith("CLOSED\n"), probe.output);
    }

    @Test
    void shouldFailWithClearEpermWhenUnprivilegedUserLacksCapNetRaw() throws Exception
    {
        final Probe probe = runProbe(null, "without-raw");
        assertEquals(3, probe.exitCode, probe.output);
        assertTrue(probe.output.contains("uid=" + NOBODY + " CapEff=0000000000000000\n"), probe.output);
        assertTrue(probe.output.contains("FAILED errno=EPERM message="), probe.output);
        assertTrue(probe.output.contains("EPERM"), probe.output);
    }

    private record Probe(int exitCode, String output)
    {
    }

    private static Probe runProbe(final String capability, final String name) throws Exception
    {
        final Path countersDir = work.resolve("counters-" + name);
        Files.createDirectories(countersDir);
        Files.setAttribute(countersDir, "unix:uid", NOBODY);
        Files.setAttribute(countersDir, "unix:gid", NOBODY);
        final NetnsFixture.Host host = fixture.host(0);
        final List<String> command = new ArrayList<>(List.of(
            "ip", "netns", "exec", host.namespace(),
            "/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        if (null != capability)
        {
            command.add("--inh-caps=+" + capability);
            command.add("--ambient-caps=+" + capability);
        }
        else
        {
            // a root parent's bounding set would otherwise hand nothing on anyway; say so explicitly
            command.add("--inh-caps=-all");
        }
        command.addAll(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:-UsePerfData", "-Xshare:off", "-Xmx128m",
            "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Djava.io.tmpdir=" + countersDir,
            "-cp", classPath, PacketSocketProbe.class.getName(), host.interfaceName(), countersDir.toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("probe did not finish: " + output);
        }
        System.out.println(String.join(" ", command.subList(0, command.indexOf("-cp"))) + " ...\n" + output);
        return new Probe(process.exitValue(), output);
    }

    private static void copy(final Path source, final Path target) throws IOException
    {
        if (!Files.isDirectory(source))
        {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> paths = Files.walk(source))
        {
            for (final Path path : paths.toList())
            {
                final Path to = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(to);
                }
                else
                {
                    Files.copy(path, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (Stream<Path> paths = Files.walk(target))
        {
            for (final Path path : paths.toList())
            {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
