package org.oobnet.inband.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import org.oobnet.inband.SocketConstants;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The project's libc downcalls, all of them: one {@code static final MethodHandle} per function, errno captured
 * with {@code Linker.Option.captureCallState("errno")} into the caller's {@link ErrnoCapture}, except in the
 * {@code *Quiet} variants a stage uses (below).
 * <p>
 * Each wrapper returns the call's result, or {@code -errno} when the call failed (kernel style): no exception,
 * no allocation once compiled, so the wrappers are fit for a stage's hot path. Pointer arguments are
 * {@link MemorySegment}s (native, or {@link MemorySegment#NULL}); heap segments are refused by the linker except in
 * the {@code *Critical} and {@code *Quiet} variants.
 * <p>
 * The {@code *Critical} variants ({@code Linker.Option.critical(true)}) skip the thread-state transition and
 * accept heap segments; they must never block: use them only with {@code MSG_DONTWAIT} (or a zero timeout).
 * <p>
 * <b>The {@code *Quiet} variants: errno without capture.</b> Capturing makes the JDK slice the capture segment on
 * every call ({@code SharedUtils.checkCaptureSegment}, 40 bytes) and only C2, once it has inlined the call, removes
 * that allocation: interpreted or C1 code, as after a deoptimisation, allocates on every call. A {@code *Quiet}
 * call is critical and captures nothing; when it fails, the wrapper reads the calling thread's {@code errno} itself
 * ({@link #threadErrno()}: the address from {@code __errno_location()}, another critical downcall, then a plain
 * read), which allocates in no compilation state. Why that errno is the call's own:
 * <ul>
 * <li>errno is per thread, and both the address lookup and the read run on the thread that made the call;</li>
 * <li>libc sets errno on every failure (the result is negative only then), so a failed call never leaves an
 * older errno behind: it is read only when the result says the call just wrote it;</li>
 * <li>a critical downcall makes no thread-state transition, so the JVM does not stop the thread on the way back
 * from the call (a non-critical downcall may block for a safepoint there, in VM code that makes system calls of
 * its own: the reason the JDK captures errno inside the call stub). Compiled code has no safepoint poll between
 * the call and the read either (the wrapper and the method-handle chain are inlined into one body).</li>
 * </ul>
 * Known window: interpreted (or not fully inlined) code returns through a few method-handle frames between the call
 * and the read, and a return may poll for a safepoint or handshake the JVM has asked for at that instant; HotSpot's
 * wait there is a futex that can leave {@code EAGAIN} or {@code EINTR} in errno. So, interpreted only and only when
 * a safepoint lands in those few instructions, a failure can read as {@code EAGAIN}: the stage's callers treat that
 * as "try again next cycle", and the next failure reads its own errno. The capturing variants do not have this
 * window, at the price of the allocation above; none of the stage's decisions needs more.
 * <p>
 * <b>Note:</b> thread safe; each thread passes its own {@link ErrnoCapture}.
 */
public final class LibC
{
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final Linker.Option CRITICAL = Linker.Option.critical(true);

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = downcall("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = downcall("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = downcall("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = downcall("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    // No errno capture: capturing slices the capture segment per call, an allocation the JIT removes only in hot
    // code; calls a stage makes now and then (health checks) must not allocate in any compilation state.
    private static final MethodHandle GETSOCKOPT_QUIET = downcallQuiet("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    // a stage's switch of a socket option between two send batches (oob-udp's TX timestamps)
    private static final MethodHandle SETSOCKOPT_QUIET = downcallQuiet("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME_QUIET = downcallQuiet("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVMMSG_QUIET = downcallQuiet("recvmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    // a stage's read of a kernel socket's error queue (MSG_ERRQUEUE | MSG_DONTWAIT: ICMP errors with IP_RECVERR)
    private static final MethodHandle RECVMSG_QUIET = downcallQuiet("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMMSG_QUIET = downcallQuiet("sendmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    // the in-band fallback send a stage makes for a datagram the front caches miss (oob-udp)
    private static final MethodHandle SENDTO_QUIET = downcallQuiet("sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND_QUIET = downcallQuiet("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    // a stage's stream send/receive at an offset into its own native buffer: the address as a long, so that no
    // segment slice is made per call (oob-tcp's connections)
    private static final MethodHandle SEND_AT_QUIET = downcallQuiet("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN_QUIET = downcallQuiet("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle RECV_AT_QUIET = downcallQuiet("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = downcall("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = downcall("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SEND = downcall("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND_CRITICAL = downcall("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CRITICAL);
    private static final MethodHandle SENDTO = downcall("sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO_CRITICAL = downcall("sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), CRITICAL);
    private static final MethodHandle SENDMSG = downcall("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMMSG = downcall("sendmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle RECV = downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV_CRITICAL = downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CRITICAL);
    // a stage's stream receive into its own native buffer, with errno: oob-tcp's connections tell EAGAIN from a
    // reset from other errors (an every-cycle call: hot at once, so the capture's slice is compiled away)
    private static final MethodHandle RECV_AT_CRITICAL = downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), CRITICAL);
    private static final MethodHandle RECVFROM = downcall("recvfrom", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVFROM_CRITICAL = downcall("recvfrom", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), CRITICAL);
    private static final MethodHandle RECVMSG = downcall("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMMSG = downcall("recvmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle POLL_CRITICAL = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CRITICAL);
    private static final MethodHandle EPOLL_CREATE1 = downcall("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETPID = downcall("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETPAGESIZE = downcall("getpagesize", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETPAGESIZE_CRITICAL =
        downcall("getpagesize", FunctionDescriptor.of(JAVA_INT), CRITICAL);
    private static final MethodHandle GETPID_CRITICAL = downcall("getpid", FunctionDescriptor.of(JAVA_INT), CRITICAL);
    private static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MMAP = downcall("mmap", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    // in-band only (the harness lowers its non-stage threads' priority while a stage measures): never on a stage
    private static final MethodHandle SCHED_SETSCHEDULER = downcall("sched_setscheduler", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SCHED_GETSCHEDULER = downcall("sched_getscheduler", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETPRIORITY = downcall("setpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IOCTL = downcall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));

    // the calling thread's errno address (glibc's errno is this function's result): a long, so that no segment is
    // made per call; critical, so that nothing runs on this thread between the failed call and the read of errno
    private static final MethodHandle ERRNO_LOCATION = downcallQuiet("__errno_location", FunctionDescriptor.of(JAVA_LONG));
    // every address, to read errno at the address above without a segment per read
    private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final int CUSTOMIZE_CALLS =
        Integer.getInteger("java.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD", 127) + 1;
    private static boolean stageCallsCustomized;

    private LibC()
    {
    }

    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor, final Linker.Option... options)
    {
        final Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        final MemorySegment symbol = LIBC.find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: name=" + name));
        return LINKER.downcallHandle(symbol, descriptor, all);
    }

    /**
     * In-band, before a stage uses its downcalls: makes the JDK customise the method handles of the calls a stage
     * makes ({@code *Quiet}, {@code *Critical}) now, on the calling thread. A call through a
     * method handle from interpreted or C1 code counts towards its customisation; at the threshold
     * ({@code java.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD}, 127) the JDK spins a customised LambdaForm class
     * on the calling thread, ~50 KB of allocation. A stage's rarely taken calls (health checks, failure paths) stay
     * interpreted and so reached it on the stage, in the middle of a run. Idempotent; a few hundred failing
     * syscalls ({@code EBADF} on fd -1) the first time.
     */
    public static synchronized void customizeStageCalls()
    {
        if (stageCallsCustomized)
        {
            return;
        }
        stageCallsCustomized = true;
        final ErrnoCapture errno = new ErrnoCapture();
        final MemorySegment none = MemorySegment.NULL;
        for (int i = 0; i < CUSTOMIZE_CALLS; i++)
        {
            getsockoptQuiet(-1, 0, 0, none, none);
            setsockoptQuiet(-1, 0, 0, none, 0);
            getsocknameQuiet(-1, none, none);
            recvmmsgQuiet(-1, none, 0, SocketConstants.MSG_DONTWAIT);
            recvmsgQuiet(-1, none, SocketConstants.MSG_ERRQUEUE | SocketConstants.MSG_DONTWAIT);
            sendmmsgQuiet(-1, none, 0, SocketConstants.MSG_DONTWAIT);
            sendQuiet(-1, none, 0, SocketConstants.MSG_DONTWAIT);
            sendtoQuiet(-1, none, 0, SocketConstants.MSG_DONTWAIT, none, 0);
            sendAtQuiet(-1, 0L, 0, SocketConstants.MSG_DONTWAIT);
            recvAtQuiet(-1, 0L, 0, SocketConstants.MSG_DONTWAIT);
            shutdownQuiet(-1, SocketConstants.SHUT_RDWR);
            recvCritical(errno, -1, none, 0, SocketConstants.MSG_DONTWAIT);
            recvAtCritical(errno, -1, 0L, 0, SocketConstants.MSG_DONTWAIT);
            recvfromCritical(errno, -1, none, 0, SocketConstants.MSG_DONTWAIT, none, none);
            pollCritical(errno, none, 0, 0);
        }
    }

    private static MethodHandle downcallQuiet(final String name, final FunctionDescriptor descriptor)
    {
        final MemorySegment symbol = LIBC.find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: name=" + name));
        return LINKER.downcallHandle(symbol, descriptor, CRITICAL);
    }

    /**
     * The calling thread's {@code errno} now, read without capture and without allocation (see the class comment
     * for why it is the last failed call's errno when read right after it). The {@code *Quiet} wrappers call it on
     * failure; others have no use for it.
     *
     * @return the calling thread's errno.
     */
    public static int threadErrno()
    {
        try
        {
            final long location = (long)ERRNO_LOCATION.invokeExact();
            return ALL_MEMORY.get(JAVA_INT, location);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(final Throwable t)
    {
        if (t instanceof RuntimeException runtime)
        {
            return runtime;
        }
        if (t instanceof Error error)
        {
            throw error;
        }
        return new IllegalStateException("downcall failed", t);
    }

    /**
     * Creates a socket.
     *
     * @param errno where errno is captured.
     * @param domain see {@code man socket}.
     * @param type see {@code man socket}.
     * @param protocol see {@code man socket}.
     * @return the result, or {@code -errno}.
     */
    public static int socket(final ErrnoCapture errno, final int domain, final int type, final int protocol)
    {
        try
        {
            final int result = (int)SOCKET.invokeExact(errno.segment(), domain, type, protocol);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Closes a descriptor.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man close}.
     * @return the result, or {@code -errno}.
     */
    public static int close(final ErrnoCapture errno, final int fd)
    {
        try
        {
            final int result = (int)CLOSE.invokeExact(errno.segment(), fd);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Binds a socket to a local address.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man bind}.
     * @param address see {@code man bind}.
     * @param addressLength see {@code man bind}.
     * @return the result, or {@code -errno}.
     */
    public static int bind(final ErrnoCapture errno, final int fd, final MemorySegment address, final int addressLength)
    {
        try
        {
            final int result = (int)BIND.invokeExact(errno.segment(), fd, address, addressLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Marks a stream socket as accepting connections.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man listen}.
     * @param backlog see {@code man listen}.
     * @return the result, or {@code -errno}.
     */
    public static int listen(final ErrnoCapture errno, final int fd, final int backlog)
    {
        try
        {
            final int result = (int)LISTEN.invokeExact(errno.segment(), fd, backlog);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Accepts a connection; {@code address} and {@code addressLength} may be {@code NULL}.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man accept4}.
     * @param address see {@code man accept4}.
     * @param addressLength see {@code man accept4}.
     * @param flags see {@code man accept4}.
     * @return the result, or {@code -errno}.
     */
    public static int accept4(final ErrnoCapture errno, final int fd, final MemorySegment address, final MemorySegment addressLength, final int flags)
    {
        try
        {
            final int result = (int)ACCEPT4.invokeExact(errno.segment(), fd, address, addressLength, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Connects a socket.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man connect}.
     * @param address see {@code man connect}.
     * @param addressLength see {@code man connect}.
     * @return the result, or {@code -errno}.
     */
    public static int connect(final ErrnoCapture errno, final int fd, final MemorySegment address, final int addressLength)
    {
        try
        {
            final int result = (int)CONNECT.invokeExact(errno.segment(), fd, address, addressLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Shuts down part of a full-duplex connection.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man shutdown}.
     * @param how see {@code man shutdown}.
     * @return the result, or {@code -errno}.
     */
    public static int shutdown(final ErrnoCapture errno, final int fd, final int how)
    {
        try
        {
            final int result = (int)SHUTDOWN.invokeExact(errno.segment(), fd, how);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sets a socket option.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man setsockopt}.
     * @param level see {@code man setsockopt}.
     * @param name see {@code man setsockopt}.
     * @param value see {@code man setsockopt}.
     * @param valueLength see {@code man setsockopt}.
     * @return the result, or {@code -errno}.
     */
    public static int setsockopt(final ErrnoCapture errno, final int fd, final int level, final int name, final MemorySegment value, final int valueLength)
    {
        try
        {
            final int result = (int)SETSOCKOPT.invokeExact(errno.segment(), fd, level, name, value, valueLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Reads a socket option; {@code valueLength} is an in/out {@code socklen_t}.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man getsockopt}.
     * @param level see {@code man getsockopt}.
     * @param name see {@code man getsockopt}.
     * @param value see {@code man getsockopt}.
     * @param valueLength see {@code man getsockopt}.
     * @return the result, or {@code -errno}.
     */
    public static int getsockopt(final ErrnoCapture errno, final int fd, final int level, final int name, final MemorySegment value, final MemorySegment valueLength)
    {
        try
        {
            final int result = (int)GETSOCKOPT.invokeExact(errno.segment(), fd, level, name, value, valueLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sets a socket option without capturing errno: allocation-free in every compilation state, for a stage
     * (errno read as described in the class comment).
     *
     * @return 0, or {@code -errno}.
     */
    public static int setsockoptQuiet(final int fd, final int level, final int name, final MemorySegment value, final int valueLength)
    {
        try
        {
            final int result = (int)SETSOCKOPT_QUIET.invokeExact(fd, level, name, value, valueLength);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Reads a socket option without capturing errno: allocation-free in every compilation state, for a stage's
     * occasional calls (health checks). Critical: {@code getsockopt} never blocks.
     *
     * @param fd see {@code man getsockopt}.
     * @param level see {@code man getsockopt}.
     * @param name see {@code man getsockopt}.
     * @param value see {@code man getsockopt}.
     * @param valueLength see {@code man getsockopt}.
     * @return 0, or {@code -errno}.
     */
    public static int getsockoptQuiet(final int fd, final int level, final int name, final MemorySegment value, final MemorySegment valueLength)
    {
        try
        {
            final int result = (int)GETSOCKOPT_QUIET.invokeExact(fd, level, name, value, valueLength);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Receives a vector of {@code mmsghdr} without capturing errno: allocation-free in every compilation state, for
     * a stage's busy poll. Critical: only with {@code MSG_DONTWAIT} and a {@code NULL} timeout, so it never blocks.
     *
     * @param fd see {@code man recvmmsg}.
     * @param messages see {@code man recvmmsg}.
     * @param count see {@code man recvmmsg}.
     * @param flags see {@code man recvmmsg}; must include {@code MSG_DONTWAIT}.
     * @return messages received, or {@code -errno} (mostly {@code -EAGAIN}).
     */
    public static int recvmmsgQuiet(final int fd, final MemorySegment messages, final int count, final int flags)
    {
        try
        {
            final int result = (int)RECVMMSG_QUIET.invokeExact(fd, messages, count, flags, MemorySegment.NULL);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Receives into a {@code msghdr} without capturing errno: allocation-free in every compilation state, for a
     * stage's read of a socket's error queue ({@code MSG_ERRQUEUE}). Critical: only with {@code MSG_DONTWAIT}, so
     * it never blocks.
     *
     * @param fd see {@code man recvmsg}.
     * @param message see {@code man recvmsg}.
     * @param flags see {@code man recvmsg}; must include {@code MSG_DONTWAIT}.
     * @return the bytes received, or {@code -errno} (mostly {@code -EAGAIN}: the queue is empty).
     */
    public static long recvmsgQuiet(final int fd, final MemorySegment message, final int flags)
    {
        try
        {
            final long result = (long)RECVMSG_QUIET.invokeExact(fd, message, flags);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends a vector of {@code mmsghdr} without capturing errno: allocation-free in every compilation state, for a
     * stage's batch send. Critical: only with {@code MSG_DONTWAIT}, so it never blocks.
     *
     * @param fd see {@code man sendmmsg}.
     * @param messages see {@code man sendmmsg}.
     * @param count see {@code man sendmmsg}.
     * @param flags see {@code man sendmmsg}; must include {@code MSG_DONTWAIT}.
     * @return messages sent, or {@code -errno} (of the first message: none was sent).
     */
    public static int sendmmsgQuiet(final int fd, final MemorySegment messages, final int count, final int flags)
    {
        try
        {
            final int result = (int)SENDMMSG_QUIET.invokeExact(fd, messages, count, flags);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends on a connected socket without capturing errno: allocation-free in every compilation state, for a stage's
     * per-cycle call such as the TX-ring kick {@code sendQuiet(fd, MemorySegment.NULL, 0, MSG_DONTWAIT)}. Critical:
     * only with {@code MSG_DONTWAIT}, so it never blocks; accepts heap segments.
     *
     * @param fd see {@code man send}.
     * @param buffer see {@code man send}.
     * @param length see {@code man send}.
     * @param flags see {@code man send}; must include {@code MSG_DONTWAIT}.
     * @return the bytes sent, or {@code -errno}.
     */
    public static long sendQuiet(final int fd, final MemorySegment buffer, final long length, final int flags)
    {
        try
        {
            final long result = (long)SEND_QUIET.invokeExact(fd, buffer, length, flags);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends a datagram to {@code address} without capturing errno: allocation-free in every compilation state, for
     * a stage's in-band fallback send. Critical: only with {@code MSG_DONTWAIT}, so it never blocks.
     *
     * @param fd see {@code man sendto}.
     * @param buffer see {@code man sendto}.
     * @param length see {@code man sendto}.
     * @param flags see {@code man sendto}; must include {@code MSG_DONTWAIT}.
     * @param address see {@code man sendto}.
     * @param addressLength see {@code man sendto}.
     * @return the bytes sent, or {@code -errno}.
     */
    public static long sendtoQuiet(final int fd, final MemorySegment buffer, final long length, final int flags, final MemorySegment address, final int addressLength)
    {
        try
        {
            final long result = (long)SENDTO_QUIET.invokeExact(fd, buffer, length, flags, address, addressLength);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends {@code length} bytes at a native {@code address} on a connected socket without capturing errno:
     * allocation-free in every compilation state (no segment per call), for a stage's stream send. Critical: only
     * with {@code MSG_DONTWAIT}, so it never blocks.
     *
     * @param fd see {@code man send}.
     * @param address the native address of the first byte.
     * @param length see {@code man send}.
     * @param flags see {@code man send}; must include {@code MSG_DONTWAIT}.
     * @return the bytes sent, or {@code -errno}.
     */
    public static long sendAtQuiet(final int fd, final long address, final long length, final int flags)
    {
        try
        {
            final long result = (long)SEND_AT_QUIET.invokeExact(fd, address, length, flags);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Shuts a connected stream down without capturing errno, for a stage that ends a connection (TCP sends its FIN
     * or RST at once; {@code shutdown} never blocks). Critical.
     *
     * @param fd see {@code man shutdown}.
     * @param how see {@code man shutdown}.
     * @return 0, or {@code -errno}.
     */
    public static int shutdownQuiet(final int fd, final int how)
    {
        try
        {
            final int result = (int)SHUTDOWN_QUIET.invokeExact(fd, how);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Receives up to {@code length} bytes into a native {@code address} without capturing errno: allocation-free
     * in every compilation state, for a stage's stream receive. Critical: only with {@code MSG_DONTWAIT}.
     *
     * @param fd see {@code man recv}.
     * @param address the native address to write at.
     * @param length see {@code man recv}.
     * @param flags see {@code man recv}; must include {@code MSG_DONTWAIT}.
     * @return the bytes received, 0 at the peer's end of stream, or {@code -errno} (mostly
     * {@code EAGAIN}).
     */
    public static long recvAtQuiet(final int fd, final long address, final long length, final int flags)
    {
        try
        {
            final long result = (long)RECV_AT_QUIET.invokeExact(fd, address, length, flags);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Reads the local address without capturing errno: allocation-free in every compilation state, for a stage's
     * occasional calls. Critical: {@code getsockname} never blocks.
     *
     * @param fd see {@code man getsockname}.
     * @param address see {@code man getsockname}.
     * @param addressLength see {@code man getsockname}.
     * @return 0, or {@code -errno}.
     */
    public static int getsocknameQuiet(final int fd, final MemorySegment address, final MemorySegment addressLength)
    {
        try
        {
            final int result = (int)GETSOCKNAME_QUIET.invokeExact(fd, address, addressLength);
            return result < 0 ? -threadErrno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Reads the local address; {@code addressLength} is an in/out {@code socklen_t}.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man getsockname}.
     * @param address see {@code man getsockname}.
     * @param addressLength see {@code man getsockname}.
     * @return the result, or {@code -errno}.
     */
    public static int getsockname(final ErrnoCapture errno, final int fd, final MemorySegment address, final MemorySegment addressLength)
    {
        try
        {
            final int result = (int)GETSOCKNAME.invokeExact(errno.segment(), fd, address, addressLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Reads the peer address; {@code addressLength} is an in/out {@code socklen_t}.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man getpeername}.
     * @param address see {@code man getpeername}.
     * @param addressLength see {@code man getpeername}.
     * @return the result, or {@code -errno}.
     */
    public static int getpeername(final ErrnoCapture errno, final int fd, final MemorySegment address, final MemorySegment addressLength)
    {
        try
        {
            final int result = (int)GETPEERNAME.invokeExact(errno.segment(), fd, address, addressLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends on a connected socket.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man send}.
     * @param buffer see {@code man send}.
     * @param length see {@code man send}.
     * @param flags see {@code man send}.
     * @return the result, or {@code -errno}.
     */
    public static long send(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length, final int flags)
    {
        try
        {
            final long result = (long)SEND.invokeExact(errno.segment(), fd, buffer, length, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends on a connected socket.
     * Critical variant: never blocks, accepts heap segments; only with non-blocking flags.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man send}.
     * @param buffer see {@code man send}.
     * @param length see {@code man send}.
     * @param flags see {@code man send}.
     * @return the result, or {@code -errno}.
     */
    public static long sendCritical(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length, final int flags)
    {
        try
        {
            final long result = (long)SEND_CRITICAL.invokeExact(errno.segment(), fd, buffer, length, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends to an address.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man sendto}.
     * @param buffer see {@code man sendto}.
     * @param length see {@code man sendto}.
     * @param flags see {@code man sendto}.
     * @param address see {@code man sendto}.
     * @param addressLength see {@code man sendto}.
     * @return the result, or {@code -errno}.
     */
    public static long sendto(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length, final int flags, final MemorySegment address, final int addressLength)
    {
        try
        {
            final long result = (long)SENDTO.invokeExact(errno.segment(), fd, buffer, length, flags, address, addressLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends to an address.
     * Critical variant: never blocks, accepts heap segments; only with non-blocking flags.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man sendto}.
     * @param buffer see {@code man sendto}.
     * @param length see {@code man sendto}.
     * @param flags see {@code man sendto}.
     * @param address see {@code man sendto}.
     * @param addressLength see {@code man sendto}.
     * @return the result, or {@code -errno}.
     */
    public static long sendtoCritical(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length, final int flags, final MemorySegment address, final int addressLength)
    {
        try
        {
            final long result = (long)SENDTO_CRITICAL.invokeExact(errno.segment(), fd, buffer, length, flags, address, addressLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends a {@code msghdr} (scatter/gather, control data).
     *
     * @param errno where errno is captured.
     * @param fd see {@code man sendmsg}.
     * @param message see {@code man sendmsg}.
     * @param flags see {@code man sendmsg}.
     * @return the result, or {@code -errno}.
     */
    public static long sendmsg(final ErrnoCapture errno, final int fd, final MemorySegment message, final int flags)
    {
        try
        {
            final long result = (long)SENDMSG.invokeExact(errno.segment(), fd, message, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sends a vector of {@code mmsghdr}; returns how many were sent.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man sendmmsg}.
     * @param messages see {@code man sendmmsg}.
     * @param count see {@code man sendmmsg}.
     * @param flags see {@code man sendmmsg}.
     * @return the result, or {@code -errno}.
     */
    public static int sendmmsg(final ErrnoCapture errno, final int fd, final MemorySegment messages, final int count, final int flags)
    {
        try
        {
            final int result = (int)SENDMMSG.invokeExact(errno.segment(), fd, messages, count, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Receives.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man recv}.
     * @param buffer see {@code man recv}.
     * @param length see {@code man recv}.
     * @param flags see {@code man recv}.
     * @return the result, or {@code -errno}.
     */
    public static long recv(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length, final int flags)
    {
        try
        {
            final long result = (long)RECV.invokeExact(errno.segment(), fd, buffer, length, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Receives.
     * Critical variant: never blocks, accepts heap segments; only with non-blocking flags.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man recv}.
     * @param buffer see {@code man recv}.
     * @param length see {@code man recv}.
     * @param flags see {@code man recv}.
     * @return the result, or {@code -errno}.
     */
    public static long recvCritical(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length, final int flags)
    {
        try
        {
            final long result = (long)RECV_CRITICAL.invokeExact(errno.segment(), fd, buffer, length, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Receives into a native {@code address} (no segment per call), capturing errno: a stage's stream receive that
     * tells {@code EAGAIN} from a reset or another error. Critical: only with {@code MSG_DONTWAIT}.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man recv}.
     * @param address the native address to write at.
     * @param length see {@code man recv}.
     * @param flags see {@code man recv}; must include {@code MSG_DONTWAIT}.
     * @return the bytes received, 0 at the peer's end of stream, or {@code -errno}.
     */
    public static long recvAtCritical(final ErrnoCapture errno, final int fd, final long address, final long length, final int flags)
    {
        try
        {
            final long result = (long)RECV_AT_CRITICAL.invokeExact(errno.segment(), fd, address, length, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }


    /**
     * Receives with the source address; {@code addressLength} is an in/out {@code socklen_t}.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man recvfrom}.
     * @param buffer see {@code man recvfrom}.
     * @param length see {@code man recvfrom}.
     * @param flags see {@code man recvfrom}.
     * @param address see {@code man recvfrom}.
     * @param addressLength see {@code man recvfrom}.
     * @return the result, or {@code -errno}.
     */
    public static long recvfrom(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length, final int flags, final MemorySegment address, final MemorySegment addressLength)
    {
        try
        {
            final long result = (long)RECVFROM.invokeExact(errno.segment(), fd, buffer, length, flags, address, addressLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Receives with the source address; {@code addressLength} is an in/out {@code socklen_t}.
     * Critical variant: never blocks, accepts heap segments; only with non-blocking flags.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man recvfrom}.
     * @param buffer see {@code man recvfrom}.
     * @param length see {@code man recvfrom}.
     * @param flags see {@code man recvfrom}.
     * @param address see {@code man recvfrom}.
     * @param addressLength see {@code man recvfrom}.
     * @return the result, or {@code -errno}.
     */
    public static long recvfromCritical(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length, final int flags, final MemorySegment address, final MemorySegment addressLength)
    {
        try
        {
            final long result = (long)RECVFROM_CRITICAL.invokeExact(errno.segment(), fd, buffer, length, flags, address, addressLength);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Receives into a {@code msghdr} (scatter/gather, control data).
     *
     * @param errno where errno is captured.
     * @param fd see {@code man recvmsg}.
     * @param message see {@code man recvmsg}.
     * @param flags see {@code man recvmsg}.
     * @return the result, or {@code -errno}.
     */
    public static long recvmsg(final ErrnoCapture errno, final int fd, final MemorySegment message, final int flags)
    {
        try
        {
            final long result = (long)RECVMSG.invokeExact(errno.segment(), fd, message, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Receives a vector of {@code mmsghdr}; {@code timeout} is a {@code timespec} or {@code NULL}.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man recvmmsg}.
     * @param messages see {@code man recvmmsg}.
     * @param count see {@code man recvmmsg}.
     * @param flags see {@code man recvmmsg}.
     * @param timeout see {@code man recvmmsg}.
     * @return the result, or {@code -errno}.
     */
    public static int recvmmsg(final ErrnoCapture errno, final int fd, final MemorySegment messages, final int count, final int flags, final MemorySegment timeout)
    {
        try
        {
            final int result = (int)RECVMMSG.invokeExact(errno.segment(), fd, messages, count, flags, timeout);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Reads from a descriptor.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man read}.
     * @param buffer see {@code man read}.
     * @param length see {@code man read}.
     * @return the result, or {@code -errno}.
     */
    public static long read(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length)
    {
        try
        {
            final long result = (long)READ.invokeExact(errno.segment(), fd, buffer, length);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Writes to a descriptor.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man write}.
     * @param buffer see {@code man write}.
     * @param length see {@code man write}.
     * @return the result, or {@code -errno}.
     */
    public static long write(final ErrnoCapture errno, final int fd, final MemorySegment buffer, final long length)
    {
        try
        {
            final long result = (long)WRITE.invokeExact(errno.segment(), fd, buffer, length);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Waits for events on {@code pollfd}s.
     *
     * @param errno where errno is captured.
     * @param fds see {@code man poll}.
     * @param count see {@code man poll}.
     * @param timeoutMs see {@code man poll}.
     * @return the result, or {@code -errno}.
     */
    public static int poll(final ErrnoCapture errno, final MemorySegment fds, final long count, final int timeoutMs)
    {
        try
        {
            final int result = (int)POLL.invokeExact(errno.segment(), fds, count, timeoutMs);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Waits for events on {@code pollfd}s.
     * Critical variant: never blocks, accepts heap segments; only with non-blocking flags.
     *
     * @param errno where errno is captured.
     * @param fds see {@code man poll}.
     * @param count see {@code man poll}.
     * @param timeoutMs see {@code man poll}.
     * @return the result, or {@code -errno}.
     */
    public static int pollCritical(final ErrnoCapture errno, final MemorySegment fds, final long count, final int timeoutMs)
    {
        try
        {
            final int result = (int)POLL_CRITICAL.invokeExact(errno.segment(), fds, count, timeoutMs);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Creates an epoll instance.
     *
     * @param errno where errno is captured.
     * @param flags see {@code man epoll_create1}.
     * @return the result, or {@code -errno}.
     */
    public static int epollCreate1(final ErrnoCapture errno, final int flags)
    {
        try
        {
            final int result = (int)EPOLL_CREATE1.invokeExact(errno.segment(), flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Adds, changes or removes an fd of an epoll set.
     *
     * @param errno where errno is captured.
     * @param epfd see {@code man epoll_ctl}.
     * @param op see {@code man epoll_ctl}.
     * @param fd see {@code man epoll_ctl}.
     * @param event see {@code man epoll_ctl}.
     * @return the result, or {@code -errno}.
     */
    public static int epollCtl(final ErrnoCapture errno, final int epfd, final int op, final int fd, final MemorySegment event)
    {
        try
        {
            final int result = (int)EPOLL_CTL.invokeExact(errno.segment(), epfd, op, fd, event);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Waits for epoll events.
     *
     * @param errno where errno is captured.
     * @param epfd see {@code man epoll_wait}.
     * @param events see {@code man epoll_wait}.
     * @param maxEvents see {@code man epoll_wait}.
     * @param timeoutMs see {@code man epoll_wait}.
     * @return the result, or {@code -errno}.
     */
    public static int epollWait(final ErrnoCapture errno, final int epfd, final MemorySegment events, final int maxEvents, final int timeoutMs)
    {
        try
        {
            final int result = (int)EPOLL_WAIT.invokeExact(errno.segment(), epfd, events, maxEvents, timeoutMs);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Creates an event counter descriptor.
     *
     * @param errno where errno is captured.
     * @param initialValue see {@code man eventfd}.
     * @param flags see {@code man eventfd}.
     * @return the result, or {@code -errno}.
     */
    public static int eventfd(final ErrnoCapture errno, final int initialValue, final int flags)
    {
        try
        {
            final int result = (int)EVENTFD.invokeExact(errno.segment(), initialValue, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Interface name (a C string) to index; 0 and errno on failure.
     *
     * @param errno where errno is captured.
     * @param name see {@code man if_nametoindex}.
     * @return the result, or {@code -errno}.
     */
    public static int ifNameToIndex(final ErrnoCapture errno, final MemorySegment name)
    {
        try
        {
            final int result = (int)IF_NAMETOINDEX.invokeExact(errno.segment(), name);
            return 0 == result ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Moves the calling thread into a namespace.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man setns}.
     * @param nstype see {@code man setns}.
     * @return the result, or {@code -errno}.
     */
    public static int setns(final ErrnoCapture errno, final int fd, final int nstype)
    {
        try
        {
            final int result = (int)SETNS.invokeExact(errno.segment(), fd, nstype);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Opens a file (a C string path), e.g. a namespace file for {@code setns}.
     *
     * @param errno where errno is captured.
     * @param path see {@code man open}.
     * @param flags see {@code man open}.
     * @return the result, or {@code -errno}.
     */
    public static int open(final ErrnoCapture errno, final MemorySegment path, final int flags)
    {
        try
        {
            final int result = (int)OPEN.invokeExact(errno.segment(), path, flags);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sets a thread's scheduling policy (Linux: {@code pid} is a thread id, and the policy is that thread's alone).
     *
     * @param errno    where errno is captured.
     * @param tid      the thread id, 0 for the calling thread.
     * @param policy   e.g. {@code SCHED_OTHER} (0) or {@code SCHED_IDLE} (5).
     * @param param    a {@code struct sched_param} (one int: the static priority, 0 for those two policies).
     * @return 0, or {@code -errno}.
     */
    public static int schedSetscheduler(final ErrnoCapture errno, final int tid, final int policy,
        final MemorySegment param)
    {
        try
        {
            final int result = (int)SCHED_SETSCHEDULER.invokeExact(errno.segment(), tid, policy, param);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * A thread's scheduling policy.
     *
     * @param errno where errno is captured.
     * @param tid   the thread id, 0 for the calling thread.
     * @return the policy, or {@code -errno}.
     */
    public static int schedGetscheduler(final ErrnoCapture errno, final int tid)
    {
        try
        {
            final int result = (int)SCHED_GETSCHEDULER.invokeExact(errno.segment(), tid);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Sets a nice value; with {@code which=PRIO_PROCESS} (0) and a thread id, Linux sets that thread's alone.
     *
     * @param errno where errno is captured.
     * @param which {@code PRIO_PROCESS} (0), {@code PRIO_PGRP} (1) or {@code PRIO_USER} (2).
     * @param who   the thread id, 0 for the calling thread.
     * @param nice  -20 to 19.
     * @return 0, or {@code -errno}.
     */
    public static int setpriority(final ErrnoCapture errno, final int which, final int who, final int nice)
    {
        try
        {
            final int result = (int)SETPRIORITY.invokeExact(errno.segment(), which, who, nice);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * The process id: the cheapest syscall, for measuring the call overhead.
     *
     * @param errno where errno is captured.
     * @return the result, or {@code -errno}.
     */
    public static int getpid(final ErrnoCapture errno)
    {
        try
        {
            final int result = (int)GETPID.invokeExact(errno.segment());
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * The process id: the cheapest syscall, for measuring the call overhead.
     * Critical variant: never blocks, accepts heap segments; only with non-blocking flags.
     *
     * @param errno where errno is captured.
     * @return the result, or {@code -errno}.
     */
    public static int getpidCritical(final ErrnoCapture errno)
    {
        try
        {
            final int result = (int)GETPID_CRITICAL.invokeExact(errno.segment());
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * The page size: a libc call that makes no system call, so it measures the downcall's own cost.
     *
     * @param errno where errno is captured.
     * @return the page size in bytes.
     */
    public static int getpagesize(final ErrnoCapture errno)
    {
        try
        {
            return (int)GETPAGESIZE.invokeExact(errno.segment());
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * The page size through a critical downcall (no thread-state transition).
     *
     * @param errno where errno is captured.
     * @return the page size in bytes.
     */
    public static int getpagesizeCritical(final ErrnoCapture errno)
    {
        try
        {
            return (int)GETPAGESIZE_CRITICAL.invokeExact(errno.segment());
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Unmaps a mapping.
     *
     * @param errno where errno is captured.
     * @param address see {@code man munmap}.
     * @param length see {@code man munmap}.
     * @return the result, or {@code -errno}.
     */
    public static int munmap(final ErrnoCapture errno, final long address, final long length)
    {
        try
        {
            final int result = (int)MUNMAP.invokeExact(errno.segment(), address, length);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Maps memory; returns the address (user addresses are positive on x86_64).
     *
     * @param errno where errno is captured.
     * @param address see {@code man mmap}.
     * @param length see {@code man mmap}.
     * @param protection see {@code man mmap}.
     * @param flags see {@code man mmap}.
     * @param fd see {@code man mmap}.
     * @param offset see {@code man mmap}.
     * @return the result, or {@code -errno}.
     */
    public static long mmap(final ErrnoCapture errno, final long address, final long length, final int protection, final int flags, final int fd, final long offset)
    {
        try
        {
            final long result = (long)MMAP.invokeExact(errno.segment(), address, length, protection, flags, fd, offset);
            return -1L == result ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Device control with a pointer argument.
     *
     * @param errno where errno is captured.
     * @param fd see {@code man ioctl}.
     * @param request see {@code man ioctl}.
     * @param argument see {@code man ioctl}.
     * @return the result, or {@code -errno}.
     */
    public static int ioctl(final ErrnoCapture errno, final int fd, final long request, final MemorySegment argument)
    {
        try
        {
            final int result = (int)IOCTL.invokeExact(errno.segment(), fd, request, argument);
            return result < 0 ? -errno.errno() : result;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }
}
