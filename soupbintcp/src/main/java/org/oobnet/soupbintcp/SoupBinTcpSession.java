package org.oobnet.soupbintcp;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobEventHandler;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocketEvent;
import org.oobnet.tcp.TcpOobProtocol;

/**
 * What SoupBinTCP's client and server sessions share, on a stage-driven TCP socket: framing the received stream
 * ({@link PacketFramer}), heartbeats out after the interval without sending, the end of the session after the
 * timeout without receiving, and the end itself: a malformed packet, a timeout, a logout or the end of session
 * disconnects the TCP connection from the stage ({@link TcpOobProtocol#disconnect}) and reports how it ended.
 * <p>
 * The session is the socket's stage receive handler, its event handler and a stage task (every cycle: timers).
 * <b>Note:</b> {@link #start()} and {@link #close()} in-band; everything else on the stage.
 */
public abstract class SoupBinTcpSession implements OobTask, OobReceiveHandler, OobEventHandler,
    PacketFramer.PacketHandler
{
    /** The socket this session runs on. */
    protected final OobSocket socket;
    /** The session's counters. */
    protected final SoupBinTcpCounters counters;
    private final PacketFramer framer;
    private final UnsafeBuffer tx;
    private final long heartbeatIntervalNs;
    private final long heartbeatTimeoutNs;
    private final byte heartbeatType;
    private long lastSentNs;
    private long lastReceivedNs;
    private boolean clockStarted;
    private boolean received;
    private boolean sent;
    private boolean loggedIn;
    private volatile SoupBinTcpEnd end = SoupBinTcpEnd.NONE;

    SoupBinTcpSession(final OobSocket socket, final SoupBinTcpSettings settings, final byte heartbeatType)
    {
        this.socket = socket;
        this.counters = new SoupBinTcpCounters(socket);
        this.framer = new PacketFramer(settings.maxPacketLength(), this);
        this.tx = new UnsafeBuffer(new byte[settings.maxPacketLength()]);
        this.heartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(settings.heartbeatIntervalMs());
        this.heartbeatTimeoutNs = TimeUnit.MILLISECONDS.toNanos(settings.heartbeatTimeoutMs());
        this.heartbeatType = heartbeatType;
    }

    /**
     * In-band: takes over the connected socket's receive and event handlers, puts the connection on the stage and
     * the session's timers on it ({@link #onStart()} runs there first).
     *
     * @return this.
     * @throws ErrnoException when the connection cannot go on the stage.
     */
    public SoupBinTcpSession start() throws ErrnoException
    {
        socket.stageReceiveHandler(this);
        socket.eventHandler(this, null);
        final int rc = TcpOobProtocol.start(socket);
        if (rc < 0)
        {
            throw new ErrnoException("soupbintcp start", rc, "socket=" + socket.id());
        }
        socket.runtime().addTask(this, Schedule.EVERY_CYCLE);
        return this;
    }

    /**
     * In-band: takes the session's timers off the stage and closes the socket.
     *
     * @throws ErrnoException from the socket's close.
     */
    public void close() throws ErrnoException
    {
        socket.runtime().removeTask(this);
        socket.ksocket().close();
    }

    /** @return how the session ended, {@link SoupBinTcpEnd#NONE} while it runs (any thread). */
    public SoupBinTcpEnd end()
    {
        return end;
    }

    /** @return the session's counters (any thread). */
    public SoupBinTcpCounters counters()
    {
        return counters;
    }

    /** @return whether the login was accepted and the session has not ended (stage). */
    public boolean isLoggedIn()
    {
        return loggedIn && SoupBinTcpEnd.NONE == end;
    }

    /** @return the socket (any thread). */
    public OobSocket socket()
    {
        return socket;
    }

    // stage: the stream's next chunk
    @Override
    public final void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        if (SoupBinTcpEnd.NONE != end)
        {
            return;
        }
        received = true;
        final SoupBinTcpDrop drop = framer.onData(buffer, offset, length);
        if (null != drop)
        {
            malformed(drop);
        }
    }

    // stage: a whole packet from the framer
    @Override
    public final SoupBinTcpDrop onPacket(final DirectBuffer buffer, final int offset, final int length)
    {
        if (SoupBinTcpEnd.NONE != end)
        {
            return null;
        }
        final SoupBinTcpDrop malformed = SoupBinTcpDescriptor.checkPacket(buffer, offset, length);
        if (null != malformed)
        {
            return malformed;
        }
        final byte type = buffer.getByte(offset + SoupBinTcpDescriptor.TYPE_OFFSET);
        final int payloadLength = length - SoupBinTcpDescriptor.PAYLOAD_OFFSET;
        counters.increment(SoupBinTcpCounters.PACKETS_IN);
        if (SoupBinTcpDescriptor.DEBUG == type)
        {
            return null;
        }
        return onPacket(type, buffer, offset + SoupBinTcpDescriptor.PAYLOAD_OFFSET, payloadLength);
    }

    /**
     * Stage: a well-framed packet of a type SoupBinTCP defines, its fixed length checked; debug packets never
     * come here.
     *
     * @return null, or the reason to drop it (the session then ends as malformed).
     */
    abstract SoupBinTcpDrop onPacket(byte type, DirectBuffer buffer, int payloadOffset, int payloadLength);

    /** Stage: how the session ended, once. */
    abstract void onEnded(SoupBinTcpEnd how);

    @Override
    public final void onEvent(final OobSocket socket, final KSocketEvent event, final long arg, final Object cookie)
    {
        // a non-blocking connect that failed ends the session as a lost connection does
        if ((KSocketEvent.DISCONNECTED == event || KSocketEvent.CONNECTFAILED == event) && SoupBinTcpEnd.NONE == end)
        {
            finish(SoupBinTcpEnd.DISCONNECTED);
        }
    }

    // stage, every cycle: the clocks, the heartbeat out, the timeout
    @Override
    public int doWork(final long nowNs)
    {
        if (SoupBinTcpEnd.NONE != end)
        {
            return 0;
        }
        if (!clockStarted)
        {
            clockStarted = true;
            lastSentNs = nowNs;
            lastReceivedNs = nowNs;
        }
        if (received)
        {
            received = false;
            lastReceivedNs = nowNs;
        }
        if (sent)
        {
            sent = false;
            lastSentNs = nowNs;
        }
        if (nowNs - lastReceivedNs - heartbeatTimeoutNs > 0)
        {
            if (framer.partialBytes() > 0)
            {
                malformed(SoupBinTcpDrop.PARTIAL_PACKET);
            }
            else
            {
                endSession(SoupBinTcpEnd.HEARTBEAT_TIMEOUT);
            }
            return 1;
        }
        int work = pump();
        if (loggedIn && nowNs - lastSentNs - heartbeatIntervalNs >= 0)
        {
            if (sendPacket(heartbeatType, tx, 0, 0) >= 0)
            {
                counters.increment(SoupBinTcpCounters.HEARTBEATS_OUT);
                lastSentNs = nowNs;
            }
            work++;
        }
        return work;
    }

    /** Stage, every cycle while the session runs: queued work (the server's replay). */
    int pump()
    {
        return 0;
    }

    void loggedIn()
    {
        loggedIn = true;
    }

    void heartbeatIn()
    {
        counters.increment(SoupBinTcpCounters.HEARTBEATS_IN);
    }

    /**
     * Stage: sends one packet (copied into the session's packet buffer, then to the connection).
     *
     * @return the packet's length, {@code -EMSGSIZE} when larger than the largest packet, {@code -EWOULDBLOCK}
     * when the connection's outbound buffer is full (counted), {@code -EPIPE} once the session ended.
     */
    int sendPacket(final byte type, final DirectBuffer payload, final int offset, final int length)
    {
        if (SoupBinTcpEnd.NONE != end)
        {
            return -Errno.EPIPE;
        }
        final UnsafeBuffer tx = this.tx;
        final int packetLength = SoupBinTcpDescriptor.PAYLOAD_OFFSET + length;
        if (packetLength > tx.capacity())
        {
            return -Errno.EMSGSIZE;
        }
        tx.putShort(SoupBinTcpDescriptor.LENGTH_OFFSET, (short)(length + 1), ByteOrder.BIG_ENDIAN);
        tx.putByte(SoupBinTcpDescriptor.TYPE_OFFSET, type);
        if (length > 0 && payload != tx)
        {
            tx.putBytes(SoupBinTcpDescriptor.PAYLOAD_OFFSET, payload, offset, length);
        }
        final int rc = socket.oobSend(tx, 0, packetLength);
        if (rc < 0)
        {
            counters.increment(SoupBinTcpCounters.SEND_REFUSED);
            return rc;
        }
        counters.increment(SoupBinTcpCounters.PACKETS_OUT);
        sent = true;
        return packetLength;
    }

    /** The packet buffer's payload, for a packet built in place ({@link #sendPacket} with it as payload). */
    UnsafeBuffer txPayload()
    {
        return tx;
    }

    /** Stage: a malformed packet: counted under its reason, the session ends and the connection with it. */
    void malformed(final SoupBinTcpDrop drop)
    {
        counters.drop(drop);
        endSession(SoupBinTcpEnd.MALFORMED_PACKET);
    }

    /** Stage: ends the session from this side: the TCP connection is disconnected (what is queued goes first). */
    void endSession(final SoupBinTcpEnd how)
    {
        if (SoupBinTcpEnd.NONE != end)
        {
            return;
        }
        end = how;
        framer.reset();
        // raises DISCONNECTED, which finds the session already ended
        TcpOobProtocol.disconnect(socket);
        onEnded(how);
    }

    // stage: the connection went first
    private void finish(final SoupBinTcpEnd how)
    {
        end = how;
        framer.reset();
        onEnded(how);
    }
}
