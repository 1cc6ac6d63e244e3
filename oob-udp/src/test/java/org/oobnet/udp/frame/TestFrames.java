package org.oobnet.udp.frame;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds known-good UDP/IPv4 frames for tests.
 */
final class TestFrames
{
    static final long SRC_MAC = 0x02000AFB0001L;
    static final long DST_MAC = 0x02000AFB0002L;
    static final int SRC_ADDRESS = 0x0AFB0001;
    static final int DST_ADDRESS = 0x0AFB0002;
    static final int SRC_PORT = 40000;
    static final int DST_PORT = 50000;

    private TestFrames()
    {
    }

    static UdpFrameBuilder builder()
    {
        return new UdpFrameBuilder()
            .macs(SRC_MAC, DST_MAC)
            .source(SRC_ADDRESS, SRC_PORT)
            .destination(DST_ADDRESS, DST_PORT);
    }

    /**
     * A frame with the given payload bytes (value = index) at offset 0 of a fresh buffer.
     */
    static int goodFrame(final UnsafeBuffer buffer, final int payloadLength)
    {
        final UdpFrameBuilder builder = builder();
        for (int i = 0; i < payloadLength; i++)
        {
            buffer.putByte(builder.headerLength() + i, (byte)i);
        }
        return builder.write(buffer, 0, payloadLength);
    }

    /**
     * The checksum the slow way: 16-bit words one by one, as RFC 1071's reference code.
     */
    static int referenceChecksum(final byte[] bytes, final int offset, final int length, final long initial)
    {
        long sum = initial;
        int i = offset;
        for (; i + 1 < offset + length; i += 2)
        {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        if (i < offset + length)
        {
            sum += (bytes[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }
}
