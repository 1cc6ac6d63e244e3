package org.oobnet.inband;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The zero-copy sends of one socket still owned by the kernel, keyed by the kernel's per-socket send id
 * ({@code sk_zckey}: 0, 1, 2, ... one per successful {@code MSG_ZEROCOPY} send), so that a completion range
 * {@code [ee_info, ee_data]} from the error queue hands the right buffers back.
 * <p>
 * <b>Note:</b> thread safe (synchronized): senders add under the lock around their send so ids follow the
 * kernel's order; completions are collected under the lock and called outside it.
 */
final class ZeroCopyTracker
{
    record Pending(int id, Object buffer, ZeroCopyCompletion completion, Object cookie)
    {
    }

    record Completed(Pending pending, boolean copied, boolean aborted)
    {
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int nextId;
    private long completedCount;
    private long copiedCount;
    private long abortedCount;

    /**
     * Under the lock, after a send that the kernel accepted: it got the next id.
     */
    void sent(final Object buffer, final ZeroCopyCompletion completion, final Object cookie)
    {
        pending.addLast(new Pending(nextId++, buffer, completion, cookie));
    }

    /**
     * Collects the sends of ids {@code [first, last]} (inclusive, wrapping 32-bit).
     */
    synchronized List<Completed> complete(final int first, final int last, final boolean copied)
    {
        final List<Completed> done = new ArrayList<>();
        while (!pending.isEmpty())
        {
            final Pending head = pending.peekFirst();
            if (head.id() - first < 0 || head.id() - last > 0)
            {
                break;
            }
            pending.removeFirst();
            done.add(new Completed(head, copied, false));
            completedCount++;
            if (copied)
            {
                copiedCount++;
            }
        }
        return done;
    }

    /**
     * The socket is gone (its descriptor closed): collects every send still pending, as aborted.
     */
    synchronized List<Completed> abortAll()
    {
        final List<Completed> done = new ArrayList<>(pending.size());
        while (!pending.isEmpty())
        {
            done.add(new Completed(pending.removeFirst(), false, true));
            abortedCount++;
        }
        return done;
    }

    synchronized long abortedCount()
    {
        return abortedCount;
    }

    synchronized int pendingCount()
    {
        return pending.size();
    }

    synchronized long completedCount()
    {
        return completedCount;
    }

    synchronized long copiedCount()
    {
        return copiedCount;
    }
}
