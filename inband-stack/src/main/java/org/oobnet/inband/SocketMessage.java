package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A message for {@link KSocket#sendMsg} and {@link KSocket#recvMsg}: scatter/gather buffers, an optional
 * address (destination to send to, room for the source when receiving) and optional ancillary data (see
 * {@link ControlMessages}); after a receive it also carries the lengths and flags the kernel returned.
 * <p>
 * Native buffers are used in place; heap buffers are copied through native memory.
 * <p>
 * <b>Note:</b> not thread safe; in-band.
 */
public final class SocketMessage
{
    private MemorySegment[] buffers = new MemorySegment[0];
    private MemorySegment address;
    private int addressLength;
    private MemorySegment control;
    private long controlLength;
    private int flags;
    private long resultLength;

    /**
     * Sets the data buffers, in order.
     *
     * @param buffers the buffers (native or heap segments).
     * @return this.
     */
    public SocketMessage buffers(final MemorySegment... buffers)
    {
        this.buffers = buffers.clone();
        return this;
    }

    /**
     * The data buffers.
     *
     * @return the buffers.
     */
    public MemorySegment[] buffers()
    {
        return buffers.clone();
    }

    /**
     * Sets the address: the destination for a send, or room for the source of a receive.
     *
     * @param sockaddr a native {@code sockaddr} (its whole size is used), or null.
     * @return this.
     */
    public SocketMessage address(final MemorySegment sockaddr)
    {
        this.address = sockaddr;
        this.addressLength = null == sockaddr ? 0 : (int)sockaddr.byteSize();
        return this;
    }

    /**
     * Sets the destination of a send.
     *
     * @param destination an IP socket address.
     * @return this.
     */
    public SocketMessage address(final InetSocketAddress destination)
    {
        return address(SockAddr.encode(Objects.requireNonNull(destination), Arena.ofAuto()));
    }

    /**
     * The address segment.
     *
     * @return the address, or null.
     */
    public MemorySegment address()
    {
        return address;
    }

    /**
     * The address length: given for a send, returned by a receive.
     *
     * @return bytes.
     */
    public int addressLength()
    {
        return addressLength;
    }

    void addressLength(final int length)
    {
        addressLength = length;
    }

    /**
     * The source of a received message.
     *
     * @return the decoded IP address, or null when none or not IP.
     */
    public InetSocketAddress sourceAddress()
    {
        return null == address ? null : SockAddr.decode(address, addressLength);
    }

    /**
     * Sets the ancillary data: for a send, the control messages (and their length); for a receive, room for them.
     *
     * @param control a native control buffer, or null.
     * @param length  for a send, the bytes of control messages written (what {@link ControlMessages#put}
     *                returned); for a receive, the room.
     * @return this.
     */
    public SocketMessage control(final MemorySegment control, final long length)
    {
        this.control = control;
        this.controlLength = length;
        return this;
    }

    /**
     * The control buffer.
     *
     * @return the control buffer, or null.
     */
    public MemorySegment control()
    {
        return control;
    }

    /**
     * The control length: given for a send, returned by a receive.
     *
     * @return bytes.
     */
    public long controlLength()
    {
        return controlLength;
    }

    void controlLength(final long length)
    {
        controlLength = length;
    }

    /**
     * The flags the kernel returned with a received message ({@code MSG_TRUNC}, {@code MSG_CTRUNC}, ...).
     *
     * @return {@code msg_flags}.
     */
    public int flags()
    {
        return flags;
    }

    void flags(final int flags)
    {
        this.flags = flags;
    }

    /**
     * The bytes sent or received for this message by {@link KSocket#sendMmsg} / {@link KSocket#recvMmsg}.
     *
     * @return bytes ({@code msg_len}).
     */
    public long resultLength()
    {
        return resultLength;
    }

    void resultLength(final long length)
    {
        resultLength = length;
    }

    /**
     * The total capacity of the data buffers.
     *
     * @return bytes.
     */
    public long totalLength()
    {
        long total = 0;
        for (final MemorySegment buffer : buffers)
        {
            total += buffer.byteSize();
        }
        return total;
    }
}
