package org.oobnet.harness.soak;

import java.lang.foreign.Arena;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.oobnet.inband.Errno;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SysConstants;

/**
 * One in-band thread moved into a named network namespace with {@code setns}: sockets made and bound on it
 * belong to that namespace, while the OOB stage (any namespace) serves them.
 * <p>
 * <b>Note:</b> thread safe; tasks run one at a time.
 */
final class NamespaceThread implements AutoCloseable
{
    private final ExecutorService executor;

    NamespaceThread(final String namespace) throws Exception
    {
        executor = Executors.newSingleThreadExecutor(task ->
        {
            final Thread thread = new Thread(task, "soak-" + namespace);
            thread.setDaemon(true);
            return thread;
        });
        call(() ->
        {
            enter(namespace);
            return null;
        });
    }

    <T> T call(final Callable<T> task) throws Exception
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

    private static void enter(final String namespace)
    {
        final ErrnoCapture errno = ErrnoCapture.current();
        final String path = "/var/run/netns/" + namespace;
        try (Arena arena = Arena.ofConfined())
        {
            final int fd = LibC.open(errno, arena.allocateFrom(path), SysConstants.O_RDONLY | SysConstants.O_CLOEXEC);
            if (fd < 0)
            {
                throw new IllegalStateException("open(" + path + "): " + Errno.name(-fd));
            }
            try
            {
                final int rc = LibC.setns(errno, fd, SysConstants.CLONE_NEWNET);
                if (rc < 0)
                {
                    throw new IllegalStateException("setns(" + path + "): " + Errno.name(-rc));
                }
            }
            finally
            {
                LibC.close(errno, fd);
            }
        }
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
