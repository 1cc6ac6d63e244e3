package org.oobnet.reliability.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.InternetChecksum;
import org.oobnet.udp.frame.UdpFrameParser;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes oob-udp's frame parser: any bytes give a {@link DropReason}, never an exception, and an accepted
 * frame's payload lies inside the bytes given.
 */
class UdpFrameParserFuzzTest
{
    private final UdpFrameParser verifying = new UdpFrameParser(true);
    private final UdpFrameParser trusting = new UdpFrameParser(false);

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldClassifyEveryFrameWithoutThrowingWhenBytesAreArbitrary(final byte[] frame)
    {
        // the frame sits at an offset inside a larger buffer, as in an RX ring slot
        final int offset = 16;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + frame.length + 16]);
        buffer.putBytes(offset, frame);
        for (final UdpFrameParser parser : new UdpFrameParser[]{ verifying, trusting })
        {
            final DropReason reason = parser.parse(buffer, offset, frame.length);
            if (DropReason.NONE == reason)
            {
                assertTrue(parser.payloadOffset() >= offset, "payloadOffset");
                assertTrue(parser.payloadLength() >= 0, "payloadLength");
                assertTrue(parser.payloadOffset() + parser.payloadLength() <= offset + frame.length,
                    "payload ends past the frame: offset=" + parser.payloadOffset() + " length=" +
                    parser.payloadLength() + " frameLength=" + frame.length);
            }
        }
    }

    /**
     * Structured: Ethernet (maybe VLAN-tagged) + IPv4 (any IHL, flags, lengths) + UDP with header checksums
     * made right, or not, so the fuzzer reaches the checks after the checksums, which raw bytes rarely pass.
     */
    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldClassifyEveryFrameWithoutThrowingWhenHeadersAreFuzzedAndChecksumsFixed(final FuzzedDataProvider data)
    {
        final byte[] frame = new byte[data.consumeInt(0, 1600)];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final boolean tagged = data.consumeBoolean();
        final int ipOffset = tagged ? 18 : 14;
        final int ihlWords = data.consumeInt(0, 15);
        final int ipHeaderLength = ihlWords * 4;
        final boolean fixIpChecksum = data.consumeBoolean();
        final boolean fixUdpChecksum = data.consumeBoolean();
        final short totalLength = data.consumeShort();
        final short flagsAndFragment = data.consumeBoolean() ? 0x4000 : data.consumeShort();
        final byte protocol = data.consumeBoolean() ? 17 : data.consumeByte();
        final short udpLength = data.consumeShort();
        final byte[] rest = data.consumeRemainingAsBytes();
        System.arraycopy(rest, 0, frame, 0, Math.min(rest.length, frame.length));

        if (frame.length >= ipOffset)
        {
            if (tagged)
            {
                buffer.putShort(12, (short)0x0081);
                buffer.putShort(16, (short)0x0008);
            }
            else
            {
                buffer.putShort(12, (short)0x0008);
            }
        }
        if (frame.length >= ipOffset + 20)
        {
            buffer.putByte(ipOffset, (byte)(0x40 | ihlWords));
            buffer.putShort(ipOffset + 2, Short.reverseBytes(totalLength));
            buffer.putShort(ipOffset + 6, Short.reverseBytes(flagsAndFragment));
            buffer.putByte(ipOffset + 9, protocol);
            if (fixIpChecksum && ipHeaderLength >= 20 && ipOffset + ipHeaderLength <= frame.length)
            {
                buffer.putShort(ipOffset + 10, (short)0);
                final int checksum = InternetChecksum.finish(InternetChecksum.add(0, buffer, ipOffset, ipHeaderLength));
                buffer.putShort(ipOffset + 10, Short.reverseBytes((short)checksum));
            }
            final int udpOffset = ipOffset + ipHeaderLength;
            if (ipHeaderLength >= 20 && udpOffset + 8 <= frame.length)
            {
                buffer.putShort(udpOffset + 4, Short.reverseBytes(udpLength));
                final int length = udpLength & 0xffff;
                if (fixUdpChecksum && length >= 8 && udpOffset + length <= frame.length)
                {
                    buffer.putShort(udpOffset + 6, (short)0);
                    final long pseudo = InternetChecksum.udpPseudoHeader(
                        Integer.reverseBytes(buffer.getInt(ipOffset + 12)),
                        Integer.reverseBytes(buffer.getInt(ipOffset + 16)), length);
                    int checksum = InternetChecksum.finish(InternetChecksum.add(pseudo, buffer, udpOffset, length));
                    checksum = 0 == checksum ? 0xffff : checksum;
                    buffer.putShort(udpOffset + 6, Short.reverseBytes((short)checksum));
                }
            }
        }

        final int offset = 0;
        for (final UdpFrameParser parser : new UdpFrameParser[]{ verifying, trusting })
        {
            final DropReason reason = parser.parse(buffer, offset, frame.length);
            if (DropReason.NONE == reason)
            {
                assertTrue(parser.payloadLength() >= 0, "payloadLength");
                assertTrue(parser.payloadOffset() + parser.payloadLength() <= frame.length,
                    "payload ends past the frame");
            }
        }
    }
}
