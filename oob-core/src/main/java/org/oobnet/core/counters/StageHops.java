package org.oobnet.core.counters;

import org.agrona.concurrent.status.CountersManager;
import org.oobnet.core.RealtimeNanoClock;

/**
 * Per-hop timestamps of one stage: where a received frame's time goes between the kernel and the stage's TX kick,
 * one {@link HopHistogram} per {@link StageHop}, live in the counters file.
 * <p>
 * Per stage, not per device: a stage is one thread, so one writer and no contention, and a handler's send may
 * leave by another device than the one that received. The devices that deliver frames to sockets call it (a
 * port that skips a frame another port delivers records nothing, so no frame is counted twice). The boundaries,
 * all on {@code System.nanoTime()} ({@code CLOCK_MONOTONIC}):
 * <ul>
 * <li>kernel RX: the ring header's {@code tp_sec/tp_nsec}, {@code CLOCK_REALTIME} (the skb's software stamp),
 * moved to the monotonic clock by an offset calibrated once ({@link RealtimeNanoClock});</li>
 * <li>pickup: a clock read when the device has taken the frame off its ring, before parsing ({@link #pickupNs});
 * the cycle's {@code nowNs} is not that moment: commands and other devices run between;</li>
 * <li>handler done: a clock read once delivery (the socket's stage handler, or the copy into its receive ring)
 * returned ({@link #onDelivered});</li>
 * <li>kick: a clock read just before the {@code send(fd, NULL, 0)} that kicks the TX batch holding a frame a
 * handler committed ({@link #beforeKick}), recorded only when the handler did commit one;</li>
 * <li>kick return: a clock read once that kick's system call returned ({@link #afterKick});</li>
 * <li>TX complete: the completion timestamp the kernel writes back into the TX frame ({@link #onTxTimestamp});
 * veth writes none, so that hop stays empty there.</li>
 * </ul>
 * On with {@code -D}{@value #PROPERTY}{@code =true} (the harness's runs set it); off, nothing is read or recorded.
 * <b>Note:</b> stage only (single writer), allocation-free; readers use {@link #snapshot} or the counters file.
 */
public final class StageHops
{
    /**
     * System property: {@code true} turns recording on. Off by default: with the records after the kick it still
     * adds about 4 % to a raw ping-pong's p50 round trip (four clock reads a frame, three on its way; BENCHMARKS.md
     * "Session 13 - hops off the path": 12 % with the records before the kick).
     */
    public static final String PROPERTY = "oobnet.hops";
    /**
     * System property: {@code true} (with {@link #PROPERTY}) also keeps the current frame's steps on the stage: its
     * pick-up and each socket delivery its handling nests ({@link #stepPickupNs}, {@link #stepDeliveryNs}), for a
     * handler that splits its frame's way in (the tick-to-trade trader). A clock read per delivery; off, the
     * deliveries' guards are constant false and compiled away.
     */
    public static final String STEPS_PROPERTY = "oobnet.hops.steps";
    /** Whether {@link #STEPS_PROPERTY} was on when this class loaded (read once: the guards fold to nothing off). */
    public static final boolean STEPS = Boolean.getBoolean(STEPS_PROPERTY);
    /** Socket deliveries nested in one frame's handling whose times are kept (deeper ones are not). */
    public static final int STEP_DEPTHS = 4;

    private final HopHistogram[] histograms = new HopHistogram[StageHop.values().length];
    private final HopHistogram kernelRxToPickup;
    private final HopHistogram pickupToHandlerDone;
    private final HopHistogram handlerDoneToKick;
    private final HopHistogram kickToReturn;
    private final HopHistogram kickToTxComplete;
    private final long realtimeOffsetNs;
    private final boolean enabled;
    // the earliest handler return whose frame waits for a kick (0: none)
    private long sentHandlerDoneNs;
    // the last kick that sent a handler's frame, for its TX completion (0: none)
    private long kickNs;
    // that kick, until its system call returns (0: none in flight)
    private long kickInFlightNs;
    // A handler's frame waiting for its kick: its delivery times, recorded once the kick returned (handler done 0:
    // none), and its handler done -> kick (-1: none). The kick goes out first, as the C floor's does: recording
    // three histograms before the system call put about 80 ns a side on the round trip (BENCHMARKS.md
    // "Session 13 - hops off the path").
    private long pendingKernelRxNs;
    private long pendingPickupNs;
    private long pendingDoneNs;
    private long pendingDoneToKickNs = -1;
    // the current frame's steps (STEPS): its pick-up and the start of each nested socket delivery, monotonic ns
    private final long[] stepDeliveryNs = new long[STEP_DEPTHS];
    private long stepPickupNs;
    private int stepDepth;

