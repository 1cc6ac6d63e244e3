package org.oobnet.testkit;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;

/**
 * A decorator that records, per socket, the order of the protocol's lifecycle hooks and the thread each ran on,
 * counts the stage calls, and notes every contract violation: a stage method called before
 * {@code onStageAttach} or after {@code onStageDetach}, an in-band hook on the stage thread or a stage hook off it,
 * a hook after {@code destroy}.
 * <p>
 * Optionally slows each {@code send} down by a busy wait on the stage, so that a test can close a socket while its
 * send ring still holds messages (release must drain them).
 * <b>Note:</b> thread safe. Lifecycle hooks allocate (they are rare); the stage calls do not, apart from the text
 * of a violation.
 */
public final class RecordingProtocol extends ForwardingProtocol
{
    private final ConcurrentHashMap<OobSocket, SocketTrace> traces = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<SocketTrace> inOrder = new CopyOnWriteArrayList<>();
    private final AtomicInteger matches = new AtomicInteger();
    private volatile long sendDelayNs;

    /**
     * @param delegate the protocol under test.
     */
    public RecordingProtocol(final OobProtocol delegate)
    {
        super(delegate);
    }

    /**
     * Any thread: from now on each {@code send} spins this long on the stage before it forwards.
     *
     * @param delayNs the delay, 0 for none.
     */
    public void sendDelayNs(final long delayNs)
    {
        this.sendDelayNs = delayNs;
    }

    /**
     * @param socket a socket this protocol served.
     * @return its trace, or null when it never reached {@code attach}.
     */
    public SocketTrace trace(final OobSocket socket)
    {
        return traces.get(socket);
    }

    /**
     * @return the traces of every socket attached so far, in attach order.
     */
    public List<SocketTrace> traces()
    {
        return List.copyOf(inOrder);
    }

    /**
     * @return how many times {@code match} was called.
     */
    public int matches()
    {
        return matches.get();
    }

    @Override
    public int match(final int type, final int protocol)
    {
        matches.incrementAndGet();
        return super.match(type, protocol);
    }

    @Override
    public int attach(final OobSocket socket)
    {
        final SocketTrace trace = new SocketTrace();
        if (null != traces.putIfAbsent(socket, trace))
        {
            traces.get(socket).violation("attach called twice for " + socket);
        }
        else
        {
            inOrder.add(trace);
        }
        inband(socket, Hook.ATTACH);
        return super.attach(socket);
    }

    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        inband(socket, Hook.BIND);
        return super.bind(socket, address);
    }

    @Override
    public int connect(final OobSocket socket, final MemorySegment address)
    {
        inband(socket, Hook.CONNECT);
        return super.connect(socket, address);
    }

    @Override
    public int shutdown(final OobSocket socket, final int how)
    {
        inband(socket, Hook.SHUTDOWN);
        return super.shutdown(socket, how);
    }

    @Override
    public void release(final OobSocket socket)
    {
        final SocketTrace trace = inband(socket, Hook.RELEASE);
        if (null != trace)
        {
            if (trace.onStage)
            {
                trace.violation("release while the socket is still on the stage");
            }
            trace.released = true;
        }
        super.release(socket);
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        final SocketTrace trace = inband(socket, Hook.DESTROY);
        if (null != trace && trace.onStage)
        {
            trace.violation("destroy while the socket is still on the stage");
        }
        super.destroy(socket);
    }

    @Override
    public void onStageAttach(final OobSocket socket)
    {
        final SocketTrace trace = stage(socket, Hook.ON_STAGE_ATTACH);
        if (null != trace)
        {
            trace.onStage = true;
        }
        super.onStageAttach(socket);
    }

    @Override
    public void onStageDetach(final OobSocket socket)
    {
        final SocketTrace trace = stage(socket, Hook.ON_STAGE_DETACH);
        super.onStageDetach(socket);
        if (null != trace)
        {
            trace.onStage = false;
        }
    }

    @Override
    public int poll(final OobSocket socket, final long nowNs)
    {
        final SocketTrace trace = onStage(socket, "poll");
        if (null != trace)
        {
            trace.poll();
        }
        return super.poll(socket, nowNs);
    }

    @Override
    public int flush(final OobSocket socket, final long nowNs)
    {
        final SocketTrace trace = onStage(socket, "flush");
        if (null != trace)
        {
            trace.flush();
        }
        return super.flush(socket, nowNs);
    }

    @Override
    public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final SocketTrace trace = onStage(socket, "send");
        final long delayNs = sendDelayNs;
        if (delayNs > 0)
        {
            final long untilNs = System.nanoTime() + delayNs;
            while (System.nanoTime() - untilNs < 0)
            {
                Thread.onSpinWait();
            }
        }
        final int rc = super.send(socket, buffer, offset, length);
        if (null != trace)
        {
            trace.send(rc == -Errno.EWOULDBLOCK);
        }
        return rc;
    }

    private SocketTrace inband(final OobSocket socket, final Hook hook)
    {
        final SocketTrace trace = traces.get(socket);
        if (null == trace)
        {
            return null;
        }
        final boolean stageThread = isStageThread(socket);
        if (stageThread)
        {
            trace.violation(hook + " ran on the stage thread");
        }
        if (trace.count(Hook.DESTROY) > 0)
        {
            trace.violation(hook + " after destroy");
        }
        trace.add(hook, stageThread);
        return trace;
    }

    private SocketTrace stage(final OobSocket socket, final Hook hook)
    {
        final SocketTrace trace = traces.get(socket);
        if (null == trace)
        {
            return null;
        }
        final boolean stageThread = isStageThread(socket);
        if (!stageThread)
        {
            // the runtime runs stage work inline on the closing thread only after its stage stopped
            if (!socket.runtime().isClosed())
            {
                trace.violation(hook + " ran off the stage thread");
            }
        }
        if (trace.released)
        {
            trace.violation(hook + " after release");
        }
        trace.add(hook, stageThread);
        return trace;
    }

    private SocketTrace onStage(final OobSocket socket, final String method)
    {
        final SocketTrace trace = traces.get(socket);
        if (null != trace && !trace.onStage)
        {
            trace.violation(method + " called while the socket was not on the stage");
        }
        return trace;
    }

    private static boolean isStageThread(final OobSocket socket)
    {
        return socket.runtimeStage().thread() == Thread.currentThread();
    }
}
