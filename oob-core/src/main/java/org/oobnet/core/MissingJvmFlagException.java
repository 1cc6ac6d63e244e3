package org.oobnet.core;

/**
 * Thrown by {@link RequiredJvmFlags#check()} when the JVM lacks a flag oobnet needs. Its message is the whole
 * story (which flag, where to add it), so it carries no stack trace: left uncaught it prints as one line.
 * <p>
 * <b>Note:</b> immutable.
 */
public final class MissingJvmFlagException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message the missing flags and what to do.
     */
    public MissingJvmFlagException(final String message)
    {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace()
    {
        // no frames: the caller's place in the application says nothing about a JVM started without a flag
        return this;
    }
}
