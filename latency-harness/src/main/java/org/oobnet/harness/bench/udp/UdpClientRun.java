package org.oobnet.harness.bench.udp;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.oobnet.harness.bench.transport.ClientEndpoint;
import org.oobnet.harness.bench.transport.TransportSettings;
import org.oobnet.harness.bench.transport.UdpTransport;
import org.oobnet.harness.report.IntervalLogHeader;
import org.oobnet.harness.report.GcDelta;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.LatmusLines;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunResult;
import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.harness.bench.run.MeasurementCounters;
import org.oobnet.harness.bench.run.NanoClock;
import org.oobnet.harness.bench.run.IntervalReporter;
import org.oobnet.harness.bench.run.LatencyLoop;
import org.oobnet.harness.bench.run.PingPongRoundTrip;
import org.oobnet.harness.bench.run.StageAllocation;
import org.oobnet.harness.bench.run.MeasurementPlan;

/**
 * The measuring side of one UDP ping-pong run in this process: opens the transport's client endpoint, warms up,
 * measures with a {@link LatencyLoop}, prints latmus lines while it goes, writes the interval log, and returns the
 * result. GC pauses and the measuring thread's allocations are read at the measured phase's edges.
 * <p>
 * <b>Note:</b> {@link #run} blocks the calling thread, which becomes the measuring thread.
 */
public final class UdpClientRun
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final UdpTransport transport;
    private final InetSocketAddress peer;
    private final TransportSettings settings;
    private final MeasurementPlan plan;
    private final RunDescription description;
    private final IdleKind idle;
    private volatile LatencyLoop loop;

    /**
     * @param transport   the transport.
     * @param peer        the reflector (ours or a sockperf server).
     * @param settings    the endpoint's settings.
     * @param plan        warm-up, length and pace.
     * @param description what the reports say about the run.
     */
    public UdpClientRun(
        final UdpTransport transport,
        final InetSocketAddress peer,
        final TransportSettings settings,
        final MeasurementPlan plan,
        final RunDescription description)
    {
        this.transport = transport;
        this.peer = peer;
        this.settings = settings;
        this.plan = plan;
        this.description = description;
        this.idle = settings.idle();
    }

    /**
     * Runs to the end.
     *
     * @param out         where the {@code RTT|}, {@code RTH|}, {@code RTD|} and {@code RTS|} lines go.
     * @param intervalLog the interval log to write, or null for none.
     * @return the result.
     * @throws IOException when the transport fails or the log cannot be written.
     */
    public RunResult run(final PrintStream out, final Path intervalLog) throws IOException
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final MeasurementCounters counters = new MeasurementCounters();
        try (ClientEndpoint endpoint = transport.openClient(peer, settings);
            PrintStream logStream = intervalLog == null ? null : new PrintStream(intervalLog.toFile()))
        {
            final HistogramLogWriter log = logStream == null ? null : new HistogramLogWriter(logStream);
            final PingPongRoundTrip roundTrip = new PingPongRoundTrip(endpoint, description.sizeBytes());
            final LatencyLoop loop = new LatencyLoop(plan, roundTrip, NanoClock.SYSTEM, idle, recorder, counters);
            this.loop = loop;
            final IntervalReporter reporter =
                new IntervalReporter(recorder, null, log, out, counters::overruns, endpoint::stalls);
            final Edges edges = new Edges(endpoint, recorder, reporter, log);
            out.println(LatmusLines.header(description));
            out.println(LatmusLines.COLUMNS);
            out.flush();
            try
            {
                loop.run(edges);
            }
            finally
            {
                edges.stopReporter();
            }
            final Histogram histogram = LatencyRecorder.newHistogram();
            histogram.add(recorder.total());
            final RunResult result = new RunResult(description, histogram, loop.warmupDone(), loop.warmupNs(),
                counters.lost(), counters.overruns(), edges.stalls, edges.stageAlloc, edges.clientAlloc, edges.gc,
                loop.measuredNs(), recorder.clampedCount()).withRingKernelDrops(edges.ringKernelDrops);
            out.println(LatmusLines.rts(histogram, result.overruns(), result.stalls(), result.measuredNs(),
                description));
            if (roundTrip.stale() > 0 || roundTrip.malformed() > 0)
            {
                out.println("oobnet: skipped " + roundTrip.stale() + " stale replies and " + roundTrip.malformed() +
                    " malformed datagrams");
            }
            out.flush();
            return result;
        }
    }

    /**
     * Ends the run at the next exchange (from any thread).
     */
    public void requestStop()
    {
        final LatencyLoop current = loop;
        if (current != null)
        {
            current.requestStop();
        }
    }

    /** Reads the counters at the measured phase's edges, innermost reads closest to the loop. */
    private static final class Edges implements LatencyLoop.PhaseListener
    {
        private final ClientEndpoint endpoint;
        private final LatencyRecorder recorder;
        private final IntervalReporter reporter;
        private final HistogramLogWriter log;
        private GcDelta gcStart = GcDelta.NONE;
        private long stallsStart;
        private long stageAllocStart;
        private long clientAllocStart;
        private long ringKernelDropsStart;
        private boolean reporterStarted;
        GcDelta gc = GcDelta.NONE;
        long stalls = -1;
        long stageAlloc = -1;
        long clientAlloc;
        long ringKernelDrops = -1;

        Edges(
            final ClientEndpoint endpoint,
            final LatencyRecorder recorder,
            final IntervalReporter reporter,
            final HistogramLogWriter log)
        {
            this.endpoint = endpoint;
            this.recorder = recorder;
            this.reporter = reporter;
            this.log = log;
        }

        @Override
        public void onPhase(final boolean measuredPhase)
        {
            if (measuredPhase)
            {
                recorder.restart();
                IntervalLogHeader.startMeasuredPhase(log);
                reporter.start();
                reporterStarted = true;
                ringKernelDropsStart = endpoint.ringKernelDrops();
                gcStart = GcDelta.snapshot();
                stallsStart = endpoint.stalls();
                // the classes the warm-up loaded: a later first C2 compile on the stage finds their literals resolved
                StageAllocation.resolveStageStrings();
                stageAllocStart = endpoint.stageAllocatedBytes();
                clientAllocStart = THREADS.getCurrentThreadAllocatedBytes();
            }
            else
            {
                clientAlloc = THREADS.getCurrentThreadAllocatedBytes() - clientAllocStart;
                final long stageAllocEnd = endpoint.stageAllocatedBytes();
                stageAlloc = stageAllocEnd < 0 ? -1 : stageAllocEnd - stageAllocStart;
                final long stallsEnd = endpoint.stalls();
                stalls = stallsEnd < 0 ? -1 : stallsEnd - stallsStart;
                gc = GcDelta.snapshot().minus(gcStart);
                final long ringKernelDropsEnd = endpoint.ringKernelDrops();
                ringKernelDrops = ringKernelDropsEnd < 0 ? -1 : ringKernelDropsEnd - ringKernelDropsStart;
            }
        }

        void stopReporter() throws IOException
        {
            if (!reporterStarted)
            {
                return;
            }
            reporter.stopAndFlush();
        }
    }
}
