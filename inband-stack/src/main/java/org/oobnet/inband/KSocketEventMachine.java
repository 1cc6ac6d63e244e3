package org.oobnet.inband;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.oobnet.inband.sys.TcpInfoDescriptor;

import static org.oobnet.inband.SocketConstants.SHUT_RD;
import static org.oobnet.inband.SocketConstants.SHUT_RDWR;
import static org.oobnet.inband.SocketConstants.SHUT_WR;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;
import static org.oobnet.inband.sys.SysConstants.EPOLLIN;
import static org.oobnet.inband.sys.SysConstants.POLLERR;
import static org.oobnet.inband.sys.SysConstants.POLLIN;
import static org.oobnet.inband.sys.SysConstants.POLLOUT;
import static org.oobnet.inband.sys.SysConstants.POLLPRI;
import static org.oobnet.inband.sys.SysConstants.POLLRDHUP;

/**
 * One socket's ksocket event state machine: decides which {@link KSocketEvent}s to fire, each exactly as
 * {@link KSocketCallbacks} documents, whatever the interleaving of the threads that call the socket and the event
 * thread, and however late the event thread gets to the socket.
 * <p>
 * Two rules make it so. An epoll edge only says <i>that</i> something may have changed: what fires is decided on
 * the socket's state read when the event thread gets to it ({@link SocketProbe}: readiness now, the TCP state,
 * the pending error), so an edge that went stale while the thread was busy elsewhere (the {@code EPOLLHUP} of a
 * socket that was not yet connected, read after the connect completed) fires nothing. And every one-shot event has
 * its flag here, set by the event thread alone, so no second path (the caller's connect, a shutdown, a late
 * {@code setCallbacks}) can fire it again. The calling threads only record what their calls did ({@link
 * #connectReturned}, {@link #shutdownDone}, {@link #sendRefused}) and ask the event thread to look.
 * <p>
 * <b>Note:</b> thread safe: the recording methods may be called from any thread; {@link #evaluate} runs on the
 * event thread only, which alone owns the fields below the volatile ones.
 */
final class KSocketEventMachine
{
    /**
     * The last connect call's outcome as its caller saw it, replaced as a whole so the event thread reads one
     * consistent step.
     *
     * @param attempt the connect call's number (1, 2, ...), counting calls that started a connection attempt.
     * @param phase   {@link #PENDING}, {@link #SUCCEEDED} or {@link #FAILED}.
     * @param errno   the failure's errno for {@link #FAILED}.
     */
    record ConnectStep(int attempt, int phase, int errno)
    {
    }

    /** The call returned {@code EINPROGRESS} (or was interrupted): the kernel completes the connection. */
    static final int PENDING = 1;
    /** The call connected. */
    static final int SUCCEEDED = 2;
    /** The call failed after the attempt started (refused, unreachable, timed out, ...). */
    static final int FAILED = 3;
    /**
     * Not an epoll bit (epoll never reports {@code EPOLLONESHOT}'s neighbours this high): asks a look to report the
     * data queued now even if it was reported before, as {@code setCallbacks} on a socket already in the set does.
     */
    static final int REPORT_QUEUED = 1 << 28;

    private static final ConnectStep NO_CONNECT = new ConnectStep(0, 0, 0);
    private static final int RD_BIT = 1;
    private static final int WR_BIT = 2;

    private final KSocket socket;
    private final boolean stream;
    private final AtomicInteger callersInConnect = new AtomicInteger();
    private final AtomicInteger localShutdown = new AtomicInteger();
    private final AtomicBoolean flowControlled = new AtomicBoolean();
    private volatile ConnectStep connect = NO_CONNECT;
    private volatile EventRegistration registration;

    // The event thread's alone (an accepted socket's 'established' is set before the socket is published).
    private boolean established;
    private int reportedAttempt;
    private boolean cantRecvMore;
    private boolean cantSendMore;
    private boolean disconnected;
    private int lastError;
    private int queuedError;
    private int dataSegmentsSeen;

    KSocketEventMachine(final KSocket socket)
    {
        this.socket = socket;
        this.stream = SOCK_STREAM == socket.type();
    }

