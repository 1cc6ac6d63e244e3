package org.oobnet.testkit;

import java.io.File;

/**
 * Counts the process's open file descriptors ({@code /proc/self/fd}), to show that a failed or closed socket
 * leaks none (neither its own descriptor nor what its protocol opened).
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class OpenDescriptors
{
    private OpenDescriptors()
    {
    }

    /**
     * @return the number of open descriptors, or -1 when {@code /proc/self/fd} cannot be read.
     */
    public static int count()
    {
        final String[] names = new File("/proc/self/fd").list();
        // the listing itself holds one descriptor while it runs; it is gone again when list() returns
        return null == names ? -1 : names.length;
    }
}
