package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.oobnet.inband.sys.EpollEventDescriptor;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;

import static org.oobnet.inband.sys.SysConstants.EFD_CLOEXEC;
import static org.oobnet.inband.sys.SysConstants.EFD_NONBLOCK;
import static org.oobnet.inband.sys.SysConstants.EPOLLERR;
import static org.oobnet.inband.sys.SysConstants.EPOLLET;
import static org.oobnet.inband.sys.SysConstants.EPOLLIN;
import static org.oobnet.inband.sys.SysConstants.EPOLLOUT;
import static org.oobnet.inband.sys.SysConstants.EPOLLPRI;
import static org.oobnet.inband.sys.SysConstants.EPOLLRDHUP;
import static org.oobnet.inband.sys.SysConstants.EPOLL_CLOEXEC;
import static org.oobnet.inband.sys.SysConstants.EPOLL_CTL_ADD;
import static org.oobnet.inband.sys.SysConstants.EPOLL_CTL_DEL;

/**
 * The stack's one in-band event thread: an edge-triggered epoll set over every socket with callbacks (or with
 * zero-copy sends in flight). Each edge, and each request from a thread that called the socket, has the socket's
 * {@link KSocketEventMachine} decide which of the ten {@link KSocketEvent}s fire (by the contract written in
 * {@link KSocketCallbacks}); error-queue records become zero-copy completions.
 * <p>
 * Each evaluation holds a reference on its socket, so a callback may close the socket it is called for: the
 * descriptor stays valid until the evaluation ends, and no event is delivered once the socket is closed. A
 * callback that throws is logged and counted; the thread goes on.
 * <p>
 * One per process, not per OOB runtime: it serves every {@link KSocket} with callbacks, regular sockets that no
 * runtime knows included (the kernel's socket layer is one per system likewise); it starts on first use.
 * <p>
 * <b>Note:</b> thread safe; {@link #register}, {@link #unregister}, {@link #post} and {@link #evaluateLater} may be
 * called from any thread, everything else runs on the event thread.
 */
final class KSocketEventThread implements Runnable
{
    /** The event thread's name. */
    static final String THREAD_NAME = "oobnet-inband-events";

    private static final System.Logger LOGGER = System.getLogger(KSocketEventThread.class.getName());
    private static final int MAX_EVENTS = 64;
    private static final long WAKE_KEY = 0;
    private static final int INTEREST = EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP | EPOLLET;
    private static volatile KSocketEventThread instance;

    private final int epollFd;
    private final int wakeFd;
    private final ConcurrentHashMap<Long, EventRegistration> registrations = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextKey = new AtomicLong(1);
    private final AtomicLong callbackFailures = new AtomicLong();
    private final AtomicLong eventsDelivered = new AtomicLong();
    private final MemorySegment wakeValue = Arena.global().allocate(ValueLayout.JAVA_LONG);
    private final SocketProbe probe = new SocketProbe(Arena.global());
    private final Thread thread;

    private KSocketEventThread()
    {
        final ErrnoCapture errno = ErrnoCapture.current();
        epollFd = LibC.epollCreate1(errno, EPOLL_CLOEXEC);
        if (epollFd < 0)
        {
            throw new IllegalStateException(ErrnoException.format("epoll_create1", -epollFd, null));
        }
        wakeFd = LibC.eventfd(errno, 0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wakeFd < 0)
        {
            throw new IllegalStateException(ErrnoException.format("eventfd", -wakeFd, null));
        }
        control(EPOLL_CTL_ADD, wakeFd, EPOLLIN | EPOLLET, WAKE_KEY);
        thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The stack's event thread, started on first use.
     */
    static KSocketEventThread instance()
    {
        KSocketEventThread current = instance;
        if (null == current)
        {
            synchronized (KSocketEventThread.class)
            {
                current = instance;
                if (null == current)
                {
                    current = new KSocketEventThread();
                    instance = current;
                }
            }
        }
        return current;
    }

    long callbackFailures()
    {
        return callbackFailures.get();
    }

    long eventsDelivered()
    {
        return eventsDelivered.get();
    }

    boolean isEventThread()
    {
        return Thread.currentThread() == thread;
    }

    /**
     * Any thread: adds a socket to the epoll set. The caller holds the socket.
     */
    EventRegistration register(final KSocket socket, final EventRegistration.Binding binding)
    {
        final long key = nextKey.getAndIncrement();
        final EventRegistration registration = new EventRegistration(socket, key);
        // The binding goes first: the edge-triggered set reports the current readiness right after the add.
        registration.binding = binding;
        registrations.put(key, registration);
        control(EPOLL_CTL_ADD, socket.fd(), INTEREST, key);
        return registration;
    }

    /**
     * Any thread, before the socket's descriptor is closed: removes it from the epoll set.
     */
    void unregister(final EventRegistration registration)
    {
        registrations.remove(registration.key);
        final MemorySegment event = Arena.ofAuto().allocate(EpollEventDescriptor.LENGTH);
        LibC.epollCtl(ErrnoCapture.current(), epollFd, EPOLL_CTL_DEL, registration.socket.fd(), event);
    }

    /**
     * Any thread: runs a task on the event thread.
     */
    void post(final Runnable task)
    {
        tasks.add(task);
        final ErrnoCapture errno = ErrnoCapture.current();
        synchronized (wakeValue)
        {
            wakeValue.set(ValueLayout.JAVA_LONG, 0, 1L);
            LibC.write(errno, wakeFd, wakeValue, Long.BYTES);
        }
    }

    /**
     * Any thread: has the event thread evaluate the socket's state machine, e.g. after a call made in-band that
     * changed what the socket may report (a connect returned, a shutdown, a send refused by flow control).
     *
     * @param registration the socket's entry.
     * @param edge         what to treat as having happened, as {@code EPOLL*} bits; 0 for state changes only.
     */
    void evaluateLater(final EventRegistration registration, final int edge)
    {
        post(() -> handle(registration, edge));
    }

    private void control(final int op, final int fd, final int events, final long key)
    {
        final MemorySegment event = Arena.ofAuto().allocate(EpollEventDescriptor.LENGTH);
        event.set(ValueLayout.JAVA_INT, EpollEventDescriptor.EVENTS_OFFSET, events);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, EpollEventDescriptor.DATA_OFFSET, key);
        final int result = LibC.epollCtl(ErrnoCapture.current(), epollFd, op, fd, event);
        if (result < 0)
        {
            throw new IllegalStateException(ErrnoException.format("epoll_ctl", -result, "fd=" + fd + " op=" + op));
        }
    }

