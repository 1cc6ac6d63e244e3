package org.oobnet.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.KSocket;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;

class StatCommandTest
{
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
    void shouldPrintOneReadingOfRunningRuntime() throws Exception
    {
        final OobConfig config = OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(dir)
            .countersValuesBytes(1024 * 128)
            .errorLogBytes(4096)
            .build();
        try (OobRuntime runtime = OobRuntime.start(config);
             KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0))
        {
            final OobSocket context = OobSocket.of(socket);
            assertEquals(0, context.offer(new UnsafeBuffer(new byte[4]), 0, 4));
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (context.counters().dropsNoPeer().get() != 1 && System.nanoTime() - deadline < 0)
            {
                Thread.yield();
            }

            assertEquals(0, execute("stat", "--once", "--dir", dir.toString()), err.toString());
            final String text = out.toString();
            assertTrue(text.startsWith("oobnet stat " + runtime.countersPath() + " pid=" +
                ProcessHandle.current().pid() + " running stage cpu=" + runtime.stageCpu() +
                (runtime.isolated() ? "" : " noisol") + "\n"), text);
            assertTrue(text.contains(" - stage cycles\n"), text);
            assertTrue(text.matches("(?s).*\\s1 - drops no peer: bus fd=" + socket.fd() + " id=" + context.id() +
                "\n.*"), text);

            out.getBuffer().setLength(0);
            assertEquals(0, execute("stat", "--errors", "--dir", dir.toString()), err.toString());
            assertEquals("0 distinct errors observed.\n", out.toString());
        }
    }

    @Test
    void shouldSayWhereItLookedWhenNoRuntimeRuns()
    {
        assertEquals(1, execute("stat", "--once", "--dir", dir.toString()));
        assertEquals("oobnet stat: no counters file: countersFile=" + dir.resolve("counters.dat") +
            " does not exist (is a runtime running with countersDir=" + dir + "?)\n", err.toString());
    }

    @Test
    void shouldReadLiveCountersFromAnotherJvm() throws Exception
    {
        final OobConfig config = OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(dir)
            .countersValuesBytes(1024 * 128)
            .errorLogBytes(4096)
            .build();
        try (OobRuntime runtime = OobRuntime.start(config))
        {
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (runtime.counters().cycles().get() == 0 && System.nanoTime() - deadline < 0)
            {
                Thread.yield();
            }
            final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), OobnetCli.class.getName(),
                "stat", "--once", "--dir", dir.toString()));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("oobnet stat " + runtime.countersPath() + " pid=" +
                ProcessHandle.current().pid() + " running"), output);
            final java.util.regex.Matcher cycles = java.util.regex.Pattern
                .compile("(?m)^\\s*\\d+:\\s+([\\d,]+) - stage cycles$").matcher(output);
            assertTrue(cycles.find(), output);
            assertTrue(Long.parseLong(cycles.group(1).replace(",", "")) > 0, output);
        }
    }
}
