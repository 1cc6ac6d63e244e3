package org.oobnet.netns;

import org.oobnet.inband.Errno;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SysConstants;

import java.lang.foreign.Arena;

/**
 * Moves the calling thread into a named network namespace ({@code /var/run/netns/NAME}) with {@code setns}.
 * <p>
 * Only the calling thread moves; sockets it creates afterwards belong to that namespace for their whole life.
 * <p>
 * <b>Note:</b> thread safe, stateless; affects only the calling thread, which must be a platform thread (a virtual
 * thread's carrier would move instead). In-band only; needs CAP_SYS_ADMIN.
 */
public final class NamespaceEntry
{
    private static final String NETNS_RUN_DIR = "/var/run/netns/";

    private NamespaceEntry()
    {
    }

    /**
     * Moves the calling thread into {@code /var/run/netns/namespace}.
     *
     * @param namespace the name given to {@code ip netns add}.
     * @throws IllegalStateException naming the path and errno when the namespace cannot be opened or entered.
     */
    public static void enter(final String namespace)
    {
        final ErrnoCapture errno = ErrnoCapture.current();
        final String path = NETNS_RUN_DIR + namespace;
        try (Arena arena = Arena.ofConfined())
        {
            final int fd = LibC.open(errno, arena.allocateFrom(path), SysConstants.O_RDONLY | SysConstants.O_CLOEXEC);
            if (fd < 0)
            {
                throw new IllegalStateException("open(" + path + ") failed: " + Errno.name(-fd) + " (" + Errno.message(-fd) + ")");
            }
            try
            {
                final int result = LibC.setns(errno, fd, SysConstants.CLONE_NEWNET);
                if (result < 0)
                {
                    throw new IllegalStateException(
                        "setns(" + path + ", CLONE_NEWNET) failed: " + Errno.name(-result) + " (" + Errno.message(-result) + ")");
                }
            }
            finally
            {
                LibC.close(errno, fd);
            }
        }
    }
}