    /** Records nothing and has no counters: for a device not (yet) on a stage. */
    public static final StageHops OFF = new StageHops();

    private StageHops()
    {
        kernelRxToPickup = null;
        pickupToHandlerDone = null;
        handlerDoneToKick = null;
        kickToReturn = null;
        kickToTxComplete = null;
        realtimeOffsetNs = 0;
        enabled = false;
    }

    /**
     * In-band: allocates the hops' counters.
     *
     * @param manager the counters manager.
     * @param suffix  appended to each label: empty for the default stage, else the stage's suffix.
     */
    public StageHops(final CountersManager manager, final String suffix)
    {
        this(manager, suffix, Boolean.getBoolean(PROPERTY));
    }

    /**
     * In-band: allocates the hops' counters.
     *
     * @param manager the counters manager.
     * @param suffix  appended to each label.
     * @param enabled whether the stage records.
     */
    public StageHops(final CountersManager manager, final String suffix, final boolean enabled)
    {
        for (final StageHop hop : StageHop.values())
        {
            histograms[hop.ordinal()] = new HopHistogram(manager, hop, suffix);
        }
        kernelRxToPickup = histograms[StageHop.KERNEL_RX_TO_PICKUP.ordinal()];
        pickupToHandlerDone = histograms[StageHop.PICKUP_TO_HANDLER_DONE.ordinal()];
        handlerDoneToKick = histograms[StageHop.HANDLER_DONE_TO_KICK.ordinal()];
        kickToReturn = histograms[StageHop.KICK_TO_RETURN.ordinal()];
        kickToTxComplete = histograms[StageHop.KICK_TO_TX_COMPLETE.ordinal()];
        this.realtimeOffsetNs = enabled ? new RealtimeNanoClock().offsetNs() : 0;
        this.enabled = enabled;
    }

    /** @return whether the stage records hops. */
    public boolean enabled()
    {
        return enabled;
    }

    /**
     * Stage: the pickup boundary, a device having taken a frame off its RX ring.
     *
     * @return the monotonic time, or 0 when recording is off (then pass it on: {@link #onDelivered} does nothing).
     */
    public long pickupNs()
    {
        if (!enabled)
        {
            return 0L;
        }
        recordPending(); // a frame whose kick did not (yet) return: its times are not held past the next one
        final long nowNs = System.nanoTime();
        if (STEPS)
        {
            stepPickupNs = nowNs;
            stepDepth = 0;
        }
        return nowNs;
    }

    /**
     * Stage, with {@link #STEPS} on: a socket is about to hand the current frame (or what a handler made of it) to
     * its stage receive handler; keeps the time at this nesting depth (0: the socket the device delivered to, 1: a
     * socket that socket's handler delivered to, ...). Pair each call with {@link #leaveDelivery}.
     */
    public void enterDelivery()
    {
        if (!enabled)
        {
            return;
        }
        final int depth = stepDepth++;
        if (depth < STEP_DEPTHS)
        {
            stepDeliveryNs[depth] = System.nanoTime();
        }
    }

    /** Stage, with {@link #STEPS} on: the handler {@link #enterDelivery} announced returned. */
    public void leaveDelivery()
    {
        if (enabled && stepDepth > 0)
        {
            stepDepth--;
        }
    }

    /**
     * Stage, from a receive handler, with {@link #STEPS} on.
     *
     * @return the current frame's pick-up ({@link #pickupNs}), monotonic ns; 0 when steps are off.
     */
    public long stepPickupNs()
    {
        return STEPS ? stepPickupNs : 0L;
    }

    /**
     * Stage, from a receive handler, with {@link #STEPS} on.
     *
     * @param depth a nesting depth, 0 to {@link #STEP_DEPTHS} - 1.
     * @return when the current frame's delivery at that depth began, monotonic ns; 0 when steps are off (stale when
     *         the current frame's handling did not nest that deep).
     */
    public long stepDeliveryNs(final int depth)
    {
        return STEPS ? stepDeliveryNs[depth] : 0L;
    }

