package org.oobnet.reliability.unwind;

import java.lang.foreign.MemorySegment;

import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobSocket;
import org.oobnet.testkit.ForwardingProtocol;

/**
 * A decorator over a real protocol that fails one chosen entry point, once armed: the in-band hooks and the
 * ioctl/option redirects run the real protocol first (so what it set up must be unwound by the later hooks)
 * and then answer an errno or throw; the stage methods throw before the real one runs.
 * <p>
 * <b>Note:</b> thread safe (the arming is volatile).
 */
final class FailingEverywhereProtocol extends ForwardingProtocol
{
    /** Where the failure is. */
    enum Point
    {
        ATTACH, BIND, INBAND_IOCTL, SETOPT, GETOPT, ON_STAGE_ATTACH, POLL, FLUSH, ON_STAGE_DETACH, RELEASE, DESTROY
    }

    /** Thrown by the injected failures, so the error log shows where they came from. */
    static final class InjectedFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        InjectedFailure(final Point point)
        {
            super("injected failure at " + point, null, false, false);
        }
    }

    private final Point point;
    private final boolean throwing;
    private final int errno;
    private volatile boolean armed;

    FailingEverywhereProtocol(final OobProtocol delegate, final Point point, final boolean throwing, final int errno)
    {
        super(delegate);
        this.point = point;
        this.throwing = throwing;
        this.errno = errno;
    }

    void armed(final boolean armed)
    {
        this.armed = armed;
    }

    private boolean fires(final Point here)
    {
        return armed && here == point;
    }

    private long after(final Point here, final long result)
    {
        if (!fires(here))
        {
            return result;
        }
        if (throwing)
        {
            throw new InjectedFailure(here);
        }
        return -errno;
    }

    private void before(final Point here)
    {
        if (fires(here))
        {
            throw new InjectedFailure(here);
        }
    }

    @Override
    public int attach(final OobSocket socket)
    {
        return (int)after(Point.ATTACH, super.attach(socket));
    }

    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        return (int)after(Point.BIND, super.bind(socket, address));
    }

    @Override
    public long inbandIoctl(final OobSocket socket, final int request, final long arg)
    {
        return after(Point.INBAND_IOCTL, super.inbandIoctl(socket, request, arg));
    }

    @Override
    public int setopt(final OobSocket socket, final int level, final int name, final MemorySegment value)
    {
        return (int)after(Point.SETOPT, super.setopt(socket, level, name, value));
    }

    @Override
    public int getopt(
        final OobSocket socket, final int level, final int name, final MemorySegment value, final MemorySegment length)
    {
        return (int)after(Point.GETOPT, super.getopt(socket, level, name, value, length));
    }

    @Override
    public void onStageAttach(final OobSocket socket)
    {
        super.onStageAttach(socket);
        before(Point.ON_STAGE_ATTACH);
    }

    // the packet protocol's sockets are served by their own devices, never polled per socket: to inject a failure
    // into the stage's per-socket poll and flush, this wrapper asks for them (its delegate's return 0)
    @Override
    public boolean pollsEachSocket()
    {
        return point == Point.POLL || point == Point.FLUSH || super.pollsEachSocket();
    }

    @Override
    public int poll(final OobSocket socket, final long nowNs)
    {
        before(Point.POLL);
        return super.poll(socket, nowNs);
    }

    @Override
    public int flush(final OobSocket socket, final long nowNs)
    {
        before(Point.FLUSH);
        return super.flush(socket, nowNs);
    }

    @Override
    public void onStageDetach(final OobSocket socket)
    {
        super.onStageDetach(socket);
        before(Point.ON_STAGE_DETACH);
    }

    @Override
    public void release(final OobSocket socket)
    {
        super.release(socket);
        before(Point.RELEASE);
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        super.destroy(socket);
        before(Point.DESTROY);
    }
}
