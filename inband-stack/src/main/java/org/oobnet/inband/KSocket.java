package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.IfreqDescriptor;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.MmsghdrDescriptor;
import org.oobnet.inband.sys.MsghdrDescriptor;
import org.oobnet.inband.sys.SockExtendedErrDescriptor;
import org.oobnet.inband.sys.SysConstants;

import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.FIONBIO;
import static org.oobnet.inband.SocketConstants.FIONREAD;
import static org.oobnet.inband.SocketConstants.IPV6_RECVERR;
import static org.oobnet.inband.SocketConstants.IP_RECVERR;
import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;
import static org.oobnet.inband.SocketConstants.MSG_ERRQUEUE;
import static org.oobnet.inband.SocketConstants.MSG_ZEROCOPY;
import static org.oobnet.inband.SocketConstants.SHUT_RD;
import static org.oobnet.inband.SocketConstants.SHUT_RDWR;
import static org.oobnet.inband.SocketConstants.SIOCGIFHWADDR;
import static org.oobnet.inband.SocketConstants.SIOCGIFINDEX;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;
import static org.oobnet.inband.SocketConstants.SOL_IP;
import static org.oobnet.inband.SocketConstants.SOL_IPV6;
import static org.oobnet.inband.SocketConstants.SOL_SOCKET;
import static org.oobnet.inband.SocketConstants.SO_EE_CODE_ZEROCOPY_COPIED;
import static org.oobnet.inband.SocketConstants.SO_EE_ORIGIN_TIMESTAMPING;
import static org.oobnet.inband.SocketConstants.SO_EE_ORIGIN_ZEROCOPY;
import static org.oobnet.inband.SocketConstants.SO_ZEROCOPY;
import static org.oobnet.inband.SocketConstants.SOCK_CLOEXEC;
import static org.oobnet.inband.SocketConstants.SOCK_FLAGS_ALLOWED;
import static org.oobnet.inband.SocketConstants.SOCK_NONBLOCK;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_TYPE_MASK;

/**
 * A kernel socket driven from Java, ksocket style: every operation succeeds or throws an {@link ErrnoException};
 * results that userland gets alongside success (bytes, a new socket) are return values.
 * <p>
 * <b>Lifetime.</b> A socket starts with one reference, the one {@link #close()} drops. {@link #hold()} and
 * {@link #rele()} add and drop more; every system call on the socket also holds a reference for its duration,
 * so the descriptor number is never closed (and never reused by the kernel for another file) while a call on
 * it is in flight: a call racing with {@code close} either runs on the still-open socket or fails with a clean
 * {@code EBADF}. The descriptor is closed, and {@link OobHooks#destroy} runs, when the socket is closed and the
 * last reference is gone. As ksocket's {@code ksocket_close} waits for the holds: {@link #close()} while others
 * hold the socket stops new operations ({@code EBADF}) and wakes blocked calls, but a stream's connection is not
 * shut down under the holders: the peer sees the FIN (or RST) when the last hold is released (docs/ksocket-events.md).
 * <p>
 * <b>Out-of-band sockets.</b> With {@link SocketConstants#SOCK_OOB} in {@code type}, the installed
 * {@link OobHooks} (see {@link #installOobHooks}) are called at the Dovetail hook points; with none installed
 * {@code SOCK_OOB} gives {@code EPROTONOSUPPORT}. A pure {@link SocketConstants#AF_OOB} socket has no kernel
 * socket: it is backed by an {@code eventfd}, so it still has a real descriptor, and only the hooks give it
 * behaviour. The companion core keeps its per-socket state in {@link #oobContext()}, as the kernel's
 * {@code sk->oob_data}.
 * <p>
 * <b>Blocking.</b> Sockets block by default. A blocked call is not ended by {@link Thread#interrupt()} (it is
 * a plain system call); {@link #close()} from another thread ends it with {@code EBADF}, as does a timeout set
 * with {@code SO_RCVTIMEO}/{@code SO_SNDTIMEO} ({@code EAGAIN}). The {@code try*} calls report kernel style
 * ({@code -errno}) and allocate nothing for native memory: for loops that poll.
 * <p>
 * <b>Note:</b> thread safe; all operations are in-band (they may block and allocate).
 */
