package org.oobnet.udp;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 8-byte record header of every message of an OOB UDP socket, in its send ring and its receive ring (and in
 * the zero-copy views): the peer's address and port, then the payload. It has the size of the UDP header and
 * sits exactly where the UDP header sits in a frame, so the packet transport delivers received frames in place
 * (the UDP header is overwritten by this one) and builds claimed TX frames in place (this header is read, then
 * overwritten by the UDP header).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |          IPv4 address (network order): destination on send,   |  0
 *  |          source on receive; 0 on send = the connected peer    |
 *  +-------------------------------+-------------------------------+
 *  |          port (network order) |          reserved (0)         |  4
 *  +-------------------------------+-------------------------------+
 *  |                            payload ...                           8
 * </pre>
 * <b>Note:</b> stateless helpers, thread safe.
 */
public final class UdpAddressHeader
{
    /** Offset of the address. */
    public static final int ADDRESS_OFFSET = 0;
    /** Offset of the port. */
    public static final int PORT_OFFSET = 4;
    /** Length of the header; the payload follows. */
    public static final int LENGTH = 8;

    private UdpAddressHeader()
    {
    }

    /**
     * Writes the header.
     *
     * @param buffer  the buffer.
     * @param offset  where the record starts.
     * @param address the IPv4 address.
     * @param port    the port.
     */
    public static void write(final MutableDirectBuffer buffer, final int offset, final int address, final int port)
    {
        buffer.putInt(offset + ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + PORT_OFFSET + 2, (short)0);
    }

    /**
     * @param buffer the buffer.
     * @param offset where the record starts.
     * @return the address.
     */
    public static int address(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer the buffer.
     * @param offset where the record starts.
     * @return the port.
     */
    public static int port(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }
}
