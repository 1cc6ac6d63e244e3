package org.oobnet.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.oobnet.inband.Errno;

/**
 * A control command: an object made in-band, passed to the OOB stage on the runtime's MPSC queue, executed there
 * and acknowledged at the end of the cycle that executed it (a stage crossing).
 * <p>
 * When {@link OobRuntime#callOnStage} returns, the stage has executed {@link #execute} and finished that whole
 * duty cycle: nothing it read before or during the command is still in use. This is what lets a protocol unmap a
 * ring after a command that removed it from the stage. A command that must wait for something on the stage
 * (e.g. a send ring to drain) calls {@link #defer()} and later {@link #complete(int)} from the stage.
 * <b>Note:</b> {@link #execute} is stage only and must not block or allocate; the rest is thread safe. A command
 * object is used once.
 */
public abstract class StageCommand
{
    private static final int PENDING = 0;
    private static final int EXECUTED = 1;
    private static final int ACKNOWLEDGED = 2;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(StageCommand.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    private int result;
    private boolean deferred;

    /**
     * Stage only: the command's work.
     *
     * @param stage the stage's services.
     * @param nowNs the cycle's clock.
     * @return the command's result (0 or a negative errno), given back by {@link #result()}; ignored when the
     * command {@link #defer() deferred} itself.
     */
    protected abstract int execute(OobStage stage, long nowNs);

    /**
     * Stage only, inside {@link #execute}: the command is not done when {@code execute} returns; it is
     * acknowledged at the end of the cycle in which {@link #complete(int)} is called.
     */
    protected final void defer()
    {
        deferred = true;
    }

    /**
     * Stage only: completes a {@link #defer() deferred} command.
     *
     * @param result its result.
     */
    protected final void complete(final int result)
    {
        this.result = result;
        deferred = false;
    }

    /**
     * @return the result {@link #execute} returned or {@link #complete(int)} gave; valid once acknowledged.
     */
    public final int result()
    {
        return result;
    }

    /**
     * @return true once the stage acknowledged the command.
     */
    public final boolean isAcknowledged()
    {
        // acquire: pairs with the stage's release in acknowledge(); makes result and the command's effects visible
        return (int)STATE.getAcquire(this) == ACKNOWLEDGED;
    }

    // stage (or the closing thread once the stage stopped): run it; true when done (not deferred)
    final boolean run(final OobStage stage, final long nowNs)
    {
        deferred = false;
        final int r = execute(stage, nowNs);
        STATE.setOpaque(this, EXECUTED);
        if (deferred)
        {
            return false;
        }
        result = r;
        return true;
    }

    // how much longer than the stage answer timeout an in-band caller may wait for it (a detach's drain)
    long waitAllowanceNs()
    {
        return 0;
    }

    final boolean isDeferred()
    {
        return deferred;
    }

    // the stage stopped (its thread joined) while this command was deferred: finish it on the closing thread
    void finishWithoutStage(final StageAgent stage)
    {
        complete(-Errno.ENETDOWN);
    }

    final void acknowledge()
    {
        // release: publishes result and everything the stage did in the cycle; pairs with isAcknowledged()
        STATE.setRelease(this, ACKNOWLEDGED);
    }
}
