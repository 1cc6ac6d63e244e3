package org.oobnet.moldudp64.inband;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64Handler;
import org.oobnet.moldudp64.MoldUdp64Receiver;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;
import org.oobnet.moldudp64.MoldUdp64RequestSender;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * Runs a {@link MoldUdp64Receiver} in-band on kernel UDP sockets: one non-blocking socket per downstream line
 * (joined to its group by the caller) and one unicast socket that sends requests to the request server and
 * receives its answers. The baseline the stage protocol is compared with, and the in-band half of the interop
 * tests.
 * <p>
 * Each packet's RX timestamp is {@code CLOCK_REALTIME} in ns (an {@link EpochNanoClock}) read when the datagram
 * is read, on the epoch of the stage's kernel RX timestamps, so a latency from it is measured on one clock; the
 * gap and request timers run on {@code System.nanoTime()}. FIXME(issue 20): it is taken after the datagram left
 * the socket's queue, not by the kernel at arrival as on the stage: DatagramChannel exposes no
 * {@code SO_TIMESTAMPNS}, so an RX-to-delivery figure from here leaves out the time the packet waited in the
 * queue.
 * <p>
 * <b>Note:</b> not thread safe; one thread polls. In-band only.
 */
public final class KernelFeedReceiver implements MoldUdp64RequestSender, AutoCloseable
{
    private final DatagramChannel[] lines;
    private final DatagramChannel requestChannel;
    private final SocketAddress requestServer;
    private final MoldUdp64Receiver receiver;
    private final ByteBuffer rxBytes = ByteBuffer.allocateDirect(MoldUdp64Descriptor.MAX_PACKET_LENGTH);
    private final UnsafeBuffer rx = new UnsafeBuffer(rxBytes);
    private final ByteBuffer txBytes = ByteBuffer.allocateDirect(MoldUdp64Descriptor.HEADER_LENGTH);
    private final UnsafeBuffer tx = new UnsafeBuffer(txBytes);
    private final EpochNanoClock rxClock;

    /**
     * A receiver over kernel sockets.
     *
     * @param config         arbitration and recovery settings; {@code lineCount} must match {@code lines}.
     * @param handler        where messages go.
     * @param lines          one non-blocking socket per line, bound and joined.
     * @param requestChannel a non-blocking unicast socket for requests and their answers.
     * @param requestServer  the request server's address.
     */
    public KernelFeedReceiver(
        final MoldUdp64ReceiverConfig config,
        final MoldUdp64Handler handler,
        final List<DatagramChannel> lines,
        final DatagramChannel requestChannel,
        final SocketAddress requestServer)
    {
        this(config, handler, lines, requestChannel, requestServer, new SystemEpochNanoClock());
    }

    /**
     * A receiver over kernel sockets with the clock of its RX timestamps.
     *
     * @param config         arbitration and recovery settings; {@code lineCount} must match {@code lines}.
     * @param handler        where messages go.
     * @param lines          one non-blocking socket per line, bound and joined.
     * @param requestChannel a non-blocking unicast socket for requests and their answers.
     * @param requestServer  the request server's address.
     * @param rxClock        ns since the epoch, read as each datagram is read: its RX timestamp.
     */
    public KernelFeedReceiver(
        final MoldUdp64ReceiverConfig config,
        final MoldUdp64Handler handler,
        final List<DatagramChannel> lines,
        final DatagramChannel requestChannel,
        final SocketAddress requestServer,
        final EpochNanoClock rxClock)
    {
        this.rxClock = rxClock;
        if (lines.size() != config.lineCount())
        {
            throw new IllegalArgumentException("lines=" + lines.size() + " must equal lineCount=" + config.lineCount());
        }
        this.lines = lines.toArray(new DatagramChannel[0]);
        this.requestChannel = requestChannel;
        this.requestServer = requestServer;
        this.receiver = new MoldUdp64Receiver(config, handler, this);
    }

    /**
     * Reads what the sockets hold (up to {@code limit} datagrams each) and runs the receiver's timers.
     *
     * @param limit the most rounds (one datagram per socket each).
     * @return datagrams read plus timer work.
     */
    public int poll(final int limit)
    {
        // one datagram per socket per round, so the lines are read close to their arrival order: draining one
        // line first would run it ahead of the other and turn the other's fills into gaps
        int work = 0;
        for (int round = 0; round < limit; round++)
        {
            int read = 0;
            for (int line = 0; line < lines.length; line++)
            {
                read += receiveOne(lines[line], line);
            }
            read += receiveOne(requestChannel, lines.length);
            if (0 == read)
            {
                break;
            }
            work += read;
        }
        return work + receiver.poll(System.nanoTime());
    }

    private int receiveOne(final DatagramChannel channel, final int line)
    {
        try
        {
            rxBytes.clear();
            if (null == channel.receive(rxBytes))
            {
                return 0;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("line=" + line + " receive failed", ex);
        }
        receiver.onPacket(line, rx, 0, rxBytes.position(), rxClock.nanoTime(), System.nanoTime());
        return 1;
    }

    @Override
    public boolean sendRequest(final DirectBuffer request, final int offset, final int length)
    {
        tx.putBytes(0, request, offset, length);
        txBytes.clear().limit(length);
        try
        {
            return requestChannel.send(txBytes, requestServer) > 0;
        }
        catch (final IOException ex)
        {
            return false; // counted as unsent by the receiver, tried again at the next timeout
        }
    }

    /**
     * The receiver and its counters.
     *
     * @return the receiver.
     */
    public MoldUdp64Receiver receiver()
    {
        return receiver;
    }

    @Override
    public void close() throws IOException
    {
        for (final DatagramChannel line : lines)
        {
            line.close();
        }
        requestChannel.close();
    }
}
