package org.oobnet.moldudp64.publish;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * One downstream line of a publisher (or a relay): a kernel UDP socket, the group and port it sends to, and the
 * {@link LineFaults} applied to what it sends, with counts of each fault.
 * <p>
 * <b>Note:</b> not thread safe. In-band.
 */
public final class PublishedLine implements AutoCloseable
{
    private final DatagramChannel channel;
    private final SocketAddress target;
    private final LineFaults.Schedule schedule;
    private final ByteBuffer held = ByteBuffer.allocateDirect(65536);
    private boolean holding;
    private long sent;
    private long dropped;
    private long swapped;
    private long repeated;

    /**
     * A line.
     *
     * @param channel the socket it sends from (multicast interface and TTL already set).
     * @param target  the group (or address) and port.
     * @param faults  what to inflict on its packets.
     */
    public PublishedLine(final DatagramChannel channel, final SocketAddress target, final LineFaults faults)
    {
        this.channel = channel;
        this.target = target;
        this.schedule = faults.schedule();
    }

    /**
     * Sends one packet, or drops, holds or repeats it as the schedule says.
     *
     * @param packet the packet between position and limit; left as it was.
     * @throws IOException from the socket.
     */
    public void send(final ByteBuffer packet) throws IOException
    {
        switch (schedule.next())
        {
            case DROP ->
            {
                dropped++;
                return;
            }
            case HOLD ->
            {
                if (!holding)
                {
                    held.clear();
                    held.put(packet.duplicate()).flip();
                    holding = true;
                    swapped++;
                    return;
                }
            }
            case SEND ->
            {
            }
        }
        transmit(packet);
        if (holding)
        {
            holding = false;
            transmit(held);
        }
        if (schedule.repeat())
        {
            repeated++;
            transmit(packet);
        }
    }

    /**
     * Sends a packet held back for reordering, if any (at the end of a feed).
     *
     * @throws IOException from the socket.
     */
    public void flushHeld() throws IOException
    {
        if (holding)
        {
            holding = false;
            transmit(held);
        }
    }

    private void transmit(final ByteBuffer packet) throws IOException
    {
        sendFully(channel, packet.duplicate(), target);
        sent++;
    }

    // a non-blocking socket whose send buffer is full sends nothing: try again (in-band, short)
    static void sendFully(final DatagramChannel channel, final ByteBuffer datagram, final SocketAddress target)
        throws IOException
    {
        while (0 == channel.send(datagram, target))
        {
            Thread.onSpinWait();
        }
    }

    /** @return packets put on the wire (repeats included). */
    public long sent()
    {
        return sent;
    }

    /** @return packets dropped by the schedule. */
    public long dropped()
    {
        return dropped;
    }

    /** @return packets held back and sent after the next. */
    public long swapped()
    {
        return swapped;
    }

    /** @return packets sent a second time. */
    public long repeated()
    {
        return repeated;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