    @Override
    public void run()
    {
        final ErrnoCapture errno = new ErrnoCapture(Arena.global());
        final MemorySegment events = Arena.global().allocate((long)EpollEventDescriptor.LENGTH * MAX_EVENTS, 8);
        final MemorySegment drain = Arena.global().allocate(ValueLayout.JAVA_LONG);
        while (true)
        {
            final int count = LibC.epollWait(errno, epollFd, events, MAX_EVENTS, -1);
            if (count < 0)
            {
                if (-Errno.EINTR != count)
                {
                    LOGGER.log(System.Logger.Level.ERROR, ErrnoException.format("epoll_wait", -count, null));
                }
                continue;
            }
            for (int i = 0; i < count; i++)
            {
                final long base = (long)i * EpollEventDescriptor.LENGTH;
                final int mask = events.get(ValueLayout.JAVA_INT, base + EpollEventDescriptor.EVENTS_OFFSET);
                final long key = events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + EpollEventDescriptor.DATA_OFFSET);
                if (WAKE_KEY == key)
                {
                    LibC.read(errno, wakeFd, drain, Long.BYTES);
                    continue;
                }
                final EventRegistration registration = registrations.get(key);
                if (null != registration)
                {
                    handle(registration, mask);
                }
            }
            Runnable task;
            while (null != (task = tasks.poll()))
            {
                try
                {
                    task.run();
                }
                catch (final Throwable t)
                {
                    LOGGER.log(System.Logger.Level.ERROR, "event task failed", t);
                }
            }
        }
    }

    /**
     * Event thread: one edge (or one caller's request) for a socket, the socket held for the duration so a callback
     * may close it: its state machine decides what fires; without callbacks only zero-copy completions are reaped.
     */
    private void handle(final EventRegistration registration, final int edge)
    {
        final KSocket socket = registration.socket;
        if (!socket.tryHold())
        {
            return;
        }
        try
        {
            if (null != registration.binding)
            {
                socket.eventMachine().evaluate(edge, probe, this);
            }
            else if (0 != (edge & EPOLLERR))
            {
                socket.reapErrorQueue(errnoValue ->
                {
                });
            }
        }
        catch (final Throwable t)
        {
            LOGGER.log(System.Logger.Level.ERROR, "event dispatch failed: fd=" + socket.fd(), t);
        }
        finally
        {
            socket.rele();
        }
    }

    /**
     * Event thread: calls one callback unless the socket was closed (maybe by an earlier callback) or its callbacks
     * removed.
     *
     * @return whether the socket still takes events after the callback (it was not closed, the callbacks not
     *         removed), so that the state machine stops at once when not.
     */
    boolean fire(final EventRegistration registration, final KSocketEvent event, final long argument)
    {
        final EventRegistration.Binding binding = registration.binding;
        final KSocket socket = registration.socket;
        if (null == binding || socket.isClosed())
        {
            return false;
        }
        eventsDelivered.incrementAndGet();
        try
        {
            KSocketCallbacks.dispatch(binding.callbacks(), event, socket, binding.cookie(), argument);
        }
        catch (final Throwable t)
        {
            callbackFailures.incrementAndGet();
            LOGGER.log(System.Logger.Level.WARNING, "callback threw: event=" + event + " fd=" + socket.fd(), t);
        }
        return null != registration.binding && !socket.isClosed();
    }
}
