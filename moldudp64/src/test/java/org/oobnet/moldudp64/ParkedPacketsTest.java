package org.oobnet.moldudp64;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.SESSION_LENGTH;

class ParkedPacketsTest
{
    private static final int LINES = 3;

    private final ParkedPackets parked = new ParkedPackets(LINES);
    private final DownstreamPacketBuilder builder = new DownstreamPacketBuilder();
    private final UnsafeBuffer session = new UnsafeBuffer(new byte[SESSION_LENGTH]);
    private final UnsafeBuffer packet = new UnsafeBuffer(new byte[MoldUdp64Descriptor.MAX_PACKET_LENGTH]);

    // a packet of `count` messages of `messageLength` bytes from `sequence`; returns its length
    private int packet(final long sequence, final int count, final int messageLength)
    {
        builder.start(packet, 0, packet.capacity(), session, 0, sequence);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[messageLength]);
        for (int i = 0; i < count; i++)
        {
            message.setMemory(0, messageLength, (byte)(sequence + i));
            assertTrue(builder.tryAppend(message, 0, messageLength));
        }
        return builder.length();
    }

    private boolean park(final int line, final long sequence, final int count, final int messageLength)
    {
        final int length = packet(sequence, count, messageLength);
        return parked.park(line, packet, 0, length, sequence, sequence + count, 1_000 + sequence);
    }

    @Test
    void shouldHoldAPacketLargerThanAnMtuOnlyInTheLinesFirstSlot()
    {
        final int large = ParkedPackets.SLOT_BYTES; // with the header and length fields past a slot's room

        assertTrue(park(0, 10, 1, large), "the first slot takes the largest UDP payload");
        assertFalse(park(0, 20, 1, large), "the other slots take an MTU's");
        assertTrue(park(0, 30, 1, 100), "a small packet still has a slot");
        assertTrue(park(1, 20, 1, large), "each line has its own first slot");
    }

    @Test
    void shouldRefuseALinesPacketWhenItsSlotsAreFullWhileOtherLinesStillPark()
    {
        for (int i = 0; i < ParkedPackets.PER_LINE; i++)
        {
            assertTrue(park(2, 10 + i, 1, 8), "packet " + i);
        }

        assertFalse(park(2, 10 + ParkedPackets.PER_LINE, 1, 8), "line 2 holds PER_LINE packets");
        assertTrue(park(0, 10 + ParkedPackets.PER_LINE, 1, 8), "line 0's slots are its own");

        final int slot = parked.reached(2, ParkedPackets.firstSlot(2), 10);
        parked.take(slot);
        assertTrue(park(2, 10 + ParkedPackets.PER_LINE, 1, 8), "a taken packet frees its slot");
    }

    @Test
    void shouldGiveBackOnlyThePacketsDeliveryReachedInSlotOrderWhenTaken()
    {
        assertTrue(park(1, 30, 2, 8));
        assertTrue(park(1, 10, 3, 8));
        assertTrue(park(1, 20, 1, 8));
        final int first = ParkedPackets.firstSlot(1);

        assertEquals(-1, parked.reached(1, first, 9), "nothing starts at or before 9");
        assertEquals(-1, parked.reached(0, ParkedPackets.firstSlot(0), 100), "line 0 holds nothing");

        final int slot = parked.reached(1, first, 20);
        assertEquals(first + 1, slot, "the packet from 10, in the second slot");
        final DownstreamPacketParser taken = parked.take(slot);
        assertEquals(10, taken.sequence());
        assertEquals(3, taken.messageCount());
        assertTrue(taken.nextMessage());
        assertEquals(10, taken.messageSequence());
        assertEquals(10, parked.packet(slot).getByte(taken.messageOffset()), "the packet's bytes, copied");
        assertEquals(1_010, parked.rxTimestampNs(slot));

        final int next = parked.reached(1, slot + 1, 20);
        assertEquals(first + 2, next, "then the packet from 20");
        assertEquals(20, parked.take(next).sequence());
        assertEquals(-1, parked.reached(1, next + 1, 20));
        assertEquals(-1, parked.reached(1, first, 29), "the packet from 30 is not reached yet");
        assertEquals(first, parked.reached(1, first, 30));
    }

    @Test
    void shouldKnowTheHolesBetweenHeldPacketsUntilTheirRangesAreForgotten()
    {
        assertTrue(park(0, 10, 3, 8));
        assertTrue(park(1, 13, 2, 8));
        assertTrue(park(2, 20, 1, 8));

        assertEquals(10, parked.nextStart(5), "the hole before the first packet ends at 10");
        assertEquals(15, parked.firstAbsent(10), "lines 0 and 1 hold 10 to 15 together");
        assertEquals(20, parked.nextStart(15));
        assertEquals(21, parked.firstAbsent(20));
        assertEquals(Long.MAX_VALUE, parked.nextStart(21));

        parked.forgetRangesBefore(16);
        assertEquals(12, parked.firstAbsent(12), "ranges before the next sequence are forgotten");
        assertEquals(21, parked.firstAbsent(20));

        parked.clearRanges();
        assertEquals(20, parked.firstAbsent(20));
    }

    @Test
    void shouldCountEveryHeldMessageAheadOnItsLineWhenDiscarded()
    {
        final MoldUdp64LineCounters[] lines = new MoldUdp64LineCounters[LINES];
        for (int i = 0; i < LINES; i++)
        {
            lines[i] = new MoldUdp64LineCounters();
        }
        assertTrue(park(0, 10, 3, 8));
        assertTrue(park(0, 20, 2, 8));
        assertTrue(park(2, 30, 4, 8));

        parked.discardAll(lines);

        assertEquals(5, lines[0].ahead());
        assertEquals(0, lines[1].ahead());
        assertEquals(4, lines[2].ahead());
        assertEquals(-1, parked.reached(0, ParkedPackets.firstSlot(0), Long.MAX_VALUE), "no packet is held");
        assertEquals(10, parked.firstAbsent(10), "no range is held");
        for (int i = 0; i < ParkedPackets.PER_LINE; i++)
        {
            assertTrue(park(0, 100 + i, 1, 8), "every slot is free again: " + i);
        }
    }
}
