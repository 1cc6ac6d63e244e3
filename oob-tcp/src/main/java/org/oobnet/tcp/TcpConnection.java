package org.oobnet.tcp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobSocket;
import org.oobnet.core.StageDevice;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocketEvent;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.TcpInfoDescriptor;

/**
 * One stage-driven TCP connection, a stage device of its own (as oob-udp's kernel-transport socket): each cycle
 * one {@code recv(MSG_DONTWAIT)} into a pre-allocated buffer whose bytes go to the socket's stage receive handler
 * as a byte stream ({@link OobSocket#deliver}), and one {@code send(MSG_DONTWAIT)} of what the outbound buffer
 * holds. What the kernel does not take of a send (in part or, its socket buffer full, at all) waits in the
 * outbound buffer (a short write); a message the
 * outbound buffer has no room for is refused whole with {@code -EWOULDBLOCK}, so the stream never holds half a
 * message of the caller's.
 * <p>
 * With a receive interval ({@link TcpOobProtocol#TcpOobProtocol(int, int, long)}) a quiet connection is received
 * from once per interval instead of every cycle: a connection is hot, received from every cycle, for an interval
 * after each cycle it sent or received bytes in.
 * <p>
 * Errors are read with errno from the {@code recv} of every cycle (a non-capturing call on a buffer addressed by
 * number, so no segment is made per call and it is allocation-free in every compilation state; see LibC):
 * {@code EAGAIN} is the quiet cycle; {@code ECONNRESET} is a reset
 * ({@code ERROR ECONNRESET}, counted in {@link TcpCounter#RESETS}); any other errno ({@code ETIMEDOUT},
 * {@code EHOSTUNREACH}, ...) is {@code ERROR} with that errno ({@link TcpCounter#ERRORS}); {@code recv} returning 0 is
 * the peer's orderly close ({@link TcpCounter#PEER_CLOSES}), unless the kernel already closed the connection: its
 * errno was taken by another reader, and it is reported as a reset ({@code ECONNRESET}). A {@code send} reads its
 * own errno the same way: {@code EAGAIN} leaves the bytes in the outbound buffer, {@code EPIPE} (the reset a recv
 * took first) is a reset, any other errno an {@code ERROR} with it. Then {@code DISCONNECTED}, and the connection
 * stops polling; the application closes the socket in-band.
 * <p>
 * A connection started while its non-blocking {@code connect} is in progress ({@code EINPROGRESS}) first watches
 * the kernel's TCP state each cycle: established raises {@code CONNECTED} and the stream starts (what was sent
 * meanwhile waited in the outbound buffer); closed raises {@code CONNECTFAILED} with the socket's pending error
 * ({@code SO_ERROR}: {@code ECONNREFUSED}, {@code ETIMEDOUT}, ...).
 * <p>
 * <b>Note:</b> {@link #poll}, {@link #flush}, {@link #send} stage only; made in-band when the socket is started
 * ({@link TcpOobProtocol#start}), freed in-band at destroy.
 */
final class TcpConnection implements StageDevice
{
    private static final int SEND_FLAGS = SocketConstants.MSG_DONTWAIT | SocketConstants.MSG_NOSIGNAL;

    private final OobSocket socket;
    private final int fd;
    private final String name;
    private final Arena arena = Arena.ofShared();
    private final UnsafeBuffer received;
    private final long receivedAddress;
    private final int receivedCapacity;
    private final OutboundBuffer outbound;
    private final MemorySegment tcpInfo;
    private final MemorySegment tcpInfoLength;
    private final ProtocolCounters counters;
    private final MemorySegment soError;
    private final long receiveIntervalNs;
    // set in-band before the start command publishes the connection to the stage; null: plain recv, no timestamps
    private TcpRxTimestamps rxTimestamps;

