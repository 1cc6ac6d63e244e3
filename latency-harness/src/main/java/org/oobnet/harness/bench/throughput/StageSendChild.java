package org.oobnet.harness.bench.throughput;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.harness.bench.packet.OobFrames;
import org.oobnet.inband.KSocket;
import org.oobnet.packet.PacketConfig;

/**
 * The child JVM of a throughput stage row: a spinning stage filling oob-packet's TX ring ({@link StageBlaster})
 * until the deadline, after an uncounted warm-up; its one result line is what {@link ThroughputRun} reads.
 * <p>
 * <b>Note:</b> in-band; the stage spins for the run and stops with it.
 *
 * @param interfaceName the sending interface.
 * @param cpu           the stage's CPU.
 * @param size          payload bytes per frame.
 * @param batch         frames per stage cycle.
 * @param txFrames      the TX ring's frames, 0 for oob-packet's default ring.
 * @param txFrameSize   the TX ring's frame size (with {@code txFrames}).
 * @param warmupNs      uncounted sending first.
 * @param durationNs    counted sending.
 */
public record StageSendChild(String interfaceName, int cpu, int size, int batch, int txFrames, int txFrameSize,
    long warmupNs, long durationNs)
{
    /** The prefix of the result line. */
    public static final String SENT = "SENT ";

    /**
     * Sends until the deadline or until {@code parentGone}.
     *
     * @param parentGone polled every 5 ms.
     * @return the result line: {@code SENT sent=... elapsed_ns=... cycles=... fill_ns=... wall_ns=...}.
     * @throws Exception when the runtime or the socket cannot be opened.
     */
    public String run(final BooleanSupplier parentGone) throws Exception
    {
        final Map<String, String> ring = new HashMap<>();
        if (txFrames > 0)
        {
            ring.put(PacketConfig.TX_FRAMES_KEY, Integer.toString(txFrames));
            ring.put(PacketConfig.TX_FRAME_SIZE_KEY, Integer.toString(txFrameSize));
        }
        try (OobRuntime runtime = OobFrames.startRuntime(interfaceName, cpu, OobConfig.IdleStrategyKind.SPIN, ring);
            KSocket socket = OobFrames.openSocket(interfaceName))
        {
            final StageBlaster blaster =
                new StageBlaster(OobSocket.of(socket), OobFrames.macOf(interfaceName), size, batch);
            runtime.addTask(blaster, OobTask.Schedule.EVERY_CYCLE);
            final long start = System.nanoTime();
            // warm-up: the stage's path compiled before the counted frames start, as a C loop needs no warm-up
            blaster.start(warmupNs, durationNs);
            while (!blaster.isDone() && !parentGone.getAsBoolean())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            final long elapsedNs = System.nanoTime() - start;
            runtime.removeTask(blaster);
            // elapsed: the stage's own first sending cycle to its deadline, as the C row times its loop
            return SENT + "sent=" + blaster.sent() + " failed=0 elapsed_ns=" + blaster.cycleNs() +
                " ring_full_cycles=" + blaster.ringFull() + " cycles=" + blaster.cycles() + " fill_ns=" +
                blaster.fillNs() + " wall_ns=" + elapsedNs;
        }
    }
}
