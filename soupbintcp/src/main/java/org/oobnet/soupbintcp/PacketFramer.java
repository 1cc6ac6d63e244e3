package org.oobnet.soupbintcp;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Cuts a TCP byte stream into SoupBinTCP packets. A packet wholly inside a received chunk is handed out in place;
 * only a packet split across chunks is assembled, in a buffer allocated once for the largest packet. A length
 * field of 0 or above the largest packet stops the framing with a named drop.
 * <p>
 * <b>Note:</b> not thread safe: stage only.
 */
final class PacketFramer
{
    /**
     * Takes each whole packet (length field, type, payload) as a view valid during the call.
     */
    interface PacketHandler
    {
        /**
         * @return null to go on, or the reason the packet is dropped (framing stops).
         */
        SoupBinTcpDrop onPacket(DirectBuffer buffer, int offset, int length);
    }

    private final UnsafeBuffer assembly;
    private final int maxPacketLength;
    private final PacketHandler handler;
    private int assembled;

    /**
     * @param maxPacketLength the largest packet, length field included.
     * @param handler         takes the packets.
     */
    PacketFramer(final int maxPacketLength, final PacketHandler handler)
    {
        this.maxPacketLength = maxPacketLength;
        this.assembly = new UnsafeBuffer(new byte[maxPacketLength]);
        this.handler = handler;
    }

    /** @return bytes of a packet received in part. */
    int partialBytes()
    {
        return assembled;
    }

    /**
     * Stage: one chunk of the stream.
     *
     * @return null, or why framing stopped (the packet that was dropped).
     */
    SoupBinTcpDrop onData(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int position = offset;
        while (position < end)
        {
            if (assembled > 0 || end - position < SoupBinTcpDescriptor.LENGTH_FIELD_LENGTH)
            {
                if (assembled < SoupBinTcpDescriptor.LENGTH_FIELD_LENGTH)
                {
                    final int take = Math.min(SoupBinTcpDescriptor.LENGTH_FIELD_LENGTH - assembled, end - position);
                    assembly.putBytes(assembled, buffer, position, take);
                    assembled += take;
                    position += take;
                    if (assembled < SoupBinTcpDescriptor.LENGTH_FIELD_LENGTH)
                    {
                        continue;
                    }
                }
                // the length field is whole: judged now, even when no byte of the packet follows yet
                final int packetLength = packetLength(assembly, 0);
                if (packetLength < 0)
                {
                    return drop(packetLength);
                }
                if (position == end)
                {
                    return null;
                }
                final int take = Math.min(packetLength - assembled, end - position);
                assembly.putBytes(assembled, buffer, position, take);
                assembled += take;
                position += take;
                if (assembled == packetLength)
                {
                    assembled = 0;
                    final SoupBinTcpDrop drop = handler.onPacket(assembly, 0, packetLength);
                    if (null != drop)
                    {
                        return drop;
                    }
                }
                continue;
            }
            final int packetLength = packetLength(buffer, position);
            if (packetLength < 0)
            {
                return drop(packetLength);
            }
            if (end - position < packetLength)
            {
                // the first bytes of a packet: kept for the next chunk
                assembly.putBytes(0, buffer, position, end - position);
                assembled = end - position;
                return null;
            }
            final SoupBinTcpDrop drop = handler.onPacket(buffer, position, packetLength);
            if (null != drop)
            {
                return drop;
            }
            position += packetLength;
        }
        return null;
    }

    void reset()
    {
        assembled = 0;
    }

    // the whole packet's length, or -1 (empty) / -2 (too long)
    private int packetLength(final DirectBuffer buffer, final int offset)
    {
        final int field = buffer.getShort(offset + SoupBinTcpDescriptor.LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (0 == field)
        {
            return -1;
        }
        final int packetLength = SoupBinTcpDescriptor.LENGTH_FIELD_LENGTH + field;
        return packetLength > maxPacketLength ? -2 : packetLength;
    }

    private static SoupBinTcpDrop drop(final int packetLength)
    {
        return -1 == packetLength ? SoupBinTcpDrop.EMPTY : SoupBinTcpDrop.TOO_LONG;
    }
}
