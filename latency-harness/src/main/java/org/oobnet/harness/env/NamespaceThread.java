package org.oobnet.harness.env;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.oobnet.netns.NamespaceEntry;

/**
 * One in-band thread moved into a named network namespace with {@code setns}: sockets made and bound on it
 * belong to that namespace, while the OOB stage (any namespace) serves them.
 * <p>
 * <b>Note:</b> thread safe; tasks run one at a time. Also {@code oobnet feed bench}'s.
 */
public final class NamespaceThread implements AutoCloseable
{
    private final ExecutorService executor;

    /**
     * @param namespace the namespace's name ({@code ip netns}).
     * @throws Exception when the thread cannot enter it.
     */
    public NamespaceThread(final String namespace) throws Exception
    {
        executor = Executors.newSingleThreadExecutor(task ->
        {
            final Thread thread = new Thread(task, "netns-" + namespace);
            thread.setDaemon(true);
            return thread;
        });
        call(() ->
        {
            NamespaceEntry.enter(namespace);
            return null;
        });
    }

    /**
     * Runs a task on the thread, in the namespace, and waits for it.
     *
     * @param task the task.
     * @param <T>  its result's type.
     * @return its result.
     * @throws Exception what the task threw.
     */
    public <T> T call(final Callable<T> task) throws Exception
    {
        final Future<T> future = executor.submit(task);
        try
        {
            return future.get();
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof final Exception cause)
            {
                throw cause;
            }
            throw ex;
        }
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
