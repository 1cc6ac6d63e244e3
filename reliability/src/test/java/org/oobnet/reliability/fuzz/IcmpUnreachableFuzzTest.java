package org.oobnet.reliability.fuzz;

import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.Errno;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.IcmpUnreachable;
import org.oobnet.udp.frame.InternetChecksum;
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

    /**
     * Structured: a valid outer Ethernet + IPv4 header (protocol ICMP, checksum made right, total length fuzzed
     * within the frame) around a fuzzed ICMP message, mostly type 3 with a quoted IPv4 header of fuzzed IHL,
     * version and protocol: the fuzzer reaches the quoted-datagram checks, which raw bytes never do.
     */
    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldReadEveryUnreachableWithinItsMessageWhenQuotedHeadersAreFuzzed(final FuzzedDataProvider data)
    {
        final int icmpLength = data.consumeInt(0, 120);
        final boolean type3 = data.consumeBoolean();
        final int code = data.consumeInt(0, 15);
        final int quotedFirstByte = data.consumeBoolean() ? 0x40 | data.consumeInt(0, 15) : data.consumeByte();
        final byte quotedProtocol = data.consumeBoolean() ? 17 : data.consumeByte();
        final byte[] rest = data.consumeRemainingAsBytes();
        final byte[] frame = new byte[14 + 20 + icmpLength];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        System.arraycopy(rest, 0, frame, 34, Math.min(rest.length, icmpLength));
        buffer.putShort(12, (short)0x0008);
        buffer.putByte(14, (byte)0x45);
        buffer.putShort(16, Short.reverseBytes((short)(20 + icmpLength)));
        buffer.putByte(22, (byte)64);
        buffer.putByte(23, (byte)IcmpUnreachable.PROTOCOL_ICMP);
        buffer.putShort(24, (short)0);
        buffer.putShort(24, Short.reverseBytes((short)InternetChecksum.finish(InternetChecksum.add(0, buffer, 14, 20))));
        if (icmpLength >= 2)
        {
            buffer.putByte(34, (byte)(type3 ? 3 : frame[34]));
            buffer.putByte(35, (byte)code);
        }
        if (icmpLength >= 18)
        {
            buffer.putByte(42, (byte)quotedFirstByte);
            buffer.putByte(42 + 9, quotedProtocol);
        }
        assertTrue(DropReason.NOT_UDP == parser.parse(buffer, 0, frame.length), "an ICMP frame is not UDP");
        final int errno = icmp.read(buffer, parser.ipPayloadOffset(), parser.ipPayloadLength());
        assertTrue(REPORTED.contains(errno), "errno=" + errno);
        if (0 != errno)
        {
            assertTrue(type3 || 3 == frame[34], "only type 3 is reported");
        }
    }
}
