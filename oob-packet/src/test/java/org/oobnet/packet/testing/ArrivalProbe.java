package org.oobnet.packet.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.netns.testing.NetnsFixture;

/**
 * A plain packet socket on a host's interface that only counts the frames of one EtherType the kernel handed it
 * ({@code PACKET_STATISTICS}: queued or dropped, it reads none), so a test can wait until frames it sent have
 * reached the socket under test, instead of sleeping and hoping the receiving softirq ran.
 * <p>
 * The kernel hands a frame to the packet hooks bound to the device, one after the other, each to the end: first
 * the {@code ETH_P_ALL} ones, then those of the frame's EtherType, each list newest first. So a frame the probe
 * counted has been through the socket under test (in its ring, or dropped there) when the probe is opened
 * <em>before</em> it with the same EtherType, or when that socket is {@code ETH_P_ALL} and the probe is not (then
 * count the EtherType of the last frame sent: the veth keeps one sender's frames in order).
 * <p>
 * <b>Note:</b> not thread safe; one test thread.
 */
public final class ArrivalProbe implements AutoCloseable
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final int fd;
    private long arrived;

    private ArrivalProbe(final int fd)
    {
        this.fd = fd;
    }

    /**
     * @param fixture   the hosts.
     * @param host      where the frames arrive.
     * @param etherType the EtherType counted.
     * @return the probe, bound to the host's interface.
     * @throws Exception when the socket cannot be made.
     */
    public static ArrivalProbe open(final NetnsFixture fixture, final NetnsFixture.Host host, final int etherType)
        throws Exception
    {
        final int fd = fixture.call(host, () -> RawPacketSockets.open(etherType));
        try
        {
            RawPacketSockets.bind(fd, fixture.call(host, () -> RawPacketSockets.ifIndex(host.interfaceName())),
                etherType);
        }
        catch (final RuntimeException ex)
        {
            RawPacketSockets.close(fd);
            throw ex;
        }
        return new ArrivalProbe(fd);
    }

    /**
     * @return the frames the kernel handed the probe since it was bound.
     */
    public long arrived()
    {
        // the kernel resets its counts at each read
        arrived += RawPacketSockets.statistics(fd)[0];
        return arrived;
    }

    /**
     * Returns once {@link #arrived()} reached {@code count} (within 10 s, else fails).
     *
     * @param count the frames.
     */
    public void await(final long count)
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (arrived() < count)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("within 10 s, " + arrived + " of " + count + " frames arrived");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Override
    public void close()
    {
        RawPacketSockets.close(fd);
    }
}
