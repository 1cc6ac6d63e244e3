package org.oobnet.harness.bench.udp;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.run.RunSettings;
import org.oobnet.harness.bench.transport.TransportSettings;
import org.oobnet.harness.bench.transport.Transports;
import org.oobnet.harness.bench.transport.UdpTransport;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.harness.env.JvmProfile;
import org.oobnet.harness.env.ParentWatch;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunResult;

/**
 * {@code oobnet latency udp --peer}: this process measures UDP round trips against a running reflector (ours, or an
 * unmodified {@code sockperf server}), on a kernel-socket transport from the calling thread ({@link UdpClientRun})
 * or on the stage ({@link OobUdpRuns}); a shutdown hook, and the parent's end of input when asked, stop it early.
 * <p>
 * <b>Note:</b> in-band; the measuring loop runs on the calling thread (or on the stage it starts).
 */
public final class UdpPeerMeasurement
{
    /**
     * What to measure, checked by the command.
     *
     * @param transport      the transport's name.
     * @param peer           the reflector.
     * @param peerKind       {@code oobnet} or {@code sockperf}.
     * @param label          the run's label.
     * @param network        the network's kind, for the description.
     * @param stackInterface the interface oob-udp's stack serves (stage transports), or null.
     * @param run            size, plan, CPUs, idle, receive timeout.
     * @param maxDatagram    the largest datagram received.
     * @param extraSockets   idle OOB UDP sockets on the measuring side's stage.
     * @param exitWithParent stop when the parent's standard input ends.
     */
    public record Settings(String transport, InetSocketAddress peer, String peerKind, String label, String network,
        String stackInterface, RunSettings run, int maxDatagram, int extraSockets, boolean exitWithParent)
    {
        /** @return whether the transport runs on the stage (then {@link #stackInterface} is needed). */
        public boolean onStage()
        {
            return Transports.byName(transport).onStage();
        }
    }

    private UdpPeerMeasurement()
    {
    }

    /**
     * @param settings    what to measure.
     * @param out         where the latmus lines go.
     * @param intervalLog the HdrHistogram interval log.
     * @return the result.
     * @throws IOException when the log cannot be written or a socket cannot be opened.
     */
    public static RunResult measure(final Settings settings, final PrintStream out, final Path intervalLog)
        throws IOException
    {
        final RunSettings run = settings.run();
        final MeasurementPlan plan = run.plan();
        final int cpu = run.cpu();
        final RunDescription description = new RunDescription(settings.label(), "udp", settings.transport(),
            settings.peerKind(), run.size(), cpu, CpuSet.isIsolated(cpu), run.peerCpu(), plan.rateHz(),
            JvmProfile.isActive(), settings.network(), plan.durationNs(), plan.count());
        final UdpTransport udp = Transports.byName(settings.transport());
        if (udp.onStage())
        {
            final AtomicBoolean running = new AtomicBoolean(true);
            return withStop(() -> running.set(false), settings.exitWithParent(), () ->
                OobUdpRuns.measure(OobUdpRuns.transport(settings.transport()), settings.stackInterface(),
                    settings.peer(), IdleKind.stageStrategy(run.idleName()), plan, description,
                    run.receiveTimeoutNs(), out, intervalLog, running::get, settings.extraSockets()));
        }
        final UdpClientRun client = new UdpClientRun(udp, settings.peer(), new TransportSettings(cpu, run.idle(cpu),
            settings.maxDatagram(), run.receiveTimeoutNs()), plan, description);
        return withStop(client::requestStop, settings.exitWithParent(), () -> client.run(out, intervalLog));
    }

    private interface Measuring
    {
        RunResult run() throws IOException;
    }

    // a shutdown hook (and the parent's end of input) stop the measuring early; the hook goes with the run
    private static RunResult withStop(final Runnable stop, final boolean exitWithParent, final Measuring measuring)
        throws IOException
    {
        final Thread stopper = new Thread(stop, "oobnet-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        if (exitWithParent)
        {
            ParentWatch.onEndOfInput(System.in, stop);
        }
        try
        {
            return measuring.run();
        }
        finally
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(stopper);
            }
            catch (final IllegalStateException ignored)
            {
                // shutting down
            }
        }
    }
}
