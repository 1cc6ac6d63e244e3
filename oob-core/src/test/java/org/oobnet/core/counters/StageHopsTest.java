package org.oobnet.core.counters;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

// The order of the stage's calls for a frame (pickup, delivered, before kick, the kick, after kick), driven by hand:
// what is recorded when. The kick is the frame's way out, so nothing is recorded between handler done and the
// kick's return but clock reads.
class StageHopsTest
{
    private final CountersManager manager = new CountersManager(
        new UnsafeBuffer(new byte[4 * 1024 * 1024]), new UnsafeBuffer(new byte[1024 * 1024]));
    private final StageHops hops = new StageHops(manager, "", true);

    @Test
    void shouldRecordARepliedFramesHopsOnlyOnceItsKickReturned()
    {
        final long pickup = hops.pickupNs();
        hops.onDelivered(0L, pickup, true);
        assertCounts(0, 0, 0);

        hops.beforeKick();
        assertCounts(0, 0, 0);

        hops.afterKick(true);
        assertCounts(1, 1, 1);
    }

    @Test
    void shouldRecordAFrameWithoutReplyAtOnce()
    {
        hops.onDelivered(0L, hops.pickupNs(), false);
        assertCounts(1, 0, 0);
    }

    @Test
    void shouldRecordAFrameWhoseKickIsRefusedAtTheNextPickupAndTimeTheKickThatGoesOut()
    {
        hops.onDelivered(0L, hops.pickupNs(), true);
        hops.beforeKick();
        hops.afterKick(false); // refused (back-off not due, or EAGAIN): the frame still waits
        assertCounts(0, 0, 0);

        hops.pickupNs(); // the next frame: the waiting one's times are not held past it
        assertCounts(1, 1, 0);

        hops.beforeKick();
        hops.afterKick(true);
        assertCounts(1, 1, 1);
    }

    @Test
    void shouldTimeTheBatchsFirstFrameAndRecordTheOthersAtOnce()
    {
        hops.onDelivered(0L, hops.pickupNs(), true);
        hops.onDelivered(0L, hops.pickupNs(), true);
        hops.onDelivered(0L, hops.pickupNs(), true);
        assertCounts(2, 0, 0);

        hops.beforeKick();
        hops.afterKick(true);
        assertCounts(3, 1, 1);
    }

    @Test
    void shouldRecordKernelRxToPickupFromTheRingsRealtimeStamp()
    {
        final long realtimeNs = System.currentTimeMillis() * 1_000_000L;
        hops.onDelivered(realtimeNs, hops.pickupNs(), true);
        assertEquals(0, count(StageHop.KERNEL_RX_TO_PICKUP));
        hops.beforeKick();
        hops.afterKick(true);
        assertEquals(1, count(StageHop.KERNEL_RX_TO_PICKUP));
    }

    private void assertCounts(final long delivered, final long doneToKick, final long kickToReturn)
    {
        assertEquals(delivered, count(StageHop.PICKUP_TO_HANDLER_DONE), "pickup->handler_done");
        assertEquals(doneToKick, count(StageHop.HANDLER_DONE_TO_KICK), "handler_done->kick");
        assertEquals(kickToReturn, count(StageHop.KICK_TO_RETURN), "kick->return");
    }

    private long count(final StageHop hop)
    {
        return HopSnapshot.of(hop, hops.histogram(hop)).count();
    }
}