    /**
     * Before the socket is published: it came from {@code accept}, connected from birth (no {@code CONNECTED}).
     */
    void accepted()
    {
        established = true;
    }

    /**
     * Any thread, with the socket's lock: the socket entered the event thread's set; it is asked to look at once.
     *
     * @param newRegistration the entry.
     * @param edge            what to treat as having happened ({@code EPOLLIN | EPOLLPRI | REPORT_QUEUED} to
     *                        report data already queued when callbacks are set on a socket already in the set).
     */
    void attach(final EventRegistration newRegistration, final int edge)
    {
        registration = newRegistration;
        KSocketEventThread.instance().evaluateLater(newRegistration, edge);
    }

    /**
     * Any thread, from {@code close()}: no more evaluations are asked for.
     */
    void detach()
    {
        registration = null;
    }

    // ------------------------------------------------------------------------------------ the callers' side

    /**
     * The caller enters {@code connect()}: until it returns, the connection's outcome is its to tell (the event
     * thread must not take the pending error that the blocking call itself returns).
     */
    void connectStarted()
    {
        callersInConnect.incrementAndGet();
    }

    /**
     * The caller's {@code connect()} returned.
     *
     * @param result 0, or {@code -errno}.
     */
    void connectReturned(final int result)
    {
        final int phase = phaseOf(result);
        if (0 != phase)
        {
            synchronized (this)
            {
                connect = new ConnectStep(connect.attempt() + 1, phase, FAILED == phase ? -result : 0);
            }
        }
        callersInConnect.decrementAndGet();
        evaluateLater(0);
    }

    /**
     * What a connect call's result says about a connection attempt; 0 when the call started none (bad argument,
     * already connected or connecting, closed socket): no outcome event follows such a call.
     */
    private static int phaseOf(final int result)
    {
        if (0 == result)
        {
            return SUCCEEDED;
        }
        final int errno = -result;
        if (Errno.EINPROGRESS == errno || Errno.EINTR == errno)
        {
            return PENDING;
        }
        if (Errno.EALREADY == errno || Errno.EISCONN == errno || Errno.EINVAL == errno || Errno.EBADF == errno ||
            Errno.EAFNOSUPPORT == errno || Errno.ENOTSOCK == errno || Errno.EFAULT == errno ||
            Errno.EOPNOTSUPP == errno)
        {
            return 0;
        }
        return FAILED;
    }

    /**
     * The caller's {@code shutdown(how)} succeeded.
     *
     * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}.
     */
    void shutdownDone(final int how)
    {
        final int bits = (SHUT_RD == how ? RD_BIT : 0) | (SHUT_WR == how ? WR_BIT : 0) | (SHUT_RDWR == how ? RD_BIT | WR_BIT : 0);
        localShutdown.getAndUpdate(current -> current | bits);
        evaluateLater(0);
    }

    /**
     * A send found the socket flow controlled ({@code EAGAIN}, or a stream send cut short): {@code CANSEND} fires
     * once it can send again. Allocates nothing unless the socket just became flow controlled.
     */
    void sendRefused()
    {
        // Asking the event thread to look closes the window in which the kernel's EPOLLOUT edge came (and was
        // read) between the refused send and this flag.
        if (!flowControlled.get() && flowControlled.compareAndSet(false, true))
        {
            evaluateLater(0);
        }
    }

    private void evaluateLater(final int edge)
    {
        final EventRegistration current = registration;
        if (null != current)
        {
            KSocketEventThread.instance().evaluateLater(current, edge);
        }
    }

    // -------------------------------------------------------------------------------- the event thread's side

