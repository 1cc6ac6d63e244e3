package org.oobnet.inband;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
