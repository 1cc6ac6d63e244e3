package org.oobnet.testkit;

import java.lang.foreign.MemorySegment;

import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobSocket;

/**
 * A decorator that makes one hook of the protocol under test fail, once armed: the protocol's own hook runs first
 * (so whatever it set up must then be undone by the later hooks), then the decorator answers the given negative
 * errno, or throws when {@link Mode#THROW} is asked. {@code release} and {@code destroy}, which return nothing,
 * can only throw.
 * <p>
 * Armed after the subject's peers are open, disarmed before they close, so only the socket under test is hit.
 * <b>Note:</b> thread safe (the arming is volatile).
 */
public final class FailingProtocol extends ForwardingProtocol
{
    /** How the hook fails. */
    public enum Mode
    {
        /** Return the negative errno. */
        RETURN_ERRNO,
        /** Throw an {@link IllegalStateException}: oob-core must turn it into {@code -EIO} or swallow and count it. */
        THROW
    }

    private final Hook hook;
    private final Mode mode;
    private final int errno;
    private volatile boolean armed;

    /**
     * @param delegate the protocol under test.
     * @param hook     which hook fails: {@link Hook#ATTACH}, {@link Hook#BIND}, {@link Hook#CONNECT},
     *                 {@link Hook#SHUTDOWN}, {@link Hook#RELEASE} or {@link Hook#DESTROY}.
     * @param mode     how.
     * @param errno    the negative errno for {@link Mode#RETURN_ERRNO}.
     */
    public FailingProtocol(final OobProtocol delegate, final Hook hook, final Mode mode, final int errno)
    {
        super(delegate);
        if ((hook == Hook.RELEASE || hook == Hook.DESTROY) && mode != Mode.THROW)
        {
            throw new IllegalArgumentException("hook=" + hook + " returns nothing: it can only fail with mode=THROW");
        }
        if (errno >= 0 && mode == Mode.RETURN_ERRNO)
        {
            throw new IllegalArgumentException("errno=" + errno + " must be negative");
        }
        this.hook = hook;
        this.mode = mode;
        this.errno = errno;
    }

    /**
     * @param armed true to make the hook fail from now on.
     */
    public void armed(final boolean armed)
    {
        this.armed = armed;
    }

    @Override
    public int attach(final OobSocket socket)
    {
        return fail(Hook.ATTACH, super.attach(socket));
    }

    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        return fail(Hook.BIND, super.bind(socket, address));
    }

    @Override
    public int connect(final OobSocket socket, final MemorySegment address)
    {
        return fail(Hook.CONNECT, super.connect(socket, address));
    }

    @Override
    public int shutdown(final OobSocket socket, final int how)
    {
        return fail(Hook.SHUTDOWN, super.shutdown(socket, how));
    }

    @Override
    public void release(final OobSocket socket)
    {
        super.release(socket);
        fail(Hook.RELEASE, 0);
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        super.destroy(socket);
        fail(Hook.DESTROY, 0);
    }

    private int fail(final Hook called, final int rc)
    {
        if (!armed || called != hook || rc < 0)
        {
            return rc;
        }
        if (mode == Mode.THROW)
        {
            throw new IllegalStateException("contract kit: injected failure of hook=" + hook);
        }
        return errno;
    }
}
