package org.oobnet.inband;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Records every callback with its argument, cookie and thread, and waits for events with a deadline.
 */
final class RecordingCallbacks implements KSocketCallbacks
{
    record Call(KSocketEvent event, long argument, Object cookie, String thread)
    {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();

    private void record(final KSocketEvent event, final Object cookie, final long argument)
    {
        calls.add(new Call(event, argument, cookie, Thread.currentThread().getName()));
    }

    /**
     * Waits until an event was delivered.
     */
    Call await(final KSocketEvent event)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - deadline < 0)
        {
            for (final Call call : calls)
            {
                if (call.event() == event)
                {
                    return call;
                }
            }
            LockSupport.parkNanos(1_000_000);
        }
        return fail("no " + event + " within 5 s; got " + calls);
    }

    boolean has(final KSocketEvent event)
    {
        return calls.stream().anyMatch(call -> call.event() == event);
    }

    /**
     * How many times an event was delivered.
     */
    long count(final KSocketEvent event)
    {
        return calls.stream().filter(call -> call.event() == event).count();
    }

    /**
     * The events delivered so far, in order.
     */
    List<KSocketEvent> events()
    {
        return calls.stream().map(Call::event).toList();
    }

    /**
     * Waits until the event thread has handled everything that was pending when this was called: the readiness
     * edges already queued in its epoll set and the evaluations already asked for. Two hops, because a task posted
     * while the thread runs its task queue may run before that round's edges.
     */
    static void settle()
    {
        final CountDownLatch done = new CountDownLatch(1);
        final KSocketEventThread thread = KSocketEventThread.instance();
        thread.post(() -> thread.post(() -> thread.post(done::countDown)));
        try
        {
            if (!done.await(5, TimeUnit.SECONDS))
            {
                fail("the event thread did not settle within 5 s");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    @Override
    public void onConnected(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.CONNECTED, cookie, argument);
    }

    @Override
    public void onConnectFailed(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.CONNECTFAILED, cookie, argument);
    }

    @Override
    public void onDisconnected(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.DISCONNECTED, cookie, argument);
    }

    @Override
    public void onOobData(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.OOBDATA, cookie, argument);
    }

    @Override
    public void onNewData(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.NEWDATA, cookie, argument);
    }

    @Override
    public void onNewConn(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.NEWCONN, cookie, argument);
    }

    @Override
    public void onCanSend(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.CANSEND, cookie, argument);
    }

    @Override
    public void onCantSendMore(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.CANTSENDMORE, cookie, argument);
    }

    @Override
    public void onCantRecvMore(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.CANTRECVMORE, cookie, argument);
    }

    @Override
    public void onError(final KSocket socket, final Object cookie, final long argument)
    {
        record(KSocketEvent.ERROR, cookie, argument);
    }
}