    /**
     * Stage: a frame picked up at {@code pickupNs} was delivered (its handler returned); records kernel RX →
     * pickup and pickup → handler done: at once, or, for the first frame of a TX batch a handler committed, once
     * that batch's kick returned ({@link #afterKick}; at the latest at the next {@link #pickupNs}).
     *
     * @param kernelRxNs the ring header's software RX timestamp, ns since the epoch ({@code CLOCK_REALTIME}); 0
     *                   when the frame has none (then that hop is not recorded).
     * @param pickupNs   what {@link #pickupNs} returned for it.
     * @param sent       whether the handler committed a TX frame (then its kick is timed, {@link #beforeKick}).
     */
    public void onDelivered(final long kernelRxNs, final long pickupNs, final boolean sent)
    {
        if (0L == pickupNs)
        {
            return;
        }
        final long doneNs = System.nanoTime();
        if (sent && 0L == sentHandlerDoneNs)
        {
            sentHandlerDoneNs = doneNs;
        }
        if (sent && 0L == pendingDoneNs)
        {
            // recorded after the kick (afterKick), off the frame's way out
            pendingKernelRxNs = kernelRxNs;
            pendingPickupNs = pickupNs;
            pendingDoneNs = doneNs;
            return;
        }
        recordDelivery(kernelRxNs, pickupNs, doneNs);
    }

    private void recordDelivery(final long kernelRxNs, final long pickupNs, final long doneNs)
    {
        if (0L != kernelRxNs)
        {
            kernelRxToPickup.record(pickupNs - (kernelRxNs - realtimeOffsetNs));
        }
        pickupToHandlerDone.record(doneNs - pickupNs);
    }

    private void recordPending()
    {
        if (pendingDoneToKickNs >= 0)
        {
            handlerDoneToKick.record(pendingDoneToKickNs);
            pendingDoneToKickNs = -1;
        }
        if (0L != pendingDoneNs)
        {
            recordDelivery(pendingKernelRxNs, pendingPickupNs, pendingDoneNs);
            pendingDoneNs = 0L;
        }
    }

    /**
     * Stage: a device is about to kick its TX ring; when a handler's frame is in the batch, records handler done →
     * kick (the earliest handler's, once per kick).
     */
    public void beforeKick()
    {
        final long handlerDoneNs = sentHandlerDoneNs;
        if (0L != handlerDoneNs)
        {
            final long nowNs = System.nanoTime();
            pendingDoneToKickNs = nowNs - handlerDoneNs; // recorded once the kick returned
            sentHandlerDoneNs = 0L;
            kickNs = nowNs;
            kickInFlightNs = nowNs;
        }
    }

    /**
     * Stage: the kick {@link #beforeKick} timed has returned; records kick → return (the system call, which on
     * veth carries the frame into the peer's RX ring).
     *
     * @param kicked whether the system call was made; when not (a refused kick's back-off not yet due, or the
     *               kernel's {@code EAGAIN}) the frame's kick is timed from the same start at the one that is.
     */
    public void afterKick(final boolean kicked)
    {
        final long startNs = kickInFlightNs;
        if (0L != startNs && kicked)
        {
            kickToReturn.record(System.nanoTime() - startNs);
            kickInFlightNs = 0L;
            recordPending();
        }
    }

    /**
     * Stage: the kernel gave back a TX frame with a completion timestamp ({@code TP_STATUS_TS_SOFTWARE}); records
     * kick → TX complete for the last kick that carried a handler's frame.
     *
     * @param txRealtimeNs the frame's timestamp, ns since the epoch ({@code CLOCK_REALTIME}).
     */
    public void onTxTimestamp(final long txRealtimeNs)
    {
        final long kick = kickNs;
        if (0L != kick && 0L != txRealtimeNs)
        {
            kickToTxComplete.record(txRealtimeNs - realtimeOffsetNs - kick);
            kickNs = 0L;
        }
    }

    /**
     * @param hop a hop.
     * @return its live histogram.
     */
    public HopHistogram histogram(final StageHop hop)
    {
        return histograms[hop.ordinal()];
    }

    /**
     * Any thread: reads every hop.
     *
     * @return one reading per hop, in {@link StageHop} order.
     */
    public HopSnapshot[] snapshot()
    {
        if (this == OFF)
        {
            return new HopSnapshot[0];
        }
        final StageHop[] hops = StageHop.values();
        final HopSnapshot[] snapshots = new HopSnapshot[hops.length];
        for (final StageHop hop : hops)
        {
            snapshots[hop.ordinal()] = HopSnapshot.of(hop, histograms[hop.ordinal()]);
        }
        return snapshots;
    }

    /** In-band: frees the counters. */
    public void free()
    {
        if (this == OFF)
        {
            return;
        }
        for (final HopHistogram histogram : histograms)
        {
            histogram.free();
        }
    }
}