public final class KSocket implements AutoCloseable
{
    private static final AtomicReference<OobHooks> INSTALLED_HOOKS = new AtomicReference<>();
    private static final int CLOSED_BIT = 0x8000_0000;
    private static final int COUNT_MASK = 0x7fff_ffff;
    private static final VarHandle STATE;
    private static final System.Logger LOGGER = System.getLogger(KSocket.class.getName());
    private static final int ERROR_CONTROL_BYTES = 256;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(KSocket.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int fd;
    private final int family;
    private final int type;
    private final int protocol;
    private final int typeFlags;
    private final OobHooks hooks;
    private volatile boolean nonBlocking;
    private volatile Object oobContext;
    private volatile boolean listening;
    private volatile boolean connected;
    private volatile ZeroCopyTracker zeroCopy;
    private volatile boolean zeroCopyEnabled;
    // true while an OOB stage reads the error queue (errorQueueOnStage): the event thread leaves it alone
    private volatile boolean errorQueueOnStage;
    // Guarded by this: the socket's entry in the event thread's epoll set.
    private EventRegistration registration;
    // Closed flag (bit 31) and reference count (bits 0..30), changed by CAS only.
    private volatile int state = 1;
    // What the calls made here tell the event thread (connect outcomes, shutdowns, flow control).
    private final KSocketEventMachine events;

    private KSocket(final int fd, final int family, final int type, final int protocol, final int typeFlags,
        final OobHooks hooks)
    {
        this.fd = fd;
        this.family = family;
        this.type = type;
        this.protocol = protocol;
        this.typeFlags = typeFlags;
        this.hooks = hooks;
        this.nonBlocking = 0 != (typeFlags & SOCK_NONBLOCK);
        this.events = new KSocketEventMachine(this);
    }

    /**
     * Installs the one hook implementation (the companion core's).
     *
     * @param hooks the implementation.
     * @throws IllegalStateException when another implementation is installed.
     */
    public static void installOobHooks(final OobHooks hooks)
    {
        if (null == hooks)
        {
            throw new NullPointerException("hooks");
        }
        if (!INSTALLED_HOOKS.compareAndSet(null, hooks))
        {
            throw new IllegalStateException("OOB hooks already installed: installed=" + INSTALLED_HOOKS.get());
        }
    }

    /**
     * Removes the hook implementation if it is the installed one. Sockets created while it was installed keep
     * calling it until they are destroyed.
     *
     * @param hooks the implementation to remove.
     * @return true when it was installed and is now removed.
     */
    public static boolean removeOobHooks(final OobHooks hooks)
    {
        return INSTALLED_HOOKS.compareAndSet(hooks, null);
    }

    /**
     * The installed hook implementation.
     *
     * @return the hooks, or null when none is installed.
     */
    public static OobHooks installedOobHooks()
    {
        return INSTALLED_HOOKS.get();
    }

    /**
     * Creates a socket.
     * <p>
     * In-band. With {@code SOCK_OOB}, {@link OobHooks#attach} runs after the socket is built and before it is
     * returned; its failure closes the socket (no release or destroy hook runs: nothing was attached) and fails
     * this call with its errno.
     *
     * @param family   {@code AF_INET}, {@code AF_INET6}, {@code AF_PACKET}, {@code AF_OOB}, ...
     * @param type     {@code SOCK_STREAM}, {@code SOCK_DGRAM}, {@code SOCK_RAW}, ... with optional
     *                 {@code SOCK_NONBLOCK}, {@code SOCK_CLOEXEC}, {@code SOCK_OOB}.
     * @param protocol the protocol, 0 for the default ({@code AF_PACKET}: the EtherType in network order).
     * @return the socket, blocking unless {@code SOCK_NONBLOCK}.
     * @throws ErrnoException {@code EINVAL} for an unknown type flag, {@code EPROTONOSUPPORT} for
     *                        {@code SOCK_OOB} without hooks, {@code EAFNOSUPPORT} for {@code AF_OOB} without
     *                        {@code SOCK_OOB}, or the kernel's or the attach hook's errno.
     */
    public static KSocket socket(final int family, final int type, final int protocol) throws ErrnoException
    {
        final int typeFlags = type & ~SOCK_TYPE_MASK;
        if (0 != (typeFlags & ~SOCK_FLAGS_ALLOWED))
        {
            throw new ErrnoException("socket", Errno.EINVAL,
                "type=0x" + Integer.toHexString(type) + " flags=0x" + Integer.toHexString(typeFlags & ~SOCK_FLAGS_ALLOWED));
        }
        final boolean oob = 0 != (typeFlags & SOCK_OOB);
        final OobHooks hooks = oob ? INSTALLED_HOOKS.get() : null;
        if (oob && null == hooks)
        {
            throw new ErrnoException("socket", Errno.EPROTONOSUPPORT, "flags=SOCK_OOB hooks=none");
        }
        final ErrnoCapture errno = ErrnoCapture.current();
        final int fd;
        if (AF_OOB == family)
        {
            if (!oob)
            {
                throw new ErrnoException("socket", Errno.EAFNOSUPPORT, "family=AF_OOB flags lack SOCK_OOB");
            }
            // The kernel has no family 46: an eventfd gives the socket a real, pollable descriptor.
            final int efdFlags = (0 != (typeFlags & SOCK_NONBLOCK) ? SysConstants.EFD_NONBLOCK : 0) |
                (0 != (typeFlags & SOCK_CLOEXEC) ? SysConstants.EFD_CLOEXEC : 0);
            fd = LibC.eventfd(errno, 0, efdFlags);
        }
        else
        {
            // SOCK_OOB is ours: the kernel never sees it.
            fd = LibC.socket(errno, family, type & ~SOCK_OOB, protocol);
        }
        if (fd < 0)
        {
            throw new ErrnoException("socket", fd, "family=" + family + " type=" + (type & SOCK_TYPE_MASK) +
                " protocol=" + protocol);
        }

        final KSocket socket = new KSocket(fd, family, type & SOCK_TYPE_MASK, protocol, typeFlags, hooks);
        if (oob)
        {
            final int result = hooks.attach(socket);
            if (result < 0)
            {
                socket.state = CLOSED_BIT;
                LibC.close(errno, fd);
                throw new ErrnoException("socket", result, "hook=attach");
            }
        }
        return socket;
    }

    /**
     * The descriptor number. Valid only while the socket is held (see {@link #hold()}); a caller that uses it
     * in its own system calls must hold the socket around them.
     *
     * @return the descriptor.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * The address family given at creation.
     *
     * @return e.g. {@code AF_INET}.
     */
    public int family()
    {
        return family;
    }

    /**
     * The socket type without flags.
     *
     * @return e.g. {@code SOCK_DGRAM}.
     */
    public int type()
    {
        return type;
    }

    /**
     * The type flags given at creation.
     *
     * @return a combination of {@code SOCK_NONBLOCK}, {@code SOCK_CLOEXEC}, {@code SOCK_OOB}.
     */
    public int typeFlags()
    {
        return typeFlags;
    }

    /**
     * The protocol given at creation.
     *
     * @return the protocol.
     */
    public int protocol()
    {
        return protocol;
    }

    /**
     * Whether the socket was created with {@code SOCK_OOB}.
     *
     * @return true for an out-of-band capable socket.
     */
    public boolean isOob()
    {
        return null != hooks;
    }

    /**
     * Whether the socket is in non-blocking mode ({@code SOCK_NONBLOCK} or {@code FIONBIO}).
     *
     * @return true when non-blocking.
     */
    public boolean isNonBlocking()
    {
        return nonBlocking;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return 0 != (state & CLOSED_BIT);
    }

    /**
     * The references held now, the open reference and in-flight calls included.
     *
     * @return the count; 0 once the resources are gone.
     */
    public int refCount()
    {
        return state & COUNT_MASK;
    }

    /**
     * The companion core's per-socket context ({@code sk->oob_data}).
     *
     * @return the context, or null.
     */
    public Object oobContext()
    {
        return oobContext;
    }

    /**
     * Sets the companion core's per-socket context; a volatile write, so any thread that reads it afterwards
     * sees the context's construction.
     *
     * @param context the context, or null to clear it.
     */
    public void oobContext(final Object context)
    {
        oobContext = context;
    }

    /**
     * The hooks this socket calls (those installed when it was created).
     *
     * @return the hooks, or null for a regular socket.
     */
    OobHooks hooks()
    {
        return hooks;
    }

    void nonBlocking(final boolean value)
    {
        nonBlocking = value;
    }

    /**
     * Adds a reference: the socket's resources stay until every reference is dropped, even after close.
     *
     * @throws ErrnoException {@code EBADF} when the socket is closed.
     */
    public void hold() throws ErrnoException
    {
        acquire("hold");
    }

    /**
     * Adds a reference unless the socket is closed.
     *
     * @return true when a reference was added (drop it with {@link #rele()}).
     */
    public boolean tryHold()
    {
        while (true)
        {
            final int current = state;
            if (0 != (current & CLOSED_BIT))
            {
                return false;
            }
            if (STATE.compareAndSet(this, current, current + 1))
            {
                return true;
            }
        }
    }

    /**
     * Drops a reference; the last one, once the socket is closed, closes the descriptor and runs the destroy
     * hook on this thread.
     */
    public void rele()
    {
        while (true)
        {
            final int current = state;
            final int count = current & COUNT_MASK;
            if (0 == count || (1 == count && 0 == (current & CLOSED_BIT)))
            {
                // The open reference belongs to close(): dropping it here would free an open socket.
                throw new IllegalStateException("rele without hold: fd=" + fd + " refs=" + count);
            }
            if (STATE.compareAndSet(this, current, current - 1))
            {
                if (1 == count)
                {
                    free();
                }
                return;
            }
        }
    }

    /**
     * Takes a reference for an operation, failing with {@code EBADF} once the socket is closed.
     */
    void acquire(final String operation) throws ErrnoException
    {
        if (!tryHold())
        {
            throw new ErrnoException(operation, Errno.EBADF, "fd=" + fd + " closed");
        }
    }

    /**
     * Turns a failed call's result into an exception; a call that failed because a concurrent close woke it
     * reports {@code EBADF}.
     */
    ErrnoException failure(final String operation, final long result)
    {
        if (isClosed())
        {
            return new ErrnoException(operation, Errno.EBADF, "fd=" + fd + " closed");
        }
        return new ErrnoException(operation, (int)result, "fd=" + fd);
    }

    private void requireKernelSocket(final String operation) throws ErrnoException
    {
        if (AF_OOB == family)
        {
            throw new ErrnoException(operation, Errno.EOPNOTSUPP, "fd=" + fd + " family=AF_OOB has no in-band data path");
        }
    }

    /**
     * Binds the socket to a local address.
     * <p>
     * In-band. With {@code SOCK_OOB}, {@link OobHooks#bind} runs after the kernel bound the socket; its failure
     * fails this call. A pure {@code AF_OOB} socket is bound by the hook alone.
     *
     * @param address a native {@code sockaddr}, exactly its length.
     * @throws ErrnoException the kernel's or the hook's errno.
     */
    public void bind(final MemorySegment address) throws ErrnoException
    {
        acquire("bind");
        try
        {
            if (AF_OOB != family)
            {
                final int result = LibC.bind(ErrnoCapture.current(), fd, address, (int)address.byteSize());
                if (result < 0)
                {
                    throw failure("bind", result);
                }
            }
            if (null != hooks)
            {
                final int result = hooks.bind(this, address);
                if (result < 0)
                {
                    throw new ErrnoException("bind", result, hookFailure("fd=" + fd + " hook=bind"));
                }
            }
        }
        finally
        {
            rele();
        }
    }

    /**
     * Binds the socket to an IP address and port.
     *
     * @param address the local address.
     * @throws ErrnoException the kernel's or the hook's errno.
     */
    public void bind(final InetSocketAddress address) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            bind(SockAddr.encode(address, arena));
        }
    }

    /**
     * Makes a stream socket accept connections.
     *
     * @param backlog the queue length of pending connections.
     * @throws ErrnoException the kernel's errno ({@code EOPNOTSUPP} for a datagram socket).
     */
    public void listen(final int backlog) throws ErrnoException
    {
        requireKernelSocket("listen");
        acquire("listen");
        try
        {
            final int result = LibC.listen(ErrnoCapture.current(), fd, backlog);
            if (result < 0)
            {
                throw failure("listen", result);
            }
            listening = true;
        }
        finally
        {
            rele();
        }
    }

    /**
     * A connection taken from a listening socket.
     *
     * @param socket the new, connected socket; an OOB socket (attached through the hooks) when the listener is one.
     * @param peer   the peer's address.
     */
    public record Accepted(KSocket socket, InetSocketAddress peer)
    {
    }

    /**
     * Accepts a connection; blocks unless non-blocking ({@code EAGAIN}).
     *
     * @param flags {@code SOCK_NONBLOCK} and/or {@code SOCK_CLOEXEC} for the new socket; anything else is
     *              {@code EINVAL}.
     * @return the new socket and the peer address.
     * @throws ErrnoException the kernel's errno; {@code EBADF} when closed meanwhile.
     */
    public Accepted accept(final int flags) throws ErrnoException
    {
        if (0 != (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)))
        {
            throw new ErrnoException("accept", Errno.EINVAL, "flags=0x" + Integer.toHexString(flags));
        }
        requireKernelSocket("accept");
        acquire("accept");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(SockAddr.STORAGE_LENGTH, 8);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_LENGTH);
            final int result = LibC.accept4(ErrnoCapture.current(), fd, address, length, flags);
            if (result < 0)
            {
                throw failure("accept", result);
            }
            // an OOB listener's connections are OOB too (the kernel's accept4 knows no SOCK_OOB): same hooks,
            // attached here, already connected
            final KSocket accepted = new KSocket(result, family, type, protocol,
                null != hooks ? flags | SOCK_OOB : flags, hooks);
            accepted.connected = true;
            accepted.events.accepted();
            if (null != hooks)
            {
                final int attached = hooks.attach(accepted);
                if (attached < 0)
                {
                    accepted.state = CLOSED_BIT;
                    LibC.close(ErrnoCapture.current(), result);
                    throw new ErrnoException("accept", attached, "fd=" + fd + " hook=attach");
                }
            }
            return new Accepted(accepted, SockAddr.decode(address, length.get(ValueLayout.JAVA_INT, 0)));
        }
        finally
        {
            rele();
        }
    }

    /**
     * Connects the socket.
     * <p>
     * In-band; blocks unless non-blocking, when it fails with {@code EINPROGRESS} and completion is reported by
     * the {@code CONNECTED}/{@code CONNECTFAILED} events. With {@code SOCK_OOB}, {@link OobHooks#connect} runs
     * after the kernel connected the socket (only when the kernel completed the connection in this call); its
     * failure fails this call.
     *
     * @param address a native {@code sockaddr}, exactly its length.
     * @throws ErrnoException the kernel's or the hook's errno.
     */
    public void connect(final MemorySegment address) throws ErrnoException
    {
        acquire("connect");
        try
        {
            if (AF_OOB != family)
            {
                events.connectStarted();
                final int result = LibC.connect(ErrnoCapture.current(), fd, address, (int)address.byteSize());
                events.connectReturned(result);
                if (result < 0)
                {
                    throw failure("connect", result);
                }
                connected = true;
            }
            if (null != hooks)
            {
                final int result = hooks.connect(this, address);
                if (result < 0)
                {
                    throw new ErrnoException("connect", result, hookFailure("fd=" + fd + " hook=connect"));
                }
            }
        }
        finally
        {
            rele();
        }
    }

    /**
     * Connects the socket to an IP address and port.
     *
     * @param address the peer address.
     * @throws ErrnoException the kernel's or the hook's errno.
     */
    public void connect(final InetSocketAddress address) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            connect(SockAddr.encode(address, arena));
        }
    }

    /**
     * Event thread: the connection's outcome, as the state machine reported it.
     */
    void connectDone(final boolean success)
    {
        connected = success;
    }

    /**
     * The socket's event state machine.
     */
    KSocketEventMachine eventMachine()
    {
        return events;
    }

    boolean isPeerKnown()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(SockAddr.STORAGE_LENGTH, 8);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_LENGTH);
            return 0 == LibC.getpeername(ErrnoCapture.current(), fd, address, length);
        }
    }

    /**
     * Whether the socket is connected (by {@code connect}, by {@code accept}, or by a completed
     * {@code CONNECTED} event).
     *
     * @return true when connected.
     */
    public boolean isConnected()
    {
        return connected;
    }

    /**
     * Whether {@link #listen} succeeded.
     *
     * @return true for a listening socket.
     */
    public boolean isListening()
    {
        return listening;
    }

    // ---------------------------------------------------------------------------------------------- sending

    private long transmit(final String operation, final MemorySegment data, final int flags,
        final MemorySegment address, final int addressLength) throws ErrnoException
    {
        requireKernelSocket(operation);
        acquire(operation);
        try
        {
            final CallContext context = CallContext.current();
            final MemorySegment source;
            if (data.isNative())
            {
                source = data;
            }
            else
            {
                source = context.scratch(data.byteSize());
                MemorySegment.copy(data, 0, source, 0, data.byteSize());
            }
            final long result = LibC.sendto(context.errno, fd, source, source.byteSize(), flags,
                null == address ? MemorySegment.NULL : address, addressLength);
            noteFlowControl(result, source.byteSize());
            if (result < 0)
            {
                throw failure(operation, result);
            }
            return result;
        }
        finally
        {
            rele();
        }
    }

    /**
     * After a send: a send refused for flow control ({@code EAGAIN}), or a stream send cut short (the buffer
     * filled), arms {@code CANSEND}. Allocates nothing once armed.
     */
    private void noteFlowControl(final long result, final long length)
    {
        if (-Errno.EAGAIN == result || (SOCK_STREAM == type && result >= 0 && result < length))
        {
            events.sendRefused();
        }
    }

    /**
     * Sends on a connected socket; native memory goes to the kernel without a copy.
     *
     * @param data  the bytes (native or heap segment).
     * @param flags {@code MSG_*} flags.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno ({@code EAGAIN} when non-blocking and full).
     */
    public long send(final MemorySegment data, final int flags) throws ErrnoException
    {
        return transmit("send", data, flags, null, 0);
    }

    /**
     * Sends the bytes between position and limit and advances the position by the bytes sent.
     *
     * @param data  a heap or direct buffer.
     * @param flags {@code MSG_*} flags.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno.
     */
    public long send(final ByteBuffer data, final int flags) throws ErrnoException
    {
        final long sent = transmit("send", Buffers.of(data), flags, null, 0);
        data.position(data.position() + (int)sent);
        return sent;
    }

    /**
     * Sends bytes of an Agrona buffer.
     *
     * @param data   the buffer.
     * @param offset first byte.
     * @param length bytes.
     * @param flags  {@code MSG_*} flags.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno.
     */
    public long send(final DirectBuffer data, final int offset, final int length, final int flags) throws ErrnoException
    {
        return transmit("send", Buffers.of(data, offset, length), flags, null, 0);
    }

    /**
     * Sends to an address.
     *
     * @param data    the bytes.
     * @param flags   {@code MSG_*} flags.
     * @param address a native {@code sockaddr}, exactly its length.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno.
     */
    public long sendTo(final MemorySegment data, final int flags, final MemorySegment address) throws ErrnoException
    {
        return transmit("sendto", data, flags, address, (int)address.byteSize());
    }

    /**
     * Sends to an IP address.
     *
     * @param data    the bytes.
     * @param flags   {@code MSG_*} flags.
     * @param address the destination.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno.
     */
    public long sendTo(final MemorySegment data, final int flags, final InetSocketAddress address) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            return sendTo(data, flags, SockAddr.encode(address, arena));
        }
    }

    /**
     * Sends the bytes between position and limit to an IP address and advances the position.
     *
     * @param data    a heap or direct buffer.
     * @param flags   {@code MSG_*} flags.
     * @param address the destination.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno.
     */
    public long sendTo(final ByteBuffer data, final int flags, final InetSocketAddress address) throws ErrnoException
    {
        final long sent = sendTo(Buffers.of(data), flags, address);
        data.position(data.position() + (int)sent);
        return sent;
    }

    /**
     * Sends bytes of an Agrona buffer to an IP address.
     *
     * @param data    the buffer.
     * @param offset  first byte.
     * @param length  bytes.
     * @param flags   {@code MSG_*} flags.
     * @param address the destination.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno.
     */
    public long sendTo(final DirectBuffer data, final int offset, final int length, final int flags,
        final InetSocketAddress address) throws ErrnoException
    {
        return sendTo(Buffers.of(data, offset, length), flags, address);
    }

    // -------------------------------------------------------------------------------------------- receiving

    private long receive(final String operation, final MemorySegment data, final int flags,
        final MemorySegment address, final MemorySegment addressLength) throws ErrnoException
    {
        requireKernelSocket(operation);
        acquire(operation);
        try
        {
            final CallContext context = CallContext.current();
            final MemorySegment target = data.isNative() ? data : context.scratch(data.byteSize());
            final long result = LibC.recvfrom(context.errno, fd, target, target.byteSize(), flags,
                null == address ? MemorySegment.NULL : address,
                null == addressLength ? MemorySegment.NULL : addressLength);
            if (result < 0)
            {
                throw failure(operation, result);
            }
            if (0 == result && isClosed())
            {
                // Woken by a concurrent close's shutdown, not by data.
                throw failure(operation, -Errno.EBADF);
            }
            if (!data.isNative())
            {
                MemorySegment.copy(target, 0, data, 0, Math.min(result, data.byteSize()));
            }
            return result;
        }
        finally
        {
            rele();
        }
    }

    /**
     * Receives; blocks unless non-blocking or {@code MSG_DONTWAIT} ({@code EAGAIN}).
     *
     * @param data  where to put the bytes (native: no copy).
     * @param flags {@code MSG_*} flags.
     * @return bytes received; 0 at the end of a stream; with {@code MSG_TRUNC} the datagram's real length.
     * @throws ErrnoException the kernel's errno; {@code EBADF} when closed meanwhile.
     */
    public long recv(final MemorySegment data, final int flags) throws ErrnoException
    {
        return receive("recv", data, flags, null, null);
    }

    /**
     * Receives into the room between position and limit and advances the position by the bytes stored.
     *
     * @param data  a heap or direct buffer.
     * @param flags {@code MSG_*} flags.
     * @return bytes received.
     * @throws ErrnoException the kernel's errno.
     */
    public long recv(final ByteBuffer data, final int flags) throws ErrnoException
    {
        final long received = receive("recv", Buffers.of(data), flags, null, null);
        data.position(data.position() + (int)Math.min(received, data.remaining()));
        return received;
    }

    /**
     * Receives into an Agrona buffer.
     *
     * @param data   the buffer.
     * @param offset first byte.
     * @param length room.
     * @param flags  {@code MSG_*} flags.
     * @return bytes received.
     * @throws ErrnoException the kernel's errno.
     */
    public long recv(final MutableDirectBuffer data, final int offset, final int length, final int flags)
        throws ErrnoException
    {
        return receive("recv", Buffers.of(data, offset, length), flags, null, null);
    }

    /**
     * Receives with the source address, kernel style.
     *
     * @param data          where to put the bytes.
     * @param flags         {@code MSG_*} flags.
     * @param address       native room for the source {@code sockaddr}.
     * @param addressLength native {@code socklen_t}: in, the room; out, the length.
     * @return bytes received.
     * @throws ErrnoException the kernel's errno.
     */
    public long recvFrom(final MemorySegment data, final int flags, final MemorySegment address,
        final MemorySegment addressLength) throws ErrnoException
    {
        return receive("recvfrom", data, flags, address, addressLength);
    }

    /**
     * Receives into the room between position and limit, advances the position, and returns the source.
     *
     * @param data  a heap or direct buffer.
     * @param flags {@code MSG_*} flags.
     * @return the source address (null when it is not an IP address).
     * @throws ErrnoException the kernel's errno.
     */
    public InetSocketAddress recvFrom(final ByteBuffer data, final int flags) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(SockAddr.STORAGE_LENGTH, 8);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_LENGTH);
            final long received = receive("recvfrom", Buffers.of(data), flags, address, length);
            data.position(data.position() + (int)Math.min(received, data.remaining()));
            return SockAddr.decode(address, length.get(ValueLayout.JAVA_INT, 0));
        }
    }

    /**
     * Receives into an Agrona buffer with the source address, kernel style.
     *
     * @param data          the buffer.
     * @param offset        first byte.
     * @param length        room.
     * @param flags         {@code MSG_*} flags.
     * @param address       native room for the source {@code sockaddr}.
     * @param addressLength native {@code socklen_t}: in, the room; out, the length.
     * @return bytes received.
     * @throws ErrnoException the kernel's errno.
     */
    public long recvFrom(final MutableDirectBuffer data, final int offset, final int length, final int flags,
        final MemorySegment address, final MemorySegment addressLength) throws ErrnoException
    {
        return receive("recvfrom", Buffers.of(data, offset, length), flags, address, addressLength);
    }

    // ------------------------------------------------------------------------------- kernel-style, no throw

    /**
     * Sends kernel style: for loops that poll ({@code MSG_DONTWAIT}) and must not pay for an exception per
     * {@code EAGAIN}. Holds the socket around the call like every other operation; allocates nothing for native
     * memory (heap memory is copied through per-thread native scratch).
     *
     * @param data  the bytes.
     * @param flags {@code MSG_*} flags.
     * @return bytes sent, or {@code -errno} ({@code -EAGAIN}, {@code -EBADF} once closed, ...).
     */
    public long trySend(final MemorySegment data, final int flags)
    {
        return tryTransmit(data, flags, MemorySegment.NULL, 0);
    }

    /**
     * Sends to an address, kernel style (see {@link #trySend}).
     *
     * @param data    the bytes.
     * @param flags   {@code MSG_*} flags.
     * @param address a native {@code sockaddr}, exactly its length.
     * @return bytes sent, or {@code -errno}.
     */
    public long trySendTo(final MemorySegment data, final int flags, final MemorySegment address)
    {
        return tryTransmit(data, flags, address, (int)address.byteSize());
    }

    /**
     * Receives kernel style (see {@link #trySend}).
     *
     * @param data  where to put the bytes.
     * @param flags {@code MSG_*} flags.
     * @return bytes received, or {@code -errno} ({@code -EAGAIN} when nothing is queued).
     */
    public long tryRecv(final MemorySegment data, final int flags)
    {
        return tryReceive(data, flags, MemorySegment.NULL, MemorySegment.NULL);
    }

    /**
     * Receives with the source address, kernel style (see {@link #trySend}).
     *
     * @param data          where to put the bytes.
     * @param flags         {@code MSG_*} flags.
     * @param address       native room for the source {@code sockaddr}.
     * @param addressLength native {@code socklen_t}: in, the room; out, the length.
     * @return bytes received, or {@code -errno}.
     */
    public long tryRecvFrom(final MemorySegment data, final int flags, final MemorySegment address,
        final MemorySegment addressLength)
    {
        return tryReceive(data, flags, address, addressLength);
    }

    private long tryTransmit(final MemorySegment data, final int flags, final MemorySegment address,
        final int addressLength)
    {
        if (AF_OOB == family)
        {
            return -Errno.EOPNOTSUPP;
        }
        if (!tryHold())
        {
            return -Errno.EBADF;
        }
        try
        {
            final CallContext context = CallContext.current();
            MemorySegment source = data;
            if (!data.isNative())
            {
                source = context.scratch(data.byteSize());
                MemorySegment.copy(data, 0, source, 0, data.byteSize());
            }
            final long result = LibC.sendto(context.errno, fd, source, data.byteSize(), flags, address, addressLength);
            noteFlowControl(result, data.byteSize());
            return result < 0 && isClosed() ? -Errno.EBADF : result;
        }
        finally
        {
            rele();
        }
    }

    private long tryReceive(final MemorySegment data, final int flags, final MemorySegment address,
        final MemorySegment addressLength)
    {
        if (AF_OOB == family)
        {
            return -Errno.EOPNOTSUPP;
        }
        if (!tryHold())
        {
            return -Errno.EBADF;
        }
        try
        {
            final CallContext context = CallContext.current();
            final boolean direct = data.isNative();
            final MemorySegment target = direct ? data : context.scratch(data.byteSize());
            final long result = LibC.recvfrom(context.errno, fd, target, data.byteSize(), flags, address, addressLength);
            if (result <= 0)
            {
                return isClosed() ? -Errno.EBADF : result;
            }
            if (!direct)
            {
                MemorySegment.copy(target, 0, data, 0, Math.min(result, data.byteSize()));
            }
            return result;
        }
        finally
        {
            rele();
        }
    }

    // ------------------------------------------------------------------------------------- messages (msghdr)

    /**
     * Sends a message: scatter/gather buffers, optional destination and ancillary data.
     *
     * @param message the message.
     * @param flags   {@code MSG_*} flags.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno.
     */
    public long sendMsg(final SocketMessage message, final int flags) throws ErrnoException
    {
        requireKernelSocket("sendmsg");
        acquire("sendmsg");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment msghdr = arena.allocate(MsghdrDescriptor.LENGTH, 8);
            MessageCodec.fill(msghdr, message, arena, true);
            final long result = LibC.sendmsg(ErrnoCapture.current(), fd, msghdr, flags);
            noteFlowControl(result, Long.MAX_VALUE);
            if (result < 0)
            {
                throw failure("sendmsg", result);
            }
            return result;
        }
        finally
        {
            rele();
        }
    }

    /**
     * Receives a message: scatter into the buffers, the source into the message's address room, ancillary data
     * into its control room; the returned lengths and flags are set on the message.
     *
     * @param message the message.
     * @param flags   {@code MSG_*} flags.
     * @return bytes received.
     * @throws ErrnoException the kernel's errno; {@code EBADF} when closed meanwhile.
     */
    public long recvMsg(final SocketMessage message, final int flags) throws ErrnoException
    {
        requireKernelSocket("recvmsg");
        acquire("recvmsg");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment msghdr = arena.allocate(MsghdrDescriptor.LENGTH, 8);
            final MemorySegment[] natives = MessageCodec.fill(msghdr, message, arena, false);
            final long result = LibC.recvmsg(ErrnoCapture.current(), fd, msghdr, flags);
            if (result < 0)
            {
                throw failure("recvmsg", result);
            }
            if (0 == result && isClosed())
            {
                throw failure("recvmsg", -Errno.EBADF);
            }
            MessageCodec.readBack(msghdr, message, natives, result);
            return result;
        }
        finally
        {
            rele();
        }
    }

    /**
     * Sends several messages in one call ({@code sendmmsg}).
     *
     * @param messages the messages.
     * @param flags    {@code MSG_*} flags.
     * @return how many messages were sent (each one's bytes in {@link SocketMessage#resultLength()}).
     * @throws ErrnoException the kernel's errno when none was sent.
     */
    public int sendMmsg(final SocketMessage[] messages, final int flags) throws ErrnoException
    {
        requireKernelSocket("sendmmsg");
        acquire("sendmmsg");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment vector = arena.allocate((long)MmsghdrDescriptor.LENGTH * messages.length, 8);
            for (int i = 0; i < messages.length; i++)
            {
                MessageCodec.fill(vector.asSlice((long)i * MmsghdrDescriptor.LENGTH, MsghdrDescriptor.LENGTH), messages[i],
                    arena, true);
            }
            final int result = LibC.sendmmsg(ErrnoCapture.current(), fd, vector, messages.length, flags);
            noteFlowControl(result, Long.MAX_VALUE);
            if (result < 0)
            {
                throw failure("sendmmsg", result);
            }
            for (int i = 0; i < result; i++)
            {
                messages[i].resultLength(Integer.toUnsignedLong(
                    vector.get(ValueLayout.JAVA_INT, (long)i * MmsghdrDescriptor.LENGTH + MmsghdrDescriptor.LEN_OFFSET)));
            }
            return result;
        }
        finally
        {
            rele();
        }
    }

    /**
     * Sends a run of a prebuilt batch's datagrams in one call ({@code sendmmsg}): nothing is built or allocated per
     * call, so that a publisher's loop can send the same vector again and again.
     *
     * @param batch the datagrams.
     * @param first the first entry sent.
     * @param count how many entries, from {@code first} on.
     * @param flags {@code MSG_*} flags.
     * @return how many datagrams the kernel took (fewer than {@code count} when it took only some).
     * @throws ErrnoException the kernel's errno when none was sent ({@code ENOBUFS}, {@code EAGAIN}, ...).
     */
    public int sendMmsg(final DatagramBatch batch, final int first, final int count, final int flags)
        throws ErrnoException
    {
        requireKernelSocket("sendmmsg");
        final MemorySegment entries = batch.entriesFrom(first, count);
        acquire("sendmmsg");
        try
        {
            final int result = LibC.sendmmsg(ErrnoCapture.current(), fd, entries, count, flags);
            noteFlowControl(result, Long.MAX_VALUE);
            if (result < 0)
            {
                throw failure("sendmmsg", result);
            }
            return result;
        }
        finally
        {
            rele();
        }
    }

    /**
     * Receives several messages in one call ({@code recvmmsg}).
     *
     * @param messages  the messages to fill.
     * @param flags     {@code MSG_*} flags ({@code MSG_WAITFORONE} returns after the first).
     * @return how many messages were received (each one's bytes in {@link SocketMessage#resultLength()}).
     * @throws ErrnoException the kernel's errno when none was received.
     */
    public int recvMmsg(final SocketMessage[] messages, final int flags) throws ErrnoException
    {
        requireKernelSocket("recvmmsg");
        acquire("recvmmsg");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment vector = arena.allocate((long)MmsghdrDescriptor.LENGTH * messages.length, 8);
            final MemorySegment[][] natives = new MemorySegment[messages.length][];
            for (int i = 0; i < messages.length; i++)
            {
                natives[i] = MessageCodec.fill(vector.asSlice((long)i * MmsghdrDescriptor.LENGTH, MsghdrDescriptor.LENGTH),
                    messages[i], arena, false);
            }
            final int result = LibC.recvmmsg(ErrnoCapture.current(), fd, vector, messages.length, flags,
                MemorySegment.NULL);
            if (result < 0)
            {
                throw failure("recvmmsg", result);
            }
            for (int i = 0; i < result; i++)
            {
                final long length = Integer.toUnsignedLong(
                    vector.get(ValueLayout.JAVA_INT, (long)i * MmsghdrDescriptor.LENGTH + MmsghdrDescriptor.LEN_OFFSET));
                MessageCodec.readBack(vector.asSlice((long)i * MmsghdrDescriptor.LENGTH, MsghdrDescriptor.LENGTH), messages[i],
                    natives[i], length);
                messages[i].resultLength(length);
            }
            return result;
        }
        finally
        {
            rele();
        }
    }

    // ----------------------------------------------------------------------------------------------- shutdown

    /**
     * Shuts down part of the connection.
     * <p>
     * In-band. With {@code SOCK_OOB}, {@link OobHooks#shutdown} runs after the kernel's shutdown succeeded; its
     * failure fails this call. With callbacks, {@code CANTSENDMORE} / {@code CANTRECVMORE} follow.
     *
     * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}.
     * @throws ErrnoException the kernel's errno ({@code ENOTCONN}) or the hook's.
     */
    public void shutdown(final int how) throws ErrnoException
    {
        acquire("shutdown");
        try
        {
            if (AF_OOB != family)
            {
                final int result = LibC.shutdown(ErrnoCapture.current(), fd, how);
                if (result < 0)
                {
                    throw failure("shutdown", result);
                }
                events.shutdownDone(how);
            }
            if (null != hooks)
            {
                final int result = hooks.shutdown(this, how);
                if (result < 0)
                {
                    throw new ErrnoException("shutdown", result, hookFailure("fd=" + fd + " hook=shutdown"));
                }
            }
        }
        finally
        {
            rele();
        }
    }

    // a failed hook's detail: the call's own, then what the hook named (OobHooks.failureDetail)
    private String hookFailure(final String detail)
    {
        final String hookDetail = hooks.failureDetail(this);
        return null == hookDetail ? detail : detail + " " + hookDetail;
    }

    // ------------------------------------------------------------------------------------------------ options

    /**
     * Sets a socket option. With {@code SOCK_OOB}, {@link OobHooks#setoptRedirect} sees it first; any result
     * but {@code -ENOIOCTLCMD} ends the call.
     *
     * @param level option level.
     * @param name  option name.
     * @param value the value bytes.
     * @throws ErrnoException the kernel's or the hook's errno.
     */
    public void setOption(final int level, final int name, final MemorySegment value) throws ErrnoException
    {
        acquire("setsockopt");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment nativeValue = MessageCodec.nativeCopy(value, arena);
            if (null != hooks)
            {
                final int result = hooks.setoptRedirect(this, level, name, nativeValue);
                if (-Errno.ENOIOCTLCMD != result)
                {
                    if (result < 0)
                    {
                        throw new ErrnoException("setsockopt", result,
                            hookFailure("fd=" + fd + " level=" + level + " name=" + name + " hook=setoptRedirect"));
                    }
                    return;
                }
            }
            if (AF_OOB == family)
            {
                throw new ErrnoException("setsockopt", Errno.ENOPROTOOPT, "fd=" + fd + " level=" + level + " name=" + name);
            }
            final int result = LibC.setsockopt(ErrnoCapture.current(), fd, level, name, nativeValue,
                (int)nativeValue.byteSize());
            if (result < 0)
            {
                throw new ErrnoException("setsockopt", isClosed() ? -Errno.EBADF : result,
                    "fd=" + fd + " level=" + level + " name=" + name);
            }
        }
        finally
        {
            rele();
        }
    }

    /**
     * Sets an {@code int} socket option.
     *
     * @param level option level.
     * @param name  option name.
     * @param value the value.
     * @throws ErrnoException the kernel's or the hook's errno.
     */
    public void setOption(final int level, final int name, final int value) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(ValueLayout.JAVA_INT);
            segment.set(ValueLayout.JAVA_INT, 0, value);
            setOption(level, name, segment);
        }
    }

    /**
     * Reads a socket option. With {@code SOCK_OOB}, {@link OobHooks#getoptRedirect} sees it first.
     *
     * @param level option level.
     * @param name  option name.
     * @param value room for the value (its size is the room).
     * @return the length written.
     * @throws ErrnoException the kernel's or the hook's errno.
     */
    public int getOption(final int level, final int name, final MemorySegment value) throws ErrnoException
    {
        acquire("getsockopt");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment nativeValue = value.isNative() ? value : arena.allocate(Math.max(1, value.byteSize()), 8);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, (int)value.byteSize());
            int result = -Errno.ENOIOCTLCMD;
            if (null != hooks)
            {
                result = hooks.getoptRedirect(this, level, name, nativeValue, length);
            }
            if (-Errno.ENOIOCTLCMD == result)
            {
                result = AF_OOB == family ? -Errno.ENOPROTOOPT :
                    LibC.getsockopt(ErrnoCapture.current(), fd, level, name, nativeValue, length);
            }
            if (result < 0)
            {
                throw new ErrnoException("getsockopt", isClosed() ? -Errno.EBADF : result,
                    "fd=" + fd + " level=" + level + " name=" + name);
            }
            final int written = length.get(ValueLayout.JAVA_INT, 0);
            if (nativeValue != value)
            {
                MemorySegment.copy(nativeValue, 0, value, 0, Math.min(written, value.byteSize()));
            }
            return written;
        }
        finally
        {
            rele();
        }
    }

    /**
     * Reads an {@code int} socket option.
     *
     * @param level option level.
     * @param name  option name.
     * @return the value.
     * @throws ErrnoException the kernel's or the hook's errno.
     */
    public int getOption(final int level, final int name) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(ValueLayout.JAVA_INT);
            getOption(level, name, segment);
            return segment.get(ValueLayout.JAVA_INT, 0);
        }
    }

    // -------------------------------------------------------------------------------------------------- ioctl

    /**
     * Device control on the socket. With {@code SOCK_OOB}, {@link OobHooks#inbandIoctlRedirect} sees it first
     * (with the argument's native address); any result but {@code -ENOIOCTLCMD} ends the call.
     *
     * @param request  the request ({@code FIONBIO}, {@code FIONREAD}, {@code SIOCGIFINDEX}, ...).
     * @param argument the argument struct (native, or a heap segment copied in and out).
     * @return the call's non-negative result.
     * @throws ErrnoException the kernel's or the hook's errno.
     */
    public long ioctl(final int request, final MemorySegment argument) throws ErrnoException
    {
        acquire("ioctl");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment nativeArgument = MessageCodec.nativeCopy(argument, arena);
            long result = -Errno.ENOIOCTLCMD;
            if (null != hooks)
            {
                result = hooks.inbandIoctlRedirect(this, request, nativeArgument.address());
            }
            if (-Errno.ENOIOCTLCMD == result)
            {
                result = LibC.ioctl(ErrnoCapture.current(), fd, Integer.toUnsignedLong(request), nativeArgument);
            }
            if (result < 0)
            {
                throw new ErrnoException("ioctl", isClosed() ? -Errno.EBADF : (int)result,
                    "fd=" + fd + " request=0x" + Integer.toHexString(request));
            }
            if (nativeArgument != argument)
            {
                MemorySegment.copy(nativeArgument, 0, argument, 0, argument.byteSize());
            }
            if (FIONBIO == request)
            {
                nonBlocking = 0 != nativeArgument.get(ValueLayout.JAVA_INT, 0);
            }
            return result;
        }
        finally
        {
            rele();
        }
    }

    /**
     * Switches blocking mode ({@code FIONBIO}).
     *
     * @param nonBlocking true for non-blocking ({@code EAGAIN} instead of waiting).
     * @throws ErrnoException the kernel's errno.
     */
    public void setNonBlocking(final boolean nonBlocking) throws ErrnoException
    {
        final MemorySegment value = MemorySegment.ofArray(new int[]{nonBlocking ? 1 : 0});
        ioctl(FIONBIO, value);
    }

    /**
     * Bytes readable now ({@code FIONREAD}; for a datagram socket, the size of the next datagram).
     *
     * @return bytes.
     * @throws ErrnoException the kernel's errno.
     */
    public int available() throws ErrnoException
    {
        final MemorySegment value = MemorySegment.ofArray(new int[1]);
        ioctl(FIONREAD, value);
        return value.get(ValueLayout.JAVA_INT, 0);
    }

    private MemorySegment ifreq(final String operation, final String interfaceName, final Arena arena)
        throws ErrnoException
    {
        final byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length >= IfreqDescriptor.IFNAMSIZ)
        {
            throw new ErrnoException(operation, Errno.EINVAL, "interface=" + interfaceName + " must have 1.." +
                (IfreqDescriptor.IFNAMSIZ - 1) + " characters");
        }
        final MemorySegment ifreq = arena.allocate(IfreqDescriptor.LENGTH, 8).fill((byte)0);
        MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, IfreqDescriptor.NAME_OFFSET, name.length);
        return ifreq;
    }

    /**
     * The index of a network interface ({@code SIOCGIFINDEX}) in the socket's network namespace.
     *
     * @param interfaceName e.g. {@code "lo"}.
     * @return the index.
     * @throws ErrnoException {@code ENODEV} when there is no such interface.
     */
    public int interfaceIndex(final String interfaceName) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ifreq = ifreq("ioctl", interfaceName, arena);
            ioctl(SIOCGIFINDEX, ifreq);
            return ifreq.get(ValueLayout.JAVA_INT, IfreqDescriptor.IFINDEX_OFFSET);
        }
    }

    /**
     * The hardware (MAC) address of a network interface ({@code SIOCGIFHWADDR}).
     *
     * @param interfaceName e.g. {@code "eth0"}.
     * @return the 6 bytes of an Ethernet address.
     * @throws ErrnoException {@code ENODEV} when there is no such interface.
     */
    public byte[] hardwareAddress(final String interfaceName) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ifreq = ifreq("ioctl", interfaceName, arena);
            ioctl(SIOCGIFHWADDR, ifreq);
            return ifreq.asSlice(IfreqDescriptor.HWADDR_DATA_OFFSET, 6).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    // -------------------------------------------------------------------------------------------- zero copy

    /**
     * Enables {@code MSG_ZEROCOPY} sends on the socket ({@code SO_ZEROCOPY}).
     *
     * @throws ErrnoException the kernel's errno.
     */
    public void enableZeroCopy() throws ErrnoException
    {
        setOption(SOL_SOCKET, SO_ZEROCOPY, 1);
        zeroCopyEnabled = true;
    }

    private ZeroCopyTracker zeroCopyTracker()
    {
        ZeroCopyTracker tracker = zeroCopy;
        if (null == tracker)
        {
            synchronized (this)
            {
                tracker = zeroCopy;
                if (null == tracker)
                {
                    tracker = new ZeroCopyTracker();
                    zeroCopy = tracker;
                }
            }
        }
        return tracker;
    }

    private long transmitZeroCopy(final MemorySegment data, final Object buffer, final int flags,
        final ZeroCopyCompletion completion, final Object cookie) throws ErrnoException
    {
        if (!data.isNative())
        {
            throw new IllegalArgumentException("zero-copy send needs native memory: a heap buffer may move");
        }
        if (0 == data.byteSize())
        {
            throw new ErrnoException("sendZeroCopy", Errno.EINVAL, "fd=" + fd + " length=0");
        }
        requireKernelSocket("sendZeroCopy");
        if (!zeroCopyEnabled)
        {
            // Without SO_ZEROCOPY the kernel silently ignores MSG_ZEROCOPY and no completion would ever come.
            enableZeroCopy();
        }
        acquire("sendZeroCopy");
        try
        {
            final ZeroCopyTracker tracker = zeroCopyTracker();
            ensureRegistered();
            synchronized (tracker)
            {
                // Under the tracker's lock: the kernel numbers MSG_ZEROCOPY sends per socket in call order.
                final long result = LibC.sendto(ErrnoCapture.current(), fd, data, data.byteSize(),
                    flags | MSG_ZEROCOPY, MemorySegment.NULL, 0);
                noteFlowControl(result, data.byteSize());
                if (result < 0)
                {
                    throw failure("sendZeroCopy", result);
                }
                tracker.sent(buffer, completion, cookie);
                return result;
            }
        }
        finally
        {
            rele();
        }
    }

    /**
     * Sends without copying (the {@code ksocket_sendmblk} analog): the kernel reads the caller's memory after
     * this returns, and {@code completion} hands the buffer back once it is done, from the event thread. The
     * socket must be connected; {@code SO_ZEROCOPY} is enabled on first use ({@link #enableZeroCopy()}).
     *
     * @param data       native memory; not to be changed until its completion.
     * @param flags      {@code MSG_*} flags ({@code MSG_ZEROCOPY} is added).
     * @param completion called once the kernel released the buffer (and whether it copied after all).
     * @param cookie     passed to the completion.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno ({@code ENOBUFS} when the kernel's notification budget is out).
     */
    public long sendZeroCopy(final MemorySegment data, final int flags, final ZeroCopyCompletion completion,
        final Object cookie) throws ErrnoException
    {
        return transmitZeroCopy(data, data, flags, completion, cookie);
    }

    /**
     * Zero-copy send of a direct buffer's bytes between position and limit; the position advances.
     *
     * @param data       a direct buffer.
     * @param flags      {@code MSG_*} flags.
     * @param completion called once the kernel released the buffer.
     * @param cookie     passed to the completion.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno.
     */
    public long sendZeroCopy(final ByteBuffer data, final int flags, final ZeroCopyCompletion completion,
        final Object cookie) throws ErrnoException
    {
        final long sent = transmitZeroCopy(Buffers.of(data), data, flags, completion, cookie);
        data.position(data.position() + (int)sent);
        return sent;
    }

    /**
     * Zero-copy send of an off-heap Agrona buffer's bytes.
     *
     * @param data       an off-heap buffer.
     * @param offset     first byte.
     * @param length     bytes.
     * @param flags      {@code MSG_*} flags.
     * @param completion called once the kernel released the buffer.
     * @param cookie     passed to the completion.
     * @return bytes sent.
     * @throws ErrnoException the kernel's errno.
     */
    public long sendZeroCopy(final DirectBuffer data, final int offset, final int length, final int flags,
        final ZeroCopyCompletion completion, final Object cookie) throws ErrnoException
    {
        return transmitZeroCopy(Buffers.of(data, offset, length), data, flags, completion, cookie);
    }

    /**
     * Zero-copy sends the kernel still owns: 0 again once the socket is closed and its last reference dropped
     * (what the kernel had not reported done by then is completed as aborted).
     *
     * @return the number of sends without completion yet.
     */
    public int zeroCopyPending()
    {
        final ZeroCopyTracker tracker = zeroCopy;
        return null == tracker ? 0 : tracker.pendingCount();
    }

    /**
     * Completed zero-copy sends for which the kernel copied after all (e.g. over loopback).
     *
     * @return the count.
     */
    public long zeroCopyCopiedCount()
    {
        final ZeroCopyTracker tracker = zeroCopy;
        return null == tracker ? 0 : tracker.copiedCount();
    }

    /**
     * Zero-copy sends given back as aborted: the socket was closed (its last reference dropped) before the kernel
     * reported them done.
     *
     * @return the count.
     */
    public long zeroCopyAbortedCount()
    {
        final ZeroCopyTracker tracker = zeroCopy;
        return null == tracker ? 0 : tracker.abortedCount();
    }

    /**
     * Drains the error queue now and runs the completions it carries on this thread (the event thread does it
     * by itself on {@code EPOLLERR}).
     *
     * @return completions delivered.
     */
    public int reapZeroCopyCompletions()
    {
        return reapErrorQueue(errnoValue ->
        {
        });
    }

    /**
     * Gives the socket's error queue to an OOB stage, or back: an OOB protocol whose stage reads the queue itself
     * (oob-udp's kernel transport with TX timestamps: the {@code SO_EE_ORIGIN_TIMESTAMPING} records are the stage's)
     * sets it, so that the event thread, woken by {@code EPOLLERR}, does not take the records first. The kernel
     * cannot leave a record on the queue once read ({@code MSG_PEEK} does not apply to {@code MSG_ERRQUEUE}), so the
     * queue is left whole: while set, ICMP errors on it reach the stage only (its {@code ERROR} event), not the
     * in-band {@code onError} callback, and {@link #reapZeroCopyCompletions} reads nothing.
     *
     * @param onStage true while a stage reads the error queue.
     */
    public void errorQueueOnStage(final boolean onStage)
    {
        errorQueueOnStage = onStage;
    }

    /**
     * Reads the error queue until empty: zero-copy records complete their sends; other records (ICMP errors
     * with {@code IP_RECVERR}) go to {@code errors}. Nothing while a stage owns the queue ({@link #errorQueueOnStage}).
     */
    int reapErrorQueue(final IntConsumer errors)
    {
        final ZeroCopyTracker tracker = zeroCopy;
        if (AF_OOB == family || errorQueueOnStage || !tryHold())
        {
            return 0;
        }
        final List<ZeroCopyTracker.Completed> done = new ArrayList<>();
        try
        {
            readErrorQueue(tracker, done, errors);
        }
        finally
        {
            rele();
        }
        deliver(done);
        return done.size();
    }

    /**
     * Descriptor open (held, or being freed): reads the error queue until empty, collecting zero-copy completions
     * into {@code done} and passing other records' errnos to {@code errors}.
     */
    private void readErrorQueue(final ZeroCopyTracker tracker, final List<ZeroCopyTracker.Completed> done,
        final IntConsumer errors)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment control = arena.allocate(ERROR_CONTROL_BYTES, 8);
            final MemorySegment msghdr = arena.allocate(MsghdrDescriptor.LENGTH, 8);
            final ErrnoCapture errno = ErrnoCapture.current();
            while (true)
            {
                msghdr.fill((byte)0);
                msghdr.set(ValueLayout.ADDRESS, MsghdrDescriptor.CONTROL_OFFSET, control);
                msghdr.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROLLEN_OFFSET, ERROR_CONTROL_BYTES);
                if (LibC.recvmsg(errno, fd, msghdr, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
                {
                    break;
                }
                ControlMessages.forEach(control, msghdr.get(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROLLEN_OFFSET),
                    (level, type, data) ->
                    {
                        if ((SOL_IP == level && IP_RECVERR == type) || (SOL_IPV6 == level && IPV6_RECVERR == type))
                        {
                            final int origin = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, SockExtendedErrDescriptor.ORIGIN_OFFSET));
                            final int code = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, SockExtendedErrDescriptor.CODE_OFFSET));
                            if (SO_EE_ORIGIN_ZEROCOPY == origin && null != tracker)
                            {
                                done.addAll(tracker.complete(
                                    data.get(ValueLayout.JAVA_INT, SockExtendedErrDescriptor.INFO_OFFSET),
                                    data.get(ValueLayout.JAVA_INT, SockExtendedErrDescriptor.DATA_OFFSET),
                                    0 != (code & SO_EE_CODE_ZEROCOPY_COPIED)));
                            }
                            else
                            {
                                final int errnoValue = data.get(ValueLayout.JAVA_INT, SockExtendedErrDescriptor.ERRNO_OFFSET);
                                // a TX timestamp record (SO_TIMESTAMPING) carries ENOMSG: it is no error of the socket
                                if (0 != errnoValue && SO_EE_ORIGIN_TIMESTAMPING != origin)
                                {
                                    errors.accept(errnoValue);
                                }
                            }
                        }
                    });
            }
        }
    }

    /**
     * Runs zero-copy completions on this thread, in send order; one that throws is logged and the rest still run.
     */
    private void deliver(final List<ZeroCopyTracker.Completed> done)
    {
        for (final ZeroCopyTracker.Completed completed : done)
        {
            final ZeroCopyTracker.Pending pending = completed.pending();
            try
            {
                if (completed.aborted())
                {
                    pending.completion().onAborted(this, pending.buffer(), pending.cookie());
                }
                else
                {
                    pending.completion().onComplete(this, pending.buffer(), pending.cookie(), completed.copied());
                }
            }
            catch (final Throwable t)
            {
                LOGGER.log(System.Logger.Level.WARNING, "zero-copy completion threw: fd=" + fd, t);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- callbacks

    /**
     * Sets the event callbacks ({@code ksocket_callbacks}); events are then delivered on the stack's in-band
     * event thread until the socket is closed.
     *
     * @param callbacks the callbacks, or null to stop delivering events.
     * @param cookie    passed to every callback.
     * @throws ErrnoException {@code EBADF} when closed; {@code EOPNOTSUPP} for {@code AF_OOB}.
     */
    public void setCallbacks(final KSocketCallbacks callbacks, final Object cookie) throws ErrnoException
    {
        requireKernelSocket("setCallbacks");
        acquire("setCallbacks");
        try
        {
            final EventRegistration.Binding binding =
                null == callbacks ? null : new EventRegistration.Binding(callbacks, cookie);
            synchronized (this)
            {
                if (isClosed())
                {
                    // close() ran between acquire() and here: it has already unregistered, do not register again.
                    throw new ErrnoException("setCallbacks", Errno.EBADF, "fd=" + fd + " closed");
                }
                if (null == registration)
                {
                    // The new entry's first edge reports what is queued already.
                    registration = KSocketEventThread.instance().register(this, binding);
                    events.attach(registration, 0);
                }
                else
                {
                    registration.binding = binding;
                    // No edge comes for what is queued already: have the machine look for it.
                    events.attach(registration,
                        SysConstants.EPOLLIN | SysConstants.EPOLLPRI | KSocketEventMachine.REPORT_QUEUED);
                }
            }
        }
        finally
        {
            rele();
        }
    }

    private void ensureRegistered()
    {
        synchronized (this)
        {
            if (null == registration && !isClosed())
            {
                registration = KSocketEventThread.instance().register(this, null);
                events.attach(registration, 0);
            }
        }
    }

    /**
     * The name of the thread that runs callbacks and zero-copy completions.
     *
     * @return the event thread's name.
     */
    public static String eventThreadName()
    {
        return KSocketEventThread.THREAD_NAME;
    }

    // ------------------------------------------------------------------------------------------------- names

    /**
     * The local address ({@code getsockname}).
     *
     * @return the address, or null when the family is not IPv4/IPv6.
     * @throws ErrnoException the kernel's errno.
     */
    public InetSocketAddress localName() throws ErrnoException
    {
        return name("getsockname", false);
    }

    /**
     * The peer address ({@code getpeername}).
     *
     * @return the address, or null when the family is not IPv4/IPv6.
     * @throws ErrnoException {@code ENOTCONN} when not connected, or the kernel's errno.
     */
    public InetSocketAddress peerName() throws ErrnoException
    {
        return name("getpeername", true);
    }

    private InetSocketAddress name(final String operation, final boolean peer) throws ErrnoException
    {
        requireKernelSocket(operation);
        acquire(operation);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(SockAddr.STORAGE_LENGTH, 8);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_LENGTH);
            final ErrnoCapture errno = ErrnoCapture.current();
            final int result = peer ?
                LibC.getpeername(errno, fd, address, length) : LibC.getsockname(errno, fd, address, length);
            if (result < 0)
            {
                throw failure(operation, result);
            }
            return SockAddr.decode(address, length.get(ValueLayout.JAVA_INT, 0));
        }
        finally
        {
            rele();
        }
    }

    // -------------------------------------------------------------------------------------------------- close

    /**
     * Closes the socket.
     * <p>
     * In-band. Marks the socket closed (no new operation starts), stops event delivery, runs
     * {@link OobHooks#release} (before the in-band release), wakes calls still blocked on the socket with a
     * {@code shutdown}, and drops the open reference; the descriptor is closed and {@link OobHooks#destroy}
     * runs when the last reference goes.
     *
     * @throws ErrnoException {@code EBADF} when already closed.
     */
    @Override
    public void close() throws ErrnoException
    {
        beginClose();
        if (null != hooks)
        {
            hooks.release(this);
        }
        endClose();
    }

    /**
     * Closes several sockets, each as {@link #close()} does, with the release hooks of the {@code SOCK_OOB} ones run
     * together ({@link OobHooks#releaseAll}): the companion core then lets the stage detach them all in one go
     * instead of one stage round trip per socket (closing thousands of idle sockets at once). Every socket is
     * closed that can be; one already closed is skipped and reported after the others are closed.
     * <p>
     * In-band.
     *
     * @param sockets the sockets, each listed once.
     * @throws ErrnoException {@code EBADF} naming the first socket of the list that was already closed.
     */
    public static void closeAll(final List<KSocket> sockets) throws ErrnoException
    {
        ErrnoException alreadyClosed = null;
        final List<KSocket> closing = new ArrayList<>(sockets.size());
        for (final KSocket socket : sockets)
        {
            try
            {
                socket.beginClose();
                closing.add(socket);
            }
            catch (final ErrnoException ex)
            {
                alreadyClosed = null == alreadyClosed ? ex : alreadyClosed;
            }
        }
        // one batch per hooks instance (in practice one runtime's)
        final List<KSocket> batch = new ArrayList<>(closing.size());
        final boolean[] done = new boolean[closing.size()];
        for (int i = 0; i < closing.size(); i++)
        {
            final OobHooks hooks = closing.get(i).hooks;
            if (done[i] || null == hooks)
            {
                continue;
            }
            batch.clear();
            for (int j = i; j < closing.size(); j++)
            {
                if (!done[j] && closing.get(j).hooks == hooks)
                {
                    batch.add(closing.get(j));
                    done[j] = true;
                }
            }
            hooks.releaseAll(batch);
        }
        for (final KSocket socket : closing)
        {
            socket.endClose();
        }
        if (null != alreadyClosed)
        {
            throw alreadyClosed;
        }
    }

    // close, before the release hook: marks the socket closed (EBADF when it was) and stops its events
    private void beginClose() throws ErrnoException
    {
        while (true)
        {
            final int current = state;
            if (0 != (current & CLOSED_BIT))
            {
                throw new ErrnoException("close", Errno.EBADF, "fd=" + fd + " already closed");
            }
            if (STATE.compareAndSet(this, current, current | CLOSED_BIT))
            {
                break;
            }
        }
        synchronized (this)
        {
            events.detach();
            if (null != registration)
            {
                KSocketEventThread.instance().unregister(registration);
            }
        }
    }

    // close, after the release hook: wakes other holders, drops the open reference
    private void endClose()
    {
        if ((state & COUNT_MASK) > 1 && AF_OOB != family)
        {
            // Others still hold the socket, maybe blocked in it. A stream is woken with SHUT_RD only: it ends
            // blocked receives, accepts and connects (they report EBADF) and sends nothing to the peer, so the
            // connection itself ends (FIN, or RST over unread data) with the descriptor, when the last hold goes,
            // as ksocket_close waits for the holds before it closes. A send blocked on a full buffer stays blocked
            // until the peer reads or SO_SNDTIMEO. Other types have no peer to spare: SHUT_RDWR wakes everything.
            // FIXME: AF_PACKET has no shutdown (EOPNOTSUPP): a thread blocked in a packet socket's recv stays
            // blocked, holding the descriptor, until a frame arrives. Use MSG_DONTWAIT or poll on those.
            LibC.shutdown(ErrnoCapture.current(), fd, SOCK_STREAM == type ? SHUT_RD : SHUT_RDWR);
        }
        rele();
    }

    /**
     * The last reference went: take the zero-copy completions the kernel queued, release the descriptor, run the
     * OOB context's destroy, then give every zero-copy buffer still unaccounted for back as aborted (the kernel
     * can no longer say when it is done with it), so each successful send has had exactly one completion.
     */
    private void free()
    {
        final ZeroCopyTracker tracker = zeroCopy;
        final List<ZeroCopyTracker.Completed> done = new ArrayList<>();
        if (null != tracker && AF_OOB != family)
        {
            readErrorQueue(tracker, done, errnoValue ->
            {
            });
        }
        LibC.close(ErrnoCapture.current(), fd);
        if (null != hooks)
        {
            hooks.destroy(this);
        }
        if (null != tracker)
        {
            done.addAll(tracker.abortAll());
            deliver(done);
        }
    }

    @Override
    public String toString()
    {
        return "KSocket{fd=" + fd + ", family=" + family + ", type=" + type + ", protocol=" + protocol +
            ", oob=" + isOob() + ", closed=" + isClosed() + ", refs=" + refCount() + '}';
    }
}