    /**
     * Event thread, socket held, callbacks set: fires what the socket's present state says happened since the
     * last evaluation. Stops as soon as a callback closed the socket or removed the callbacks.
     *
     * @param edge   the epoll edge that woke the thread ({@code EPOLL*} bits), or the bits asked for by a caller.
     * @param probe  the event thread's probe.
     * @param events the event thread, which calls the callbacks.
     */
    void evaluate(final int edge, final SocketProbe probe, final KSocketEventThread events)
    {
        final EventRegistration current = registration;
        if (null == current)
        {
            return;
        }
        // What the callers recorded is read before the kernel is asked: a connect or shutdown recorded now is then
        // reflected in the state read next (read the other way round, a connect that completed in between would
        // pair SUCCEEDED with the state from before it, the socket not yet connected).
        final ConnectStep step = connect;
        final int shut = localShutdown.get();
        final int fd = socket.fd();
        final int now = probe.readiness(fd);
        final boolean error = 0 != ((edge | now) & POLLERR);
        queuedError = 0;
        if (error)
        {
            // Zero-copy completions and queued ICMP errors (IP_RECVERR) come first: they are older than the edge.
            socket.reapErrorQueue(errno ->
            {
                queuedError = errno;
                events.fire(current, KSocketEvent.ERROR, errno);
            });
            if (socket.isClosed())
            {
                return;
            }
        }
        if (!stream)
        {
            evaluateDatagram(current, edge, now, shut, error, probe, events);
        }
        else if (socket.isListening())
        {
            evaluateListener(current, edge, now, error, probe, events);
        }
        else
        {
            evaluateStream(current, step, edge, now, shut, error, probe, events);
        }
    }

    private void evaluateListener(final EventRegistration current, final int edge, final int now,
        final boolean error, final SocketProbe probe, final KSocketEventThread events)
    {
        if (error && !fireError(current, probe, events))
        {
            return;
        }
        if (0 != (edge & EPOLLIN) && 0 != (now & POLLIN))
        {
            events.fire(current, KSocketEvent.NEWCONN, 0);
        }
    }

    private void evaluateDatagram(final EventRegistration current, final int edge, final int now, final int shut,
        final boolean error, final SocketProbe probe, final KSocketEventThread events)
    {
        final int fd = socket.fd();
        if (error && !fireError(current, probe, events))
        {
            return;
        }
        // FIXME: a datagram socket has no count of datagrams received to read: an edge caused by something else
        // (an ICMP error, a shutdown) while a datagram waits unread reports it again.
        if (0 != (edge & EPOLLIN) && 0 != (now & POLLIN) &&
            !events.fire(current, KSocketEvent.NEWDATA, Math.max(probe.readable(fd), 0)))
        {
            return;
        }
        fireDirections(current, now, shut, false, events);
    }

    private void evaluateStream(final EventRegistration current, final ConnectStep step, final int edge,
        final int now, final int shut, final boolean error, final SocketProbe probe, final KSocketEventThread events)
    {
        final int fd = socket.fd();
        final int state = probe.readTcpInfo(fd) ? probe.tcpState() : -1;
        if (!established && !reportConnectOutcome(current, step, state, probe, events))
        {
            return;
        }
        // New data is told by the data segments the kernel counted, not by EPOLLIN: an edge's mask is the whole
        // readiness at the time, so a FIN, a shutdown or a write-space wake-up carries EPOLLIN too while bytes
        // are unread, and must not report them again.
        // FIXME: a retransmitted segment whose data was already queued counts too, and then repeats NEWDATA.
        final int segments = state < 0 ? dataSegmentsSeen : probe.dataSegmentsIn();
        final boolean arrived = segments != dataSegmentsSeen || 0 != (edge & REPORT_QUEUED);
        dataSegmentsSeen = segments;
        if (disconnected)
        {
            // Nothing after DISCONNECTED but ERROR.
            if (error)
            {
                fireError(current, probe, events);
            }
            return;
        }
        if (error && !fireError(current, probe, events))
        {
            return;
        }
        if (arrived && 0 != (now & POLLPRI) && !events.fire(current, KSocketEvent.OOBDATA, 0))
        {
            return;
        }
        if (arrived)
        {
            final int readable = probe.readable(fd);
            if (readable > 0 && !events.fire(current, KSocketEvent.NEWDATA, readable))
            {
                return;
            }
        }
        final boolean gone = TcpInfoDescriptor.TCP_CLOSE == state || TcpInfoDescriptor.TCP_TIME_WAIT == state;
        if (!fireDirections(current, now | (gone ? POLLRDHUP : 0), shut, gone || sendingEnded(state), events))
        {
            return;
        }
        if (gone)
        {
            disconnected = true;
            events.fire(current, KSocketEvent.DISCONNECTED, lastError);
        }
    }

