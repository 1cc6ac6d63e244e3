package org.oobnet.core;

/**
 * An in-band call waited longer than {@link OobConfig#stageAnswerTimeoutNs()} for a stage that is running but does
 * not answer (stalled in a handler or a task, not stopped). The message names the command, the stage and the wait.
 * The command is not withdrawn: the stage may still run it when it comes back. A socket whose close timed out this
 * way is closed for the application, but its descriptor and OOB context are kept, because the stage may still read
 * them.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 */
public final class StageTimeoutException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was waited for, on which stage, how long.
     */
    public StageTimeoutException(final String message)
    {
        super(message);
    }
}
