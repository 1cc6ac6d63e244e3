package org.oobnet.soupbintcp;

import java.nio.ByteOrder;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes what a session runs on its peer's bytes before any state: the framer over fuzzed cuts of a fuzzed
 * stream, each packet's check ({@link SoupBinTcpDescriptor#checkPacket}) and the login flyweights' number
 * fields. Every packet handed out is whole (its length field plus two, within the largest packet); framing stops at
 * the first named drop; nothing throws. As in the reliability module, the ordinary run replays the seed corpus;
 * {@code JAZZER_FUZZ=1} fuzzes for 3 minutes.
 */
class SoupBinTcpParserFuzzTest
{
    private static final int MAX_PACKET = 256;

    @FuzzTest(maxDuration = "3m")
    void shouldFrameOrNameTheDropWhenStreamIsArbitrary(final FuzzedDataProvider data)
    {
        final int cuts = data.consumeInt(1, 8);
        final int[] chunkLengths = new int[cuts];
        for (int i = 0; i < cuts; i++)
        {
            chunkLengths[i] = data.consumeInt(1, 2 * MAX_PACKET);
        }
        final byte[] bytes = data.consumeRemainingAsBytes();
        final UnsafeBuffer stream = new UnsafeBuffer(bytes);
        final LoginRequestFlyweight request = new LoginRequestFlyweight();
        final LoginAcceptedFlyweight accepted = new LoginAcceptedFlyweight();
        final int[] framed = new int[1];
        final PacketFramer framer = new PacketFramer(MAX_PACKET, (DirectBuffer buffer, int offset, int length) ->
        {
            assertTrue(length >= 3 && length <= MAX_PACKET, "length=" + length);
            assertEquals(length, 2 + (buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF));
            framed[0] += length;
            final SoupBinTcpDrop drop = SoupBinTcpDescriptor.checkPacket(buffer, offset, length);
            if (null != drop)
            {
                return drop;
            }
            final byte type = buffer.getByte(offset + SoupBinTcpDescriptor.TYPE_OFFSET);
            final int payload = offset + SoupBinTcpDescriptor.PAYLOAD_OFFSET;
            final long number = SoupBinTcpDescriptor.LOGIN_REQUEST == type ?
                request.wrap(buffer, payload).requestedSequenceNumber() :
                SoupBinTcpDescriptor.LOGIN_ACCEPTED == type ? accepted.wrap(buffer, payload).sequenceNumber() : 0;
            assertTrue(number >= -1, "number=" + number);
            return number < 0 ? SoupBinTcpDrop.BAD_NUMBER : null;
        });
        int position = 0;
        int cut = 0;
        while (position < bytes.length)
        {
            final int chunk = Math.min(bytes.length - position, chunkLengths[cut++ % cuts]);
            final SoupBinTcpDrop drop = framer.onData(stream, position, chunk);
            position += chunk;
            if (null != drop)
            {
                // a named reason; whatever followed is never framed
                assertTrue(null != drop.label() && framed[0] <= position, drop.name());
                return;
            }
        }
        assertEquals(bytes.length, framed[0] + framer.partialBytes());
    }
}
