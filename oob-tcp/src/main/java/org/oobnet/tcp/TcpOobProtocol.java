package org.oobnet.tcp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.StageCommand;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.TcpInfoDescriptor;

/**
 * Stage-driven TCP: an {@code AF_INET}/{@code SOCK_STREAM | SOCK_OOB} socket stays a kernel TCP socket (so it
 * talks to anything), and once connected the OOB stage sends and receives on it with non-blocking calls, through a
 * stage device per connection ({@link TcpConnection}): no thread hand-off, no blocking, no allocation.
 * <p>
 * Why a {@code SOCK_OOB} socket rather than an option that moves any connected socket onto a stage: connect,
 * accept and close then stay the in-band calls they are, through the hooks every OOB socket goes through (attach,
 * connect, release, destroy), so the socket has counters, a send ring, a receive ring and events like every other
 * OOB socket, and closing it takes it off the stage before the kernel descriptor goes. A listening
 * {@code SOCK_OOB} socket hands out {@code SOCK_OOB} connections ({@link KSocket#accept}).
 * <p>
 * Lifecycle: {@code socket} attaches (counters, {@code TCP_NODELAY}); {@code connect} (blocking, in-band) or
 * {@code accept} connects, and the connection's buffers are made: from then on sends go out (what the kernel does
 * not take waits for {@link #start}); the application sets the socket's stage receive and event handlers, then
 * calls {@link #start(OobSocket)}: from the next stage cycle on the connection's device polls the kernel socket and
 * pushes its outbound bytes. A listening socket holds no buffers and is never polled. Sends from the stage
 * ({@link OobSocket#oobSend}) or from any thread (the socket's send ring) go through {@link #send}. At close the
 * device leaves the stage with the socket.
 * <p>
 * Received bytes are a stream: each delivery is what one {@code recv} returned, with no message boundaries.
 * <p>
 * A non-blocking socket ({@code SOCK_NONBLOCK}) connects without waiting: {@code connect} fails with
 * {@code EINPROGRESS} (the connect hook does not run: the kernel has not connected yet), and {@link #start} may be
 * called at once: the connection goes on the stage, which follows the kernel's handshake and raises
 * {@code CONNECTED} (sends made meanwhile wait in the outbound buffer and then go out) or {@code CONNECTFAILED}
 * with the errno ({@code ECONNREFUSED}, {@code ETIMEDOUT}, ...), once.
 * <p>
 * <b>Note:</b> one instance serves every TCP socket of a runtime; in-band hooks thread safe, stage methods on the
 * stage only.
 */
public final class TcpOobProtocol implements OobProtocol
{
    /** Default size of a connection's receive buffer (one {@code recv} at most). */
    public static final int DEFAULT_RECEIVE_BYTES = 64 * 1024;
    /** Default size of a connection's outbound buffer (what may wait for the kernel). */
    public static final int DEFAULT_SEND_BYTES = 256 * 1024;

    private final int receiveBytes;
    private final int sendBytes;
    private final long receiveIntervalNs;

    /**
     * A protocol with the default buffer sizes, receiving every cycle.
     */
    public TcpOobProtocol()
    {
        this(DEFAULT_RECEIVE_BYTES, DEFAULT_SEND_BYTES);
    }

    /**
     * A protocol receiving every cycle.
     *
     * @param receiveBytes each connection's receive buffer, the most one {@code recv} returns.
     * @param sendBytes    each connection's outbound buffer, the most that may wait for the kernel.
     */
    public TcpOobProtocol(final int receiveBytes, final int sendBytes)
    {
        this(receiveBytes, sendBytes, 0);
    }

    /**
     * @param receiveBytes      each connection's receive buffer, the most one {@code recv} returns.
     * @param sendBytes         each connection's outbound buffer, the most that may wait for the kernel.
     * @param receiveIntervalNs how often a quiet connection is received from: 0, every stage cycle; else every
     *                          cycle only within this long of its last send or received bytes, and once per
     *                          interval otherwise. A {@code recv} is a syscall (about 0.5 µs, most of a cycle's
     *                          cost): a stage that also polls a feed ring picks each packet up sooner when its
     *                          quiet order connections are not received from every cycle. The price: bytes that
     *                          arrive on a quiet connection (a heartbeat, the peer's close) wait up to the interval;
     *                          and an interval of milliseconds leaves the errno-capturing {@code recv} rarely run,
     *                          so it may allocate until the JIT has compiled it (at 50 µs, 20 000 calls a
     *                          second, a warm-up compiles it).
     */
    public TcpOobProtocol(final int receiveBytes, final int sendBytes, final long receiveIntervalNs)
    {
        if (receiveBytes < 64 || sendBytes < 64)
        {
            throw new IllegalArgumentException("receiveBytes=" + receiveBytes + " sendBytes=" + sendBytes +
                " must each be at least 64");
        }
        if (receiveIntervalNs < 0)
        {
            throw new IllegalArgumentException("receiveIntervalNs=" + receiveIntervalNs + " must not be negative");
        }
        this.receiveBytes = receiveBytes;
        this.sendBytes = sendBytes;
        this.receiveIntervalNs = receiveIntervalNs;
        // in-band: the stage's downcalls are customised here, never on the stage
        LibC.customizeStageCalls();
    }

