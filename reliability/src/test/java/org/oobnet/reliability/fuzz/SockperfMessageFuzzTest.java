package org.oobnet.reliability.fuzz;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.oobnet.harness.bench.msg.SockperfHeader;
import org.oobnet.harness.bench.msg.SockperfReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the sockperf message codec the reflector applies to every datagram it receives: any bytes and any
 * claimed datagram length give one of the reply outcomes, never an exception; a reply changes only the
 * client flag; a malformed message is described with its length.
 */
class SockperfMessageFuzzTest
{
    private final SockperfReply reply = new SockperfReply();

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldReplyOrDropWithoutThrowingWhenDatagramIsArbitrary(final FuzzedDataProvider data)
    {
        final int capacity = data.consumeInt(0, 256);
        final int claimedLength = data.consumeBoolean() ? data.consumeInt() : data.consumeInt(0, capacity);
        final byte[] bytes = data.consumeBytes(capacity);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(capacity);
        buffer.put(bytes).clear();
        final ByteBuffer before = ByteBuffer.allocate(capacity).put(buffer.duplicate()).flip();
        if (capacity < SockperfHeader.HEADER_LENGTH)
        {
            // the reflector only applies the codec to receive buffers of at least a header; keep to that contract
            return;
        }

        final int outcome = reply.apply(buffer, claimedLength);
        assertTrue(outcome >= SockperfReply.REPLY && outcome <= SockperfReply.MALFORMED, "outcome=" + outcome);
        if (SockperfReply.MALFORMED == outcome)
        {
            final String why = reply.header().describe(reply.header().check(claimedLength), claimedLength);
            assertTrue(why.contains("length=" + claimedLength), why);
        }
        else
        {
            assertEquals(claimedLength, reply.header().length());
        }
        if (SockperfReply.REPLY == outcome)
        {
            final int flags = reply.header().flags();
            assertEquals(0, flags & SockperfHeader.FLAG_CLIENT, "reply still marked as client");
            before.put(SockperfHeader.FLAGS_OFFSET, buffer.get(SockperfHeader.FLAGS_OFFSET));
            before.put(SockperfHeader.FLAGS_OFFSET + 1, buffer.get(SockperfHeader.FLAGS_OFFSET + 1));
        }
        assertEquals(before.clear(), buffer.clear(), "bytes other than the flags changed");
    }
}
