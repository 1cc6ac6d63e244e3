package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SysConstants;

import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SHUT_RDWR;
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
 * last reference is gone.
 * <p>
 * <b>Out-of-band sockets.</b> With {@link SocketConstants#SOCK_OOB} in {@code type}, the installed
 * {@link OobHooks} (see {@link #installOobHooks}) are called at the Dovetail hook points; with none installed
 * {@code SOCK_OOB} gives {@code EPROTONOSUPPORT}. A pure {@link SocketConstants#AF_OOB} socket has no kernel
 * socket: it is backed by an {@code eventfd}, so it still has a real descriptor, and only the hooks give it
 * behaviour. The companion core keeps its per-socket state in {@link #oobContext()}, as the kernel's
 * {@code sk->oob_data}.
 * <p>
 * <b>Note:</b> thread safe; all operations are in-band (they may block and allocate).
 */
public final class KSocket implements AutoCloseable
{
    private static final AtomicReference<OobHooks> INSTALLED_HOOKS = new AtomicReference<>();
    private static final int CLOSED_BIT = 0x8000_0000;
    private static final int COUNT_MASK = 0x7fff_ffff;
    private static final VarHandle STATE;

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
    // Closed flag (bit 31) and reference count (bits 0..30), changed by CAS only.
    private volatile int state = 1;

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
            throw new ErrnoException("socket", Errno.EPROTONOSUPPORT, "SOCK_OOB without installed OobHooks");
        }
        final ErrnoCapture errno = ErrnoCapture.current();
        final int fd;
        if (AF_OOB == family)
        {
            if (!oob)
            {
                throw new ErrnoException("socket", Errno.EAFNOSUPPORT, "family=AF_OOB needs SOCK_OOB");
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
                    throw new ErrnoException("bind", result, "fd=" + fd + " hook=bind");
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
                final int result = LibC.connect(ErrnoCapture.current(), fd, address, (int)address.byteSize());
                if (result < 0)
                {
                    throw failure("connect", result);
                }
            }
            if (null != hooks)
            {
                final int result = hooks.connect(this, address);
                if (result < 0)
                {
                    throw new ErrnoException("connect", result, "fd=" + fd + " hook=connect");
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

    /**
     * Closes the socket.
     * <p>
     * In-band. Marks the socket closed (no new operation starts), runs {@link OobHooks#release} (before the
     * in-band release), wakes calls still blocked on the socket with a {@code shutdown}, and drops the open
     * reference; the descriptor is closed and {@link OobHooks#destroy} runs when the last reference goes.
     *
     * @throws ErrnoException {@code EBADF} when already closed.
     */
    @Override
    public void close() throws ErrnoException
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
        if (null != hooks)
        {
            hooks.release(this);
        }
        if ((state & COUNT_MASK) > 1 && AF_OOB != family)
        {
            // Others still hold the socket, maybe blocked in it: shutdown wakes blocked receives, accepts and
            // sends (they then report EBADF); the descriptor itself stays open until the last reference goes.
            LibC.shutdown(ErrnoCapture.current(), fd, SHUT_RDWR);
        }
        rele();
    }

    /**
     * The last reference went: release the descriptor, then the OOB context.
     */
    private void free()
    {
        LibC.close(ErrnoCapture.current(), fd);
        if (null != hooks)
        {
            hooks.destroy(this);
        }
    }

    @Override
    public String toString()
    {
        return "KSocket{fd=" + fd + ", family=" + family + ", type=" + type + ", protocol=" + protocol +
            ", oob=" + isOob() + ", closed=" + isClosed() + ", refs=" + refCount() + '}';
    }
}
