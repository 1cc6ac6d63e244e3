package org.oobnet.reliability.counters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.counters.CountersFileDescriptor;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.harness.cli.OobnetCli;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runtime killed with SIGKILL leaves its counters file behind: {@code oobnet stat} reads it and says its owner
 * is not running, the next runtime on the same directory replaces it; while the owner lives, a second runtime is
 * refused with the owner's pid. The file is readable and writable by its owner only.
 */
class KilledRuntimeCountersFileTest
{
    @TempDir
    Path countersDir;

    @Test
    void shouldReportDeadOwnerAndReplaceFileWhenRuntimeWasKilled() throws Exception
    {
        final Path file = countersDir.resolve(CountersFileDescriptor.FILE_NAME);
        final Process child = startHolder();
        final long childPid = child.pid();
        try
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "counters file owner-only");
            try (CountersFileReader reader = CountersFileReader.open(file))
            {
                assertEquals(childPid, reader.pid());
                assertTrue(reader.isOwnerAlive(), "owner alive while the child runs");
            }
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> startHere());
            assertEquals("countersFile=" + file + " is in use by the live runtime of pid=" + childPid +
                ": give this runtime another countersDir", refused.getMessage());
        }
        finally
        {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, the file stays
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child killed");
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        assertTrue(Files.exists(file), "a killed runtime leaves its counters file");

        try (CountersFileReader reader = CountersFileReader.open(file))
        {
            assertEquals(childPid, reader.pid());
            assertFalse(reader.isOwnerAlive(), "owner dead after SIGKILL");
        }
        final String stat = stat();
        assertTrue(stat.startsWith("oobnet stat " + file + " pid=" + childPid +
            " NOT RUNNING (owner dead, e.g. killed; the next start replaces this file) stage cpu="), stat);

        try (OobRuntime runtime = startHere())
        {
            try (CountersFileReader reader = CountersFileReader.open(runtime.countersPath()))
            {
                assertEquals(ProcessHandle.current().pid(), reader.pid(), "the next start replaced the dead file");
                assertTrue(reader.isOwnerAlive());
            }
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertTrue(stat().startsWith("oobnet stat " + file + " pid=" + ProcessHandle.current().pid() +
                " running stage cpu="));
        }
        assertFalse(Files.exists(file), "a clean close deletes the file");
    }

    private OobRuntime startHere()
    {
        return OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(countersDir)
            .build());
    }

    private String stat()
    {
        final StringWriter out = new StringWriter();
        final CommandLine cli = OobnetCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        assertEquals(0, cli.execute("stat", "--once", "--dir", countersDir.toString()), out.toString());
        return out.toString();
    }

    private Process startHolder() throws Exception
    {
        final Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:-UsePerfData", "-Xmx128m",
            "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), RuntimeHolder.class.getName(), countersDir.toString())
            .redirectErrorStream(true)
            .start();
        child.getOutputStream().close();
        final BufferedReader lines = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        final StringBuilder seen = new StringBuilder();
        String line;
        while (null != (line = lines.readLine()))
        {
            seen.append(line).append('\n');
            if (line.startsWith("STARTED "))
            {
                return child;
            }
        }
        child.destroyForcibly();
        throw new AssertionError("holder did not start: " + seen);
    }
}