    // stage only (connecting: set in-band before the start command publishes the connection)
    boolean onStage;
    private boolean connecting;
    private boolean ended;
    private boolean sendBlocked;
    // stage only: receive every cycle until hotUntilNs (a send or bytes in), then at nextQuietReceiveNs
    private boolean sentThisCycle;
    private long hotUntilNs;
    private long nextQuietReceiveNs;

    TcpConnection(final OobSocket socket, final int fd, final int receiveBytes, final int sendBytes,
        final long receiveIntervalNs, final ProtocolCounters counters, final boolean connecting)
    {
        this.receiveIntervalNs = receiveIntervalNs;
        this.connecting = connecting;
        this.socket = socket;
        this.fd = fd;
        this.counters = counters;
        this.name = "tcp connection fd=" + fd;
        final MemorySegment receive = arena.allocate(receiveBytes, 64);
        this.receivedAddress = receive.address();
        this.receivedCapacity = receiveBytes;
        this.received = new UnsafeBuffer(receivedAddress, receiveBytes);
        this.outbound = new OutboundBuffer(arena.allocate(sendBytes, 64));
        this.tcpInfo = arena.allocate(TcpInfoDescriptor.HEAD_LENGTH, 8);
        this.tcpInfoLength = arena.allocate(ValueLayout.JAVA_INT);
        this.soError = arena.allocate(ValueLayout.JAVA_INT);
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int attachedSockets()
    {
        return 1;
    }

    /**
     * Stage, every cycle: one {@code recv} (a quiet connection with a receive interval: one per interval); the
     * bytes go to the stage handler (or the socket's receive ring).
     */
    @Override
    public int poll(final long nowNs)
    {
        if (ended)
        {
            return 0;
        }
        if (connecting)
        {
            return pollConnect();
        }
        if (receiveIntervalNs > 0 && skipsReceive(nowNs))
        {
            return 0;
        }
        final long n = receive();
        if (n > 0)
        {
            hotUntilNs = nowNs + receiveIntervalNs;
            counters.add(TcpCounter.BYTES_IN.ordinal(), n);
            socket.deliver(received, 0, (int)n);
            return 1;
        }
        if (0 == n)
        {
            end();
            return 1;
        }
        if (-Errno.EAGAIN == n)
        {
            return 0;
        }
        fail((int)-n);
        return 1;
    }

    // stage, with a receive interval: whether this cycle leaves a quiet connection alone (a recv costs a syscall)
    private boolean skipsReceive(final long nowNs)
    {
        if (nowNs - hotUntilNs < 0)
        {
            return false;
        }
        if (nowNs - nextQuietReceiveNs < 0)
        {
            return true;
        }
        nextQuietReceiveNs = nowNs + receiveIntervalNs;
        return false;
    }

    // stage: the bytes waiting, with their RX timestamp when asked for. recvmsg captures no errno: when it fails, a
    // one-byte peek tells EAGAIN or an error (its -errno) from bytes that came in between (then recvmsg again, so
    // they keep their timestamp) and from the end of the stream (0)
    private long receive()
    {
        final TcpRxTimestamps timestamps = rxTimestamps;
        if (null == timestamps)
        {
            return LibC.recvAtQuiet(fd, receivedAddress, receivedCapacity, SocketConstants.MSG_DONTWAIT);
        }
        final long n = timestamps.recv();
        if (n >= 0)
        {
            return n;
        }
        timestamps.clear();
        final long peeked = LibC.recvAtQuiet(fd, receivedAddress, 1,
            SocketConstants.MSG_DONTWAIT | SocketConstants.MSG_PEEK);
        if (peeked <= 0)
        {
            return peeked;
        }
        final long again = timestamps.recv();
        return again >= 0 ? again :
            LibC.recvAtQuiet(fd, receivedAddress, receivedCapacity, SocketConstants.MSG_DONTWAIT);
    }

    /**
     * In-band, before {@link TcpOobProtocol#start}: receives go through {@code recvmsg} and keep the kernel's RX
     * timestamp (the socket's {@code SO_TIMESTAMPING} is already set).
     */
    void enableRxTimestamps()
    {
        if (null == rxTimestamps)
        {
            rxTimestamps = new TcpRxTimestamps(arena, fd, receivedAddress, receivedCapacity);
        }
    }

    /** @return the delivered bytes' kernel RX time ({@code CLOCK_REALTIME} ns), 0 when none (stage only). */
    long rxTimestampNs()
    {
        final TcpRxTimestamps timestamps = rxTimestamps;
        return null == timestamps ? 0 : timestamps.timestampNs();
    }

    // stage, a non-blocking connect in progress: its outcome, from the kernel's TCP state (no errno, never blocks)
    private int pollConnect()
    {
        final int state = tcpState();
        if (TcpInfoDescriptor.TCP_SYN_SENT == state)
        {
            return 0;
        }
        connecting = false;
        if (TcpInfoDescriptor.TCP_CLOSE == state)
        {
            ended = true;
            final int error = pendingError();
            counters.increment(TcpCounter.ERRORS.ordinal());
            counters.add(TcpCounter.BYTES_UNSENT.ordinal(), outbound.pending());
            outbound.clear();
            socket.raise(KSocketEvent.CONNECTFAILED, 0 != error ? error : Errno.ECONNABORTED);
            return 1;
        }
        socket.raise(KSocketEvent.CONNECTED, 0);
        if (!ended && outbound.pending() > 0)
        {
            drain();
        }
        return 1;
    }

    /**
     * Stage, every cycle after the sends: pushes what the outbound buffer holds.
     */
    @Override
    public int flush(final long nowNs)
    {
        if (sentThisCycle)
        {
            // the peer's answer to what went out comes soon: receive every cycle for a while
            sentThisCycle = false;
            hotUntilNs = nowNs + receiveIntervalNs;
        }
        if (ended || connecting || 0 == outbound.pending())
        {
            return 0;
        }
        final int sent = drain();
        if (sendBlocked && 0 == outbound.pending())
        {
            sendBlocked = false;
            socket.raise(KSocketEvent.CANSEND, 0);
        }
        return sent > 0 ? 1 : 0;
    }

    /**
     * Stage: queues a whole message behind what is pending and tries to send at once.
     *
     * @return {@code length}, {@code -EWOULDBLOCK} when the outbound buffer has no room for it (counted),
     * {@code -EMSGSIZE} when it is larger than the outbound buffer, {@code -EPIPE} after the end of the stream.
     */
    int send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (ended)
        {
            return -Errno.EPIPE;
        }
        if (length > outbound.capacity())
        {
            return -Errno.EMSGSIZE;
        }
        if (length > outbound.free())
        {
            counters.increment(TcpCounter.WOULD_BLOCKS.ordinal());
            sendBlocked = true;
            return -Errno.EWOULDBLOCK;
        }
        outbound.append(buffer, offset, length);
        sentThisCycle = true;
        if (connecting)
        {
            // it goes out once the kernel has connected
            return length;
        }
        drain();
        if (!ended && outbound.pending() > 0)
        {
            counters.increment(TcpCounter.SHORT_WRITES.ordinal());
        }
        return length;
    }