    /**
     * A stream's connect outcome, once per connect call that started an attempt.
     *
     * @return true when the socket is connected (and {@code CONNECTED} was delivered).
     */
    private boolean reportConnectOutcome(final EventRegistration current, final ConnectStep step, final int state,
        final SocketProbe probe, final KSocketEventThread events)
    {
        if (step.attempt() == reportedAttempt)
        {
            return false;
        }
        if (FAILED == step.phase())
        {
            return failConnect(current, step, step.errno(), events);
        }
        if (PENDING == step.phase())
        {
            if (TcpInfoDescriptor.TCP_SYN_SENT == state || state < 0)
            {
                return false;
            }
            if (TcpInfoDescriptor.TCP_CLOSE == state)
            {
                if (callersInConnect.get() > 0)
                {
                    // A connect call in flight returns the pending error itself: it tells the outcome.
                    return false;
                }
                final int errno = probe.takeError(socket.fd());
                // No error left: another reader (getOption(SO_ERROR), a receive) took it first.
                return failConnect(current, step, 0 != errno ? errno : Errno.ECONNABORTED, events);
            }
        }
        reportedAttempt = step.attempt();
        established = true;
        socket.connectDone(true);
        return events.fire(current, KSocketEvent.CONNECTED, 0);
    }

    private boolean failConnect(final EventRegistration current, final ConnectStep step, final int errno,
        final KSocketEventThread events)
    {
        reportedAttempt = step.attempt();
        socket.connectDone(false);
        events.fire(current, KSocketEvent.CONNECTFAILED, errno);
        return false;
    }

    /**
     * {@code CANTRECVMORE}, {@code CANTSENDMORE} (each once) and {@code CANSEND} (once per flow-controlled send).
     *
     * @return false when a callback closed the socket or removed the callbacks.
     */
    private boolean fireDirections(final EventRegistration current, final int now, final int shut,
        final boolean sendingEnded, final KSocketEventThread events)
    {
        if (!cantRecvMore && (0 != (now & POLLRDHUP) || 0 != (shut & RD_BIT)))
        {
            cantRecvMore = true;
            if (!events.fire(current, KSocketEvent.CANTRECVMORE, 0))
            {
                return false;
            }
        }
        if (!cantSendMore && (sendingEnded || 0 != (shut & WR_BIT)))
        {
            cantSendMore = true;
            return events.fire(current, KSocketEvent.CANTSENDMORE, 0);
        }
        if (!cantSendMore && 0 != (now & POLLOUT) && flowControlled.get() && flowControlled.compareAndSet(true, false))
        {
            return events.fire(current, KSocketEvent.CANSEND, 0);
        }
        return true;
    }

    /**
     * Fires {@code ERROR} for the pending error, unless the error queue already reported the same errno.
     *
     * @return false when a callback closed the socket or removed the callbacks.
     */
    private boolean fireError(final EventRegistration current, final SocketProbe probe, final KSocketEventThread events)
    {
        if (callersInConnect.get() > 0)
        {
            // The connect call returns the pending error itself.
            return true;
        }
        final int errno = probe.takeError(socket.fd());
        if (0 == errno)
        {
            return true;
        }
        lastError = errno;
        return errno == queuedError || events.fire(current, KSocketEvent.ERROR, errno);
    }

    /**
     * Whether the TCP state leaves no sending: our FIN is out, or the connection is gone.
     */
    private static boolean sendingEnded(final int state)
    {
        return TcpInfoDescriptor.TCP_FIN_WAIT1 == state || TcpInfoDescriptor.TCP_FIN_WAIT2 == state ||
            TcpInfoDescriptor.TCP_CLOSING == state || TcpInfoDescriptor.TCP_LAST_ACK == state ||
            TcpInfoDescriptor.TCP_TIME_WAIT == state || TcpInfoDescriptor.TCP_CLOSE == state;
    }
}