    @Override
    public int family()
    {
        return SocketConstants.AF_INET;
    }

    @Override
    public String name()
    {
        return "tcp";
    }

    @Override
    public int match(final int type, final int protocol)
    {
        if (SocketConstants.SOCK_STREAM != type)
        {
            return -Errno.ESOCKTNOSUPPORT;
        }
        return 0 == protocol || SocketConstants.IPPROTO_TCP == protocol ? 0 : -Errno.EPROTONOSUPPORT;
    }

    // in-band, socket() or accept(): the connection's buffers and counters; TCP_NODELAY for every segment at once
    @Override
    public int attach(final OobSocket socket)
    {
        final KSocket ksocket = socket.ksocket();
        final int fd = ksocket.fd();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment one = arena.allocate(ValueLayout.JAVA_INT);
            one.set(ValueLayout.JAVA_INT, 0, 1);
            final int rc = LibC.setsockopt(ErrnoCapture.current(), fd, SocketConstants.IPPROTO_TCP,
                SocketConstants.TCP_NODELAY, one, 4);
            if (rc < 0)
            {
                return rc;
            }
        }
        final ProtocolCounters counters = socket.newProtocolCounters(TcpCounter.values());
        if (null == counters)
        {
            return -Errno.ENOBUFS;
        }
        final TcpSocketState state = new TcpSocketState(socket, fd, counters);
        socket.protocolState(state);
        if (ksocket.isConnected())
        {
            // accepted: connected from birth
            connected(state);
        }
        return 0;
    }

    // in-band, after the kernel connected the socket: its connection (buffers); sends go out from now on, receives
    // once started
    @Override
    public int connect(final OobSocket socket, final MemorySegment address)
    {
        connected(socket.protocolState());
        return 0;
    }

    // in-band: the connection's buffers are made when the socket is connected: a listener holds none. The stage may
    // see the reference before any command publishes it: the connection's fields are all final, so it sees it whole
    private TcpConnection connected(final TcpSocketState state)
    {
        return connection(state, false);
    }

    // connecting: the kernel's connect is in progress, the stage raises its outcome
    private TcpConnection connection(final TcpSocketState state, final boolean connecting)
    {
        synchronized (state)
        {
            if (null == state.connection)
            {
                state.connection = new TcpConnection(state.socket, state.fd, receiveBytes, sendBytes,
                    receiveIntervalNs, state.counters, connecting);
            }
            return state.connection;
        }
    }

    /**
     * In-band: puts a connected socket's connection on its stage: from the next cycle the stage receives on it
     * and pushes its outbound bytes. Set the socket's stage receive handler and event handler first.
     *
     * @param socket a socket of this protocol, connected (by {@code connect} or from {@code accept}) or connecting
     *               (a non-blocking {@code connect} that failed with {@code EINPROGRESS}: the stage then raises
     *               {@code CONNECTED} or {@code CONNECTFAILED}).
     * @return 0; {@code -ENOTCONN} when the kernel socket is neither connected nor connecting, the failed
     * connect's errno (e.g. {@code -ECONNREFUSED}) when a non-blocking connect already failed, {@code -EPROTOTYPE}
     * when the socket is not a TCP OOB socket, {@code -EBADF} when it is closed, or the stage's errno.
     */
    public static int start(final OobSocket socket)
    {
        if (!(socket.protocol() instanceof TcpOobProtocol))
        {
            return -Errno.EPROTOTYPE;
        }
        if (!socket.isOpen())
        {
            return -Errno.EBADF;
        }
        final TcpOobProtocol protocol = (TcpOobProtocol)socket.protocol();
        final TcpConnection connection;
        if (socket.ksocket().isConnected())
        {
            connection = protocol.connected(socket.protocolState());
        }
        else
        {
            final int state = kernelState(socket.ksocket().fd());
            if (TcpInfoDescriptor.TCP_CLOSE == state || TcpInfoDescriptor.TCP_LISTEN == state || state < 0)
            {
                final int error = TcpInfoDescriptor.TCP_CLOSE == state ? pendingError(socket.ksocket()) : 0;
                return 0 != error ? -error : -Errno.ENOTCONN;
            }
            // a non-blocking connect, in progress or completed since: the stage reports which
            connection = protocol.connection(socket.protocolState(), true);
        }
        // the command publishes the connection to the stage (if the connect hook's queue had not yet)
        return socket.runtime().callOnStage(new Start(socket, connection));
    }

    // in-band: the kernel's TCP state, -1 when unreadable
    private static int kernelState(final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment info = arena.allocate(TcpInfoDescriptor.HEAD_LENGTH, 8);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, TcpInfoDescriptor.HEAD_LENGTH);
            final int rc = LibC.getsockopt(ErrnoCapture.current(), fd, SocketConstants.IPPROTO_TCP,
                SocketConstants.TCP_INFO, info, length);
            return rc < 0 ? -1 : info.get(ValueLayout.JAVA_BYTE, TcpInfoDescriptor.STATE_OFFSET) & 0xFF;
        }
    }

    // in-band: a failed non-blocking connect's errno (SO_ERROR, taken), 0 when none
    private static int pendingError(final KSocket socket)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 4);
            final int rc = LibC.getsockopt(ErrnoCapture.current(), socket.fd(), SocketConstants.SOL_SOCKET,
                SocketConstants.SO_ERROR, value, length);
            return rc < 0 ? 0 : value.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /**
     * Stage: ends a connection from this side (a protocol on top that found its peer misbehaving, a logout): what
     * is pending goes out if the kernel takes it, then {@code shutdown(SHUT_RDWR)}, and {@code DISCONNECTED} is
     * raised. Close the socket in-band afterwards to free it.
     *
     * @param socket a started TCP OOB socket.
     * @return 0, or {@code -EPIPE} when the stream had already ended.
     */
    public static int disconnect(final OobSocket socket)
    {
        final TcpConnection connection = connection(socket);
        return null == connection ? -Errno.ENOTCONN : connection.disconnect();
    }

    /**
     * In-band, after connect or accept and before {@link #start}: the connection's receives keep the kernel's
     * software RX timestamp ({@code SO_TIMESTAMPING} {@code RX_SOFTWARE | SOFTWARE}, read from each
     * {@code recvmsg}'s {@code SCM_TIMESTAMPING}), which {@link #rxTimestampNs} gives during the stage receive
     * handler. Costs a {@code recvmsg} with a control message instead of a {@code recv} per read.
     *
     * @param socket a connected TCP OOB socket, not yet started.
     * @return 0; {@code -EPROTOTYPE} when the socket is not a TCP OOB socket, {@code -ENOTCONN} when it has no
     * connection yet, or {@code setsockopt}'s errno.
     */
    public static int rxTimestamps(final OobSocket socket)
    {
        if (!(socket.protocol() instanceof TcpOobProtocol))
        {
            return -Errno.EPROTOTYPE;
        }
        final TcpConnection connection = connection(socket);
        if (null == connection)
        {
            return -Errno.ENOTCONN;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment flags = arena.allocate(ValueLayout.JAVA_INT);
            flags.set(ValueLayout.JAVA_INT, 0, TcpRxTimestamps.FLAGS);
            final int rc = LibC.setsockopt(ErrnoCapture.current(), socket.ksocket().fd(), SocketConstants.SOL_SOCKET,
                SocketConstants.SO_TIMESTAMPING, flags, 4);
            if (rc < 0)
            {
                return rc;
            }
        }
        connection.enableRxTimestamps();
        return 0;
    }

    /**
     * Stage, inside the socket's stage receive handler: the kernel's software RX time of the bytes being delivered
     * (of the last segment the read took), {@code CLOCK_REALTIME} ns.
     *
     * @param socket a TCP OOB socket with {@link #rxTimestamps} on.
     * @return the time, 0 when there is none (timestamps off, not connected, or the kernel gave none).
     */
    public static long rxTimestampNs(final OobSocket socket)
    {
        final TcpConnection connection = connection(socket);
        return null == connection ? 0 : connection.rxTimestampNs();
    }

    /**
     * Counters of a TCP OOB socket's connection.
     *
     * @param socket the socket.
     * @param counter which counter.
     * @return its value.
     */
    public static long counter(final OobSocket socket, final TcpCounter counter)
    {
        final TcpSocketState state = socket.protocolState();
        return state.counters.get(counter.ordinal());
    }

    // stage: a socket not connected has no outbound path: its messages are refused (and counted) as not connected
    @Override
    public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final TcpConnection connection = connection(socket);
        return null == connection ? -Errno.ENOTCONN : connection.send(buffer, offset, length);
    }

    // stage, the socket leaving: its device too, after one last push of what is pending
    @Override
    public void onStageDetach(final OobSocket socket)
    {
        final TcpConnection connection = connection(socket);
        if (null == connection)
        {
            return;
        }
        if (connection.onStage)
        {
            socket.stage().removeDevice(connection);
            connection.onStage = false;
        }
        connection.onDetach();
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        final TcpConnection connection = connection(socket);
        if (null != connection)
        {
            connection.free();
        }
    }

    private static TcpConnection connection(final OobSocket socket)
    {
        final TcpSocketState state = socket.protocolState();
        return null == state ? null : state.connection;
    }

    // stage: the connection's device joins the stage (once; the socket must still be on it)
    private static final class Start extends StageCommand
    {
        private final OobSocket socket;
        private final TcpConnection connection;

        Start(final OobSocket socket, final TcpConnection connection)
        {
            this.socket = socket;
            this.connection = connection;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            if (!socket.isOnStage())
            {
                return -Errno.EBADF;
            }
            if (connection.onStage)
            {
                return 0;
            }
            final int rc = stage.addDevice(connection);
            connection.onStage = 0 == rc;
            return rc;
        }
    }
}
