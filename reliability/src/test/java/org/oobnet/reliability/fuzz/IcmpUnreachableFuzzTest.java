package org.oobnet.reliability.fuzz;

import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.Errno;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.IcmpUnreachable;
import org.oobnet.udp.frame.UdpFrameParser;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the stage's ICMP reading (oob-udp's {@link IcmpUnreachable}, fed as {@code PacketPort} feeds it: the IPv4
 * payload of a frame the parser found not to be UDP): any bytes give one of the four reported errnos or 0, and
 * nothing is read past the frame (the buffer ends where the frame ends; agrona checks bounds).
 */
class IcmpUnreachableFuzzTest
{
    private static final Set<Integer> REPORTED =
        Set.of(0, Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENOPROTOOPT, Errno.ECONNREFUSED);

    private final UdpFrameParser parser = new UdpFrameParser(true);
    private final IcmpUnreachable icmp = new IcmpUnreachable();

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldReadEveryIcmpPayloadWithinTheFrameWhenBytesAreArbitrary(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        if (DropReason.NOT_UDP != parser.parse(buffer, 0, frame.length) ||
            IcmpUnreachable.PROTOCOL_ICMP != parser.ipProtocol())
        {
            return;
        }
        assertTrue(parser.ipPayloadOffset() + parser.ipPayloadLength() <= frame.length, "IPv4 payload in the frame");
        final int errno = icmp.read(buffer, parser.ipPayloadOffset(), parser.ipPayloadLength());
        assertTrue(REPORTED.contains(errno), "errno=" + errno);
    }
}
