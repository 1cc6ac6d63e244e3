package org.oobnet.inband;

import java.io.IOException;

/**
 * A socket operation failed with an errno: the one place where a kernel-style {@code -errno} becomes an
 * exception. The message names the operation, the errno and its {@code strerror} text, e.g.
 * {@code "bind: EADDRINUSE (Address already in use)"}, plus any detail given as {@code name=value}.
 * <p>
 * <b>Note:</b> immutable.
 */
public class ErrnoException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String operation;

    /**
     * An exception for a failed operation.
     *
     * @param operation the operation, e.g. {@code "bind"}.
     * @param errno     the errno, positive or negative (kernel style).
     */
    public ErrnoException(final String operation, final int errno)
    {
        this(operation, errno, null);
    }

    /**
     * An exception for a failed operation with detail.
     *
     * @param operation the operation, e.g. {@code "bind"}.
     * @param errno     the errno, positive or negative (kernel style).
     * @param detail    {@code name=value} detail appended to the message, or null.
     */
    public ErrnoException(final String operation, final int errno, final String detail)
    {
        super(format(operation, Math.abs(errno), detail));
        this.errno = Math.abs(errno);
        this.operation = operation;
    }

    /**
     * The message an exception for these values carries.
     *
     * @param operation the operation.
     * @param errno     the positive errno.
     * @param detail    detail or null.
     * @return {@code "<operation>: <NAME> (<message>)[ <detail>]"}.
     */
    public static String format(final String operation, final int errno, final String detail)
    {
        final String text = operation + ": " + Errno.name(errno) + " (" + Errno.message(errno) + ")";
        return null == detail ? text : text + " " + detail;
    }

    /**
     * The errno.
     *
     * @return a positive errno.
     */
    public int errno()
    {
        return errno;
    }

    /**
     * The errno's symbolic name.
     *
     * @return e.g. {@code "ECONNREFUSED"}.
     */
    public String errnoName()
    {
        return Errno.name(errno);
    }

    /**
     * The operation that failed.
     *
     * @return e.g. {@code "connect"}.
     */
    public String operation()
    {
        return operation;
    }
}