    /** @return bytes waiting in the outbound buffer (stage only). */
    int pendingBytes()
    {
        return outbound.pending();
    }

    /**
     * Stage: ends the stream from this side: one last push of what is pending, then {@code shutdown(SHUT_RDWR)}
     * (the peer reads the end of stream at once; nothing more is received). Raises {@code DISCONNECTED}; the
     * socket stays open until it is closed in-band.
     *
     * @return 0, or {@code -EPIPE} when the stream had already ended.
     */
    int disconnect()
    {
        if (ended)
        {
            return -Errno.EPIPE;
        }
        if (!connecting && outbound.pending() > 0)
        {
            drain();
        }
        ended = true;
        LibC.shutdownQuiet(fd, SocketConstants.SHUT_RDWR);
        counters.add(TcpCounter.BYTES_UNSENT.ordinal(), outbound.pending());
        outbound.clear();
        socket.raise(KSocketEvent.DISCONNECTED, 0);
        return 0;
    }

    /**
     * Stage, the socket leaving the stage: one last send of what is pending; the rest is counted unsent.
     */
    void onDetach()
    {
        if (!ended && !connecting && outbound.pending() > 0)
        {
            drain();
        }
        counters.add(TcpCounter.BYTES_UNSENT.ordinal(), outbound.pending());
        outbound.clear();
    }

