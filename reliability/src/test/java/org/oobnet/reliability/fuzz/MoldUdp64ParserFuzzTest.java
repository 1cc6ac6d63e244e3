package org.oobnet.reliability.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.moldudp64.DownstreamPacketParser;
import org.oobnet.moldudp64.MoldUdp64DropCounters;
import org.oobnet.moldudp64.MoldUdp64DropReason;
import org.oobnet.moldudp64.RequestPacketParser;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes moldudp64's downstream and request parsers: any bytes give a {@link MoldUdp64DropReason}, never an
 * exception, and an accepted packet's messages lie inside the packet, tile it exactly, and number as many as its
 * count. The packet is wrapped by a buffer of exactly its length, so a read outside it throws (Agrona's bounds
 * checks) and fails the test.
 */
class MoldUdp64ParserFuzzTest
{
    private final MoldUdp64DropCounters counters = new MoldUdp64DropCounters();
    private final DownstreamPacketParser downstream = new DownstreamPacketParser(counters);
    private final RequestPacketParser request = new RequestPacketParser(counters);

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldClassifyEveryPacketWithoutReadingOutsideItWhenBytesAreArbitrary(final byte[] packet)
    {
        // the packet sits inside a larger array, as in an RX frame; the view covers the packet only
        final byte[] frame = new byte[packet.length + 32];
        System.arraycopy(packet, 0, frame, 16, packet.length);
        final UnsafeBuffer view = new UnsafeBuffer(frame, 16, packet.length);
        checkDownstream(view, packet.length);
        request.parse(view, 0, packet.length);
    }

    /**
     * Structured: a header with a chosen count, then message blocks whose lengths are right or lie (overrun,
     * fall short), so the fuzzer reaches the block walk, which raw bytes rarely pass.
     */
    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldClassifyEveryPacketWhenCountsAndLengthsLie(final FuzzedDataProvider data)
    {
        final int declared = data.consumeBoolean() ? data.consumeInt(0, 8) : data.consumeInt(0, 0xFFFF);
        final long sequence = data.consumeBoolean() ? data.consumeLong(1, 1_000_000) : data.consumeLong();
        final int blocks = data.consumeInt(0, 10);
        final byte[] bytes = new byte[data.consumeInt(0, 1500)];
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        if (bytes.length >= 20)
        {
            view.putLong(10, sequence, ByteOrder.BIG_ENDIAN);
            view.putShort(18, (short)declared, ByteOrder.BIG_ENDIAN);
            int position = 20;
            for (int i = 0; i < blocks && position + 2 <= bytes.length; i++)
            {
                final int honest = Math.min(data.consumeInt(0, 64), bytes.length - position - 2);
                final int length = data.consumeBoolean() ? honest : data.consumeInt(0, 0xFFFF);
                view.putShort(position, (short)length, ByteOrder.BIG_ENDIAN);
                position += 2 + honest;
            }
        }
        checkDownstream(view, bytes.length);
        request.parse(view, 0, bytes.length);
    }

    private void checkDownstream(final UnsafeBuffer view, final int length)
    {
        final MoldUdp64DropReason reason = downstream.parse(view, 0, length);
        if (MoldUdp64DropReason.NONE != reason)
        {
            return;
        }
        int expectedOffset = 20;
        int messages = 0;
        while (downstream.nextMessage())
        {
            assertEquals(expectedOffset + 2, downstream.messageOffset(), "messages tile the packet");
            assertTrue(downstream.messageOffset() + downstream.messageLength() <= length, "message ends past the packet");
            assertEquals(downstream.sequence() + messages, downstream.messageSequence());
            expectedOffset = downstream.messageOffset() + downstream.messageLength();
            messages++;
        }
        assertEquals(downstream.messageCount(), messages, "count");
        assertEquals(length, expectedOffset, "no trailing bytes in an accepted packet");
    }
}
