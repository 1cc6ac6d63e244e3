package org.oobnet.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link RecordingProtocol} saw for one socket: its lifecycle hooks in call order, each with the stage it ran
 * on, the stage calls counted, and every contract violation found on the way.
 * <p>
 * <b>Note:</b> thread safe: the lifecycle list is guarded by this object, the counts are atomics.
 */
public final class SocketTrace
{
    /** One lifecycle hook call. */
    public record Call(Hook hook, boolean onStageThread)
    {
    }

    private final List<Call> calls = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong sendsTaken = new AtomicLong();
    private final AtomicLong sendsRetried = new AtomicLong();
    // written by the stage hooks, read by every stage call: the socket is between onStageAttach and onStageDetach
    volatile boolean onStage;
    volatile boolean released;

    synchronized void add(final Hook hook, final boolean onStageThread)
    {
        calls.add(new Call(hook, onStageThread));
    }

    synchronized void violation(final String what)
    {
        // only on a violation: the allocation of the text is then the least of the problems
        violations.add(what);
    }

    void poll()
    {
        polls.lazySet(polls.get() + 1);
    }

    void flush()
    {
        flushes.lazySet(flushes.get() + 1);
    }

    void send(final boolean retried)
    {
        final AtomicLong counter = retried ? sendsRetried : sendsTaken;
        counter.lazySet(counter.get() + 1);
    }

    /**
     * @return the lifecycle hooks in call order.
     */
    public synchronized List<Call> calls()
    {
        return List.copyOf(calls);
    }

    /**
     * @return the lifecycle hooks in call order, without the thread.
     */
    public synchronized List<Hook> hooks()
    {
        final List<Hook> hooks = new ArrayList<>(calls.size());
        for (final Call call : calls)
        {
            hooks.add(call.hook());
        }
        return hooks;
    }

    /**
     * @param hook a hook.
     * @return how many times it was called.
     */
    public synchronized int count(final Hook hook)
    {
        int n = 0;
        for (final Call call : calls)
        {
            if (call.hook() == hook)
            {
                n++;
            }
        }
        return n;
    }

    /**
     * @param hook a hook.
     * @return the position of its first call, -1 when never called.
     */
    public synchronized int indexOf(final Hook hook)
    {
        for (int i = 0; i < calls.size(); i++)
        {
            if (calls.get(i).hook() == hook)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return contract violations seen (a stage call outside the socket's time on the stage, a hook on the wrong
     * thread, ...), empty when none.
     */
    public synchronized List<String> violations()
    {
        return List.copyOf(violations);
    }

    /** @return {@code poll} calls. */
    public long polls()
    {
        return polls.get();
    }

    /** @return {@code flush} calls. */
    public long flushes()
    {
        return flushes.get();
    }

    /** @return {@code send} calls that took their message (sent it or dropped it). */
    public long sendsTaken()
    {
        return sendsTaken.get();
    }

    /** @return {@code send} calls that answered {@code -EWOULDBLOCK} (the message stays queued). */
    public long sendsRetried()
    {
        return sendsRetried.get();
    }

    @Override
    public synchronized String toString()
    {
        return "SocketTrace{calls=" + calls + ", polls=" + polls + ", sendsTaken=" + sendsTaken +
            ", violations=" + violations + '}';
    }
}