    /** In-band, after the stage let go: frees the buffers. */
    void free()
    {
        arena.close();
    }

    private int drain()
    {
        final int pending = outbound.pending();
        // -errno read without capture (LibC's quiet calls): no allocation in any compilation state
        final long n = LibC.sendAtQuiet(fd, outbound.headAddress(), pending, SEND_FLAGS);
        if (n > 0)
        {
            outbound.consume((int)n);
            counters.add(TcpCounter.BYTES_OUT.ordinal(), n);
            return (int)n;
        }
        // EAGAIN: the send buffer is full (the bytes wait); EINTR: retried next cycle; anything else ends the
        // connection, a broken pipe (the reset the recv of a cycle took first) counted as the reset it was
        if (n < 0 && -Errno.EAGAIN != n && -Errno.EINTR != n)
        {
            fail(-Errno.EPIPE == n ? Errno.ECONNRESET : (int)-n);
        }
        return 0;
    }

    // recv returned 0: the peer's FIN, or a connection the kernel closed whose errno another call took (a reset)
    private void end()
    {
        if (TcpInfoDescriptor.TCP_CLOSE == tcpState())
        {
            fail(Errno.ECONNRESET);
            return;
        }
        ended = true;
        counters.increment(TcpCounter.PEER_CLOSES.ordinal());
        counters.add(TcpCounter.BYTES_UNSENT.ordinal(), outbound.pending());
        outbound.clear();
        socket.raise(KSocketEvent.DISCONNECTED, 0);
    }

    // a fatal errno from recv, or ECONNRESET for a connection the kernel closed (send captures no errno): ERROR with
    // it (a reset counted apart), then DISCONNECTED
    private void fail(final int error)
    {
        ended = true;
        counters.increment((Errno.ECONNRESET == error ? TcpCounter.RESETS : TcpCounter.ERRORS).ordinal());
        counters.add(TcpCounter.BYTES_UNSENT.ordinal(), outbound.pending());
        outbound.clear();
        socket.raise(KSocketEvent.ERROR, error);
        socket.raise(KSocketEvent.DISCONNECTED, 0);
    }

    // the socket's pending error (SO_ERROR, taken), without errno; 0 when none or unreadable
    private int pendingError()
    {
        soError.set(ValueLayout.JAVA_INT, 0, 0);
        tcpInfoLength.set(ValueLayout.JAVA_INT, 0, 4);
        final int rc = LibC.getsockoptQuiet(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_ERROR, soError,
            tcpInfoLength);
        return rc < 0 ? 0 : soError.get(ValueLayout.JAVA_INT, 0);
    }

    // the kernel's TCP state, without errno (getsockopt never blocks)
    private int tcpState()
    {
        tcpInfoLength.set(ValueLayout.JAVA_INT, 0, TcpInfoDescriptor.HEAD_LENGTH);
        final int rc = LibC.getsockoptQuiet(fd, SocketConstants.IPPROTO_TCP, SocketConstants.TCP_INFO, tcpInfo,
            tcpInfoLength);
        return rc < 0 ? TcpInfoDescriptor.TCP_CLOSE : tcpInfo.get(ValueLayout.JAVA_BYTE,
            TcpInfoDescriptor.STATE_OFFSET) & 0xFF;
    }
}
