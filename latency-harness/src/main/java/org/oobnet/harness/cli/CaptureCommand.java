package org.oobnet.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.oobnet.packet.capture.CaptureSession;
import org.oobnet.packet.capture.PcapngWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code oobnet capture -i IF -w FILE.pcapng [--count N] [--duration TIME] [--snaplen N] [FILTER...]}: writes what
 * a running runtime's OOB rings on an interface receive and send (TX ring included, which tcpdump cannot see with
 * {@code PACKET_QDISC_BYPASS}) to a pcapng file, until the count, the duration or Ctrl-C; then prints one line:
 * frames written, received, sent, and records the stage dropped because this reader fell behind.
 * <p>
 * The runtime is found as {@code oobnet stat} finds it: its counters directory ({@code --dir}, else the
 * configuration's {@code counters.directory}). <b>Note:</b> in-band; polls the capture ring with a back-off.
 */
@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    description = "Write what a running runtime's OOB rings on an interface receive and send to a pcapng file.")
final class CaptureCommand implements Callable<Integer>
{
    private static final int POLL_LIMIT = 1024;

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IF",
        description = "The interface whose OOB rings (packet sockets, oob-udp's port) to capture.")
    String interfaceName;

    @Option(names = {"-w", "--write"}, required = true, paramLabel = "FILE", description = "The pcapng file to write.")
    Path file;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after N frames.")
    long count;

    @Option(names = "--duration", paramLabel = "TIME", description = "Stop after this long, e.g. 10s, 5m.")
    String duration;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "N", defaultValue = "65535",
        description = "Bytes kept of each frame (default ${DEFAULT-VALUE}).")
    int snapLength;

    @Mixin
    CountersDirectoryOptions counters;

    @Parameters(paramLabel = "FILTER", arity = "0..*",
        description = "A pcap-filter expression (man pcap-filter), e.g. udp port 5000.")
    List<String> filter = List.of();

    @Override
    public Integer call() throws Exception
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("--count=" + count + " must be 1 or more (without it: no limit)");
        }
        final long durationNs = null == duration ? 0 : Durations.parseNs("duration", duration);
        final Path directory = counters.resolve();
        final PrintWriter out = spec.commandLine().getOut();
        final CountDownLatch finished = new CountDownLatch(1);
        Thread hook = null;
        try (CaptureSession session = CaptureSession.start(directory, interfaceName, String.join(" ", filter),
            snapLength); PcapngWriter writer = open())
        {
            final Run run = new Run(session, writer, count, durationNs);
            hook = new Thread(() ->
            {
                run.stop = true;
                awaitQuietly(finished);
            }, "oobnet-capture-hook");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("oobnet capture: capturing " + interfaceName + " to " + file +
                (filter.isEmpty() ? "" : " (filter: " + String.join(" ", filter) + ")") + "; Ctrl-C stops");
            out.flush();
            run.loop();
            session.close();
            run.drain();
            writer.flush();
            out.println("oobnet capture: " + writer.packets() + " frames written to " + file + " (" +
                run.received + " received, " + run.sent + " sent); " + session.dropped() +
                " dropped (the capture ring was full)");
            out.flush();
            return 0;
        }
        finally
        {
            finished.countDown();
            removeQuietly(hook);
        }
    }

    private PcapngWriter open()
    {
        try
        {
            return PcapngWriter.create(file, interfaceName, snapLength);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot write " + file + ": " + ex.getClass().getSimpleName() +
                (null == ex.getMessage() ? "" : " " + ex.getMessage()));
        }
    }

    // Ctrl-C's hook has done its job once the file is written; in a test's JVM it must not pile up
    private static void removeQuietly(final Thread hook)
    {
        if (null == hook)
        {
            return;
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the JVM is exiting: the hook runs and returns at once
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    // the poll loop: stops at the count, the deadline, or Ctrl-C (the shutdown hook sets stop and waits for the file)
    private static final class Run
    {
        private final CaptureSession session;
        private final PcapngWriter writer;
        private final long count;
        private final long deadlineNs;
        private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 10_000L, 1_000_000L);
        volatile boolean stop;
        long received;
        long sent;

        Run(final CaptureSession session, final PcapngWriter writer, final long count, final long durationNs)
        {
            this.session = session;
            this.writer = writer;
            this.count = count;
            this.deadlineNs = durationNs > 0 ? System.nanoTime() + durationNs : 0;
        }

        void loop() throws Exception
        {
            while (!stop && !(count > 0 && writer.packets() >= count) &&
                !(deadlineNs != 0 && System.nanoTime() - deadlineNs >= 0))
            {
                idle.idle(poll());
            }
        }

        // after the session is disarmed: what the stage wrote before it saw that
        void drain() throws Exception
        {
            while (poll() > 0)
            {
                // read until empty
            }
        }

        private int poll() throws Exception
        {
            return session.poll((timestampNs, outbound, wireLength, frame, offset, capturedLength) ->
            {
                if (count > 0 && writer.packets() >= count)
                {
                    return;
                }
                writer.packet(timestampNs, outbound, wireLength, frame, offset, capturedLength);
                if (outbound)
                {
                    sent++;
                }
                else
                {
                    received++;
                }
            }, POLL_LIMIT);
        }
    }
}
