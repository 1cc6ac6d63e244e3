package org.oobnet.core;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.core.counters.CountersFile;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.core.counters.CountersPrinter;
import org.oobnet.core.counters.StallHistogram;
import org.oobnet.inband.KSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;

/**
 * The counters file: owner-only, readable live from another JVM, errors in the distinct error log, stalls counted.
 */
class CountersFileTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCreateOwnerOnlyFileAndDeleteItOnClose()
    {
        final Path counters = dir.resolve("sub");
        final Path file;
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(counters).build()))
        {
            file = runtime.countersPath();
            assertEquals(counters.resolve("counters.dat"), file);
            assertEquals("rw-------", PosixFilePermissions.toString(posix(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(posix(counters)));
        }
        assertFalse(Files.exists(file));
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> posix(final Path path)
    {
        try
        {
            return Files.getPosixFilePermissions(path);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void shouldRefuseDirectoryOfLiveRuntime() throws Exception
    {
        final Path file = dir.resolve("counters.dat");
        try (CountersFile ignored = CountersFile.create(dir, 8192, 4096))
        {
            // same pid: a stale file of this process is taken over; fake another live owner (pid 1)
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                file, java.nio.file.StandardOpenOption.WRITE))
            {
                final java.nio.ByteBuffer pid = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                pid.putLong(0, 1L);
                channel.write(pid, 8);
            }
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> CountersFile.create(dir, 8192, 4096));
            assertEquals("countersFile=" + file + " is in use by the live runtime of pid=1: give this runtime " +
                "another countersDir", ex.getMessage());
        }
    }

    @Test
    void shouldRejectFileThatIsNotCountersFile() throws Exception
    {
        final Path file = dir.resolve("counters.dat");
        Files.write(file, new byte[256]);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CountersFileReader.open(file));
        assertEquals("countersFile=" + file + ": magic=0x0 is not 0x43424f4f (not an oobnet counters file, or not " +
            "yet initialised)", ex.getMessage());
    }

    @Test
    void shouldRecordStageErrorsInDistinctErrorLog() throws Exception
    {
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir).build()))
        {
            final OobTask failing = new OobTask()
            {
                int calls;

                @Override
                public int doWork(final long nowNs)
                {
                    if (calls++ < 3)
                    {
                        throw new IllegalStateException("task failed on purpose");
                    }
                    return 0;
                }
            };
            runtime.addTask(failing, OobTask.Schedule.EVERY_CYCLE);
            CoreTests.await(() -> runtime.counters().errors().get() == 3, "3 errors");
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (CountersFileReader reader = CountersFileReader.open(runtime.countersPath()))
            {
                final java.io.PrintWriter writer = new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8);
                assertEquals(1, new CountersPrinter(writer, writer).printErrors(reader));
                writer.flush();
            }
            final String text = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("3 observations from "), text);
            assertTrue(text.contains("java.lang.IllegalStateException: task failed on purpose"), text);
            assertTrue(text.endsWith("1 distinct errors observed.\n"), text);
        }
    }

    @Test
    void shouldCountStallAndKeepItsDurationWhenCycleExceedsThreshold() throws Exception
    {
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir).stallThresholdNs(1_000_000L).build()))
        {
            final OobTask slow = new OobTask()
            {
                boolean done;

                @Override
                public int doWork(final long nowNs)
                {
                    if (!done)
                    {
                        done = true;
                        final long end = System.nanoTime() + 5_000_000L;
                        while (System.nanoTime() - end < 0)
                        {
                            Thread.onSpinWait();
                        }
                    }
                    return 0;
                }
            };
            runtime.addTask(slow, OobTask.Schedule.EVERY_CYCLE);
            CoreTests.await(() -> runtime.counters().maxCycleNs().get() >= 5_000_000L, "slow cycle measured");
            final long cycles = runtime.counters().cycles().get();
            CoreTests.await(() -> runtime.counters().cycles().get() > cycles + 2, "later cycles");
            assertTrue(runtime.counters().stalls().get() >= 1);
            final long[] buckets = runtime.stallHistogram();
            long total = 0;
            long atLeast5ms = 0;
            for (int i = 0; i < buckets.length; i++)
            {
                total += buckets[i];
                atLeast5ms += i >= StallHistogram.bucketIndex(5_000_000L) ? buckets[i] : 0;
            }
            assertEquals(runtime.counters().stalls().get(), total);
            // the 5 ms cycle lands in [2^22, 2^23) ns = [4.2 ms, 8.4 ms), or above if the thread was descheduled
            assertTrue(atLeast5ms >= 1, java.util.Arrays.toString(buckets));
        }
    }

    @Test
    void shouldReadLiveCountersFromAnotherJvm() throws Exception
    {
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir).build());
             Arena arena = Arena.ofShared();
             KSocket sink = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
             KSocket source = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0))
        {
            sink.bind(OobBusAddress.encode("stat-sink", arena));
            source.connect(OobBusAddress.encode("stat-sink", arena));
            final OobSocket out = OobSocket.of(source);
            for (int i = 0; i < 7; i++)
            {
                assertEquals(0, out.offer(new UnsafeBuffer(new byte[100]), 0, 100));
            }
            CoreTests.await(() -> OobSocket.of(sink).counters().packetsIn().get() == 7, "delivered");

            final List<String> first = stat("--once", "--dir", dir.toString());
            final List<String> second = stat("--once", "--dir", dir.toString());
            assertTrue(first.getFirst().startsWith("oobnet stat " + runtime.countersPath() + " pid=" +
                ProcessHandle.current().pid() + " running stage cpu=" + runtime.stageCpu()), first.getFirst());
            assertEquals(7, value(first, "packets out: bus fd=" + source.fd() + " id=" + out.id()));
            assertEquals(700, value(first, "bytes in: bus fd=" + sink.fd() + " id=" + OobSocket.of(sink).id()));
            assertTrue(value(second, "stage cycles") > value(first, "stage cycles"), "live: cycles advance");
        }
    }

    private static long value(final List<String> lines, final String label)
    {
        final Pattern pattern = Pattern.compile("^\\s*\\d+:\\s+([\\d,]+) - " + Pattern.quote(label) + "$");
        for (final String line : lines)
        {
            final Matcher m = pattern.matcher(line);
            if (m.matches())
            {
                return Long.parseLong(m.group(1).replace(",", ""));
            }
        }
        throw new AssertionError("no counter label=" + label + " in:\n" + String.join("\n", lines));
    }

    private static List<String> stat(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CountersPrinter.class.getName());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output.lines().toList();
    }
}
