package org.oobnet.core;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.jctools.queues.MpscArrayQueue;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocketEvent;

/**
 * The stage's "has work" list: the sockets whose send ring holds messages. An application thread that commits a
 * message schedules its socket here (once: a flag per socket keeps it in the queue at most once); the stage drains
 * the rings of scheduled sockets only, so a cycle never visits an idle socket. A socket whose ring the stage could
 * not empty in one cycle (its per-cycle limit, a full TX path, or not on the stage yet) stays scheduled and is
 * served again next cycle.
 * <p>
 * <b>Note:</b> {@link #schedule} from any thread; the rest stage only, allocation-free. The queue's capacity is
 * the runtime's most live sockets, so an offer never fails.
 */
final class PendingSends
{
    private static final int SEND_LIMIT_PER_SOCKET = 64;

    private final MpscArrayQueue<OobSocket> scheduled;
    private final int capacity;
    private final SendDrainer sendDrainer = new SendDrainer();
    private final DropCounter dropCounter = new DropCounter();
    private OobSocket[] retry;
    private OobSocket[] nextRetry;
    private int retryCount;

    PendingSends(final int maxSockets)
    {
        this.capacity = maxSockets;
        this.scheduled = new MpscArrayQueue<>(Math.max(2, maxSockets));
        this.retry = new OobSocket[maxSockets];
        this.nextRetry = new OobSocket[maxSockets];
    }

    /**
     * Any thread, after a message was committed to the socket's send ring.
     *
     * @param socket the socket.
     */
    void schedule(final OobSocket socket)
    {
        // the flag's CAS is ordered after the commit: either the stage's drain (after it cleared the flag) sees the
        // message, or this CAS wins and queues the socket again
        if (socket.casSendScheduled(false, true))
        {
            while (!scheduled.offer(socket))
            {
                // FIXME: cannot happen (capacity is the most live sockets and each socket is queued at most once);
                // spin rather than lose the wake-up if the invariant is ever broken
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Stage: schedules a socket whose ring may hold messages no schedule covers (it joined the stage, or begins to
     * leave it, after a cycle dropped its queue entry because it was not on the stage).
     *
     * @param socket the socket.
     */
    void scheduleOnStage(final OobSocket socket)
    {
        if (socket.sendRing().size() > 0 && socket.casSendScheduled(false, true))
        {
            retry[retryCount++] = socket;
        }
    }

    /**
     * Stage: drains the rings of the sockets scheduled last cycle and of those scheduled since.
     *
     * @return messages sent.
     */
    int serve()
    {
        int work = 0;
        final OobSocket[] retry = this.retry;
        final int retryCount = this.retryCount;
        this.retry = nextRetry;
        this.nextRetry = retry;
        this.retryCount = 0;
        for (int i = 0; i < retryCount; i++)
        {
            final OobSocket socket = retry[i];
            retry[i] = null;
            work += serve(socket);
        }
        final MpscArrayQueue<OobSocket> scheduled = this.scheduled;
        OobSocket socket;
        int polled = 0;
        while (polled < capacity && null != (socket = scheduled.relaxedPoll()))
        {
            polled++;
            work += serve(socket);
        }
        return work;
    }

    private int serve(final OobSocket socket)
    {
        if (!socket.isOnStage())
        {
            if (socket.state() == OobSocket.ATTACHED)
            {
                // its attach command has not run yet: keep it for next cycle
                retry[retryCount++] = socket;
            }
            else
            {
                // released before it joined, or left: its detach schedules what the ring still holds
                socket.clearSendScheduled();
            }
            return 0;
        }
        // volatile store before the ring is read: a commit after this point schedules the socket again
        socket.clearSendScheduled();
        final RingBuffer ring = socket.sendRing();
        final SendDrainer drainer = sendDrainer;
        drainer.socket = socket;
        final int sent = ring.controlledRead(drainer, SEND_LIMIT_PER_SOCKET);
        drainer.socket = null;
        if (sent > 0 && socket.takeAppSendBlocked())
        {
            socket.raise(KSocketEvent.CANSEND, 0);
        }
        if (ring.size() > 0 && socket.casSendScheduled(false, true))
        {
            retry[retryCount++] = socket;
        }
        return sent;
    }

    /**
     * Stage (or the closing thread once the stage stopped): counts every message left in the socket's send ring
     * as dropped at close and empties the ring.
     *
     * @param socket the socket leaving the stage.
     */
    void dropQueued(final OobSocket socket)
    {
        final RingBuffer ring = socket.sendRing();
        if (ring.size() != 0)
        {
            final DropCounter counter = dropCounter;
            counter.socket = socket;
            ring.read(counter, Integer.MAX_VALUE);
            ring.unblock();
            counter.socket = null;
        }
    }

    private static final class SendDrainer implements ControlledMessageHandler
    {
        OobSocket socket;

        @Override
        public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final OobSocket socket = this.socket;
            final int rc = socket.sendOnStage(buffer, index, length);
            if (rc == -Errno.EWOULDBLOCK)
            {
                // TX path full: keep the message queued, retry next cycle
                socket.sendBlocked(true);
                return Action.ABORT;
            }
            if (socket.isSendBlocked())
            {
                socket.sendBlocked(false);
                socket.raise(KSocketEvent.CANSEND, 0);
            }
            return Action.CONTINUE;
        }
    }

    private static final class DropCounter implements MessageHandler
    {
        OobSocket socket;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            socket.counters().dropsClosed().incrementRelease();
        }
    }
}
