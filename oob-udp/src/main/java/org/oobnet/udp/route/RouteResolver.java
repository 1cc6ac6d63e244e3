package org.oobnet.udp.route;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockaddrInDescriptor;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.udp.frame.Ipv4Flyweight;

import static org.oobnet.udp.route.RtnetlinkDescriptor.RTMGRP_IPV4_ROUTE;
import static org.oobnet.udp.route.RtnetlinkDescriptor.RTMGRP_LINK;
import static org.oobnet.udp.route.RtnetlinkDescriptor.RTMGRP_NEIGH;
import static org.oobnet.udp.route.RtnetlinkDescriptor.RTN_BROADCAST;
import static org.oobnet.udp.route.RtnetlinkDescriptor.RTN_MULTICAST;

/**
 * Feeds the stage's front caches (routes as {@link NextHop}s, neighbours as {@link NeighbourEntry}s) from the
 * in-band kernel over rtnetlink, EVL style: the kernel owns routing and ARP, the stage only reads the caches.
 * <p>
 * {@link #solicit} resolves a peer ahead of time (route, source, interface MAC and MTU, then the next hop's MAC,
 * triggering ARP when the kernel has no entry). The stage reports a miss with {@link #requestSolicit}, which is
 * wait-free and allocation-free; the resolver thread ({@link #start}) serves those requests and refreshes the
 * caches whenever the kernel announces a route, neighbour or link change: entries the kernel dropped leave the
 * caches unless they were solicited as permanent.
 * <p>
 * <b>Note:</b> {@link #routes()}/{@link #neighbours()} lookups and {@link #requestSolicit} from any thread
 * (the stage); everything else in-band. Create it on a thread inside the network namespace it serves.
 */
public final class RouteResolver implements AutoCloseable
{
    /** How long {@link #solicit} waits for ARP by default. */
    public static final long DEFAULT_SOLICIT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    private static final int PENDING_SLOTS = 64;

    private final FrontCache<NextHop> routes = new FrontCache<>();
    private final FrontCache<NeighbourEntry> neighbours = new FrontCache<>();
    private final RtnetlinkSocket requests;
    private final RtnetlinkSocket notifications;
    private final Object requestLock = new Object();
    private final AtomicIntegerArray pending = new AtomicIntegerArray(PENDING_SLOTS);
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong solicitFailures = new AtomicLong();
    private final AtomicLong pendingOverflows = new AtomicLong();
    private final int kickFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment kickAddress = arena.allocate(SockaddrInDescriptor.LENGTH, 4);
    private volatile boolean running;
    private volatile Thread thread;

    /**
     * Opens the rtnetlink sockets in the calling thread's network namespace.
     *
     * @throws ErrnoException when the kernel refuses a socket.
     */
    public RouteResolver() throws ErrnoException
    {
        requests = RtnetlinkSocket.open(0);
        notifications = RtnetlinkSocket.open(RTMGRP_LINK | RTMGRP_NEIGH | RTMGRP_IPV4_ROUTE);
        final int fd = LibC.socket(ErrnoCapture.current(), SocketConstants.AF_INET,
            SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_CLOEXEC | SocketConstants.SOCK_NONBLOCK, 0);
        if (fd < 0)
        {
            requests.close();
            notifications.close();
            throw new ErrnoException("socket", -fd, "family=AF_INET type=SOCK_DGRAM (ARP kick)");
        }
        kickFd = fd;
    }

    /**
     * The route cache the stage reads.
     *
     * @return destinations to next hops.
     */
    public FrontCache<NextHop> routes()
    {
        return routes;
    }

    /**
     * The neighbour cache the stage reads.
     *
     * @return next hops to MACs.
     */
    public FrontCache<NeighbourEntry> neighbours()
    {
        return neighbours;
    }

    /**
     * In-band: resolves {@code peer} now and publishes it in the caches, triggering ARP and waiting for it when the
     * kernel has no neighbour entry. Like {@code evl_net_solicit(peer, permanent)}.
     *
     * @param peer      the destination address.
     * @param permanent keep the entries even when the kernel drops its own (until {@link #forget}).
     * @param timeoutNs how long to wait for ARP.
     * @return the next hop, with its neighbour now cached.
     * @throws ErrnoException {@code ENETUNREACH} (no route), {@code EHOSTUNREACH} (ARP got no answer in time), or
     *                        another errno from the kernel.
     */
    public NextHop solicit(final int peer, final boolean permanent, final long timeoutNs) throws ErrnoException
    {
        synchronized (requestLock)
        {
            final NextHop hop = resolveRoute(peer, permanent);
            final long mac = resolveMac(hop, true, timeoutNs);
            neighbours.put(hop.nextHop(), new NeighbourEntry(hop.nextHop(), hop.ifindex(), mac, permanent));
            routes.put(peer, hop);
            return hop;
        }
    }

    /**
     * In-band: {@link #solicit(int, boolean, long)} with {@link #DEFAULT_SOLICIT_TIMEOUT_NS}.
     *
     * @param peer      the destination address.
     * @param permanent keep the entries even when the kernel drops its own.
     * @return the next hop.
     * @throws ErrnoException see {@link #solicit(int, boolean, long)}.
     */
    public NextHop solicit(final int peer, final boolean permanent) throws ErrnoException
    {
        return solicit(peer, permanent, DEFAULT_SOLICIT_TIMEOUT_NS);
    }

    /**
     * In-band: drops a destination's route entry (permanent or not).
     *
     * @param peer the destination.
     */
    public void forget(final int peer)
    {
        routes.remove(peer);
    }

    /**
     * Any thread, wait-free, allocation-free (the stage on a cache miss): asks the resolver thread to solicit
     * {@code peer}. Duplicates of a pending request are merged; when every slot is taken the request is counted
     * and dropped (the next miss asks again).
     *
     * @param peer the destination address, not 0.
     */
    public void requestSolicit(final int peer)
    {
        final int start = (peer * 0x9E3779B9) >>> 26;
        for (int n = 0; n < PENDING_SLOTS; n++)
        {
            final int i = (start + n) & (PENDING_SLOTS - 1);
            final int current = pending.get(i);
            if (current == peer)
            {
                return;
            }
            // CAS: claims the empty slot; pairs with the resolver thread's getAndSet that empties it
            if (0 == current && pending.compareAndSet(i, 0, peer))
            {
                wake();
                return;
            }
        }
        pendingOverflows.incrementAndGet();
    }

    /**
     * In-band: re-reads every cached entry from the kernel; drops non-permanent entries the kernel no longer has.
     */
    public void refresh()
    {
        synchronized (requestLock)
        {
            refreshes.incrementAndGet();
            for (final NextHop hop : routes.values())
            {
                try
                {
                    final NextHop fresh = resolveRoute(hop.dstAddress(), hop.permanent());
                    if (!fresh.equals(hop))
                    {
                        routes.put(hop.dstAddress(), fresh);
                    }
                }
                catch (final ErrnoException ex)
                {
                    if (!hop.permanent())
                    {
                        routes.remove(hop.dstAddress());
                    }
                }
            }
            for (final NeighbourEntry entry : neighbours.values())
            {
                if (isGroupMac(entry.mac()))
                {
                    // broadcast and multicast MACs are computed, not learnt: the kernel has no entry to follow
                    continue;
                }
                try
                {
                    final Neighbour kernel = requests.getNeighbour(entry.ifindex(), entry.address());
                    if (null != kernel && kernel.isValid())
                    {
                        if (kernel.mac() != entry.mac())
                        {
                            neighbours.put(entry.address(),
                                new NeighbourEntry(entry.address(), entry.ifindex(), kernel.mac(), entry.permanent()));
                        }
                    }
                    else if (entry.permanent())
                    {
                        // keep our MAC, and keep the kernel's entry alive for the in-band path too
                        requests.useNeighbour(entry.ifindex(), entry.address());
                    }
                    else if (null == kernel || 0 != (kernel.state() & RtnetlinkDescriptor.NUD_FAILED))
                    {
                        neighbours.remove(entry.address());
                    }
                }
                catch (final ErrnoException ex)
                {
                    if (!entry.permanent())
                    {
                        neighbours.remove(entry.address());
                    }
                }
            }
        }
    }

    /**
     * Starts the resolver thread: serves {@link #requestSolicit} and refreshes on kernel notifications (and at
     * least every {@code refreshIntervalMs}).
     *
     * @param refreshIntervalMs the longest time between two refreshes.
     */
    public synchronized void start(final int refreshIntervalMs)
    {
        if (null != thread)
        {
            return;
        }
        running = true;
        final Thread resolver = new Thread(() -> runResolver(refreshIntervalMs), "oobnet-udp-resolver");
        resolver.setDaemon(true);
        thread = resolver;
        resolver.start();
    }

    /**
     * @return refreshes done so far.
     */
    public long refreshCount()
    {
        return refreshes.get();
    }

    /**
     * @return requested solicitations that failed (no route, no ARP answer).
     */
    public long solicitFailures()
    {
        return solicitFailures.get();
    }

    /**
     * @return stage requests dropped because every pending slot was taken.
     */
    public long pendingOverflows()
    {
        return pendingOverflows.get();
    }

    /**
     * Stops the resolver thread and closes the sockets.
     */
    @Override
    public void close()
    {
        final Thread resolver;
        synchronized (this)
        {
            running = false;
            resolver = thread;
            thread = null;
        }
        if (null != resolver)
        {
            LockSupport.unpark(resolver);
            try
            {
                resolver.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (requestLock)
        {
            requests.close();
            notifications.close();
            LibC.close(ErrnoCapture.current(), kickFd);
            arena.close();
        }
    }

    private void wake()
    {
        final Thread resolver = thread;
        if (null != resolver)
        {
            LockSupport.unpark(resolver);
        }
    }

    private void runResolver(final int refreshIntervalMs)
    {
        long nextRefreshNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(refreshIntervalMs);
        while (running)
        {
            boolean changed = false;
            try
            {
                // short waits so that stage requests (which unpark us) are served within a few milliseconds
                changed = notifications.awaitNotification(5);
            }
            catch (final ErrnoException ex)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            servePending();
            final long nowNs = System.nanoTime();
            if (changed || nowNs - nextRefreshNs >= 0)
            {
                refresh();
                nextRefreshNs = nowNs + TimeUnit.MILLISECONDS.toNanos(refreshIntervalMs);
            }
        }
    }

    private void servePending()
    {
        for (int i = 0; i < PENDING_SLOTS; i++)
        {
            if (0 != pending.get(i))
            {
                final int peer = pending.getAndSet(i, 0);
                if (0 != peer && null == routes.lookup(peer))
                {
                    try
                    {
                        solicit(peer, false);
                    }
                    catch (final ErrnoException ex)
                    {
                        solicitFailures.incrementAndGet();
                    }
                }
                else if (0 != peer)
                {
                    // route known, neighbour missing (it aged out): resolve the MAC again
                    try
                    {
                        final NextHop hop = routes.lookup(peer);
                        if (null != hop && null == neighbours.lookup(hop.nextHop()))
                        {
                            solicit(peer, hop.permanent());
                        }
                    }
                    catch (final ErrnoException ex)
                    {
                        solicitFailures.incrementAndGet();
                    }
                }
            }
        }
    }

    private NextHop resolveRoute(final int peer, final boolean permanent) throws ErrnoException
    {
        final Route route = requests.getRoute(peer);
        final Link link = requests.getLink(route.ifindex());
        int source = route.srcAddress();
        if (0 == source)
        {
            throw new ErrnoException("RTM_GETROUTE", Errno.EADDRNOTAVAIL, "no source address for " + route);
        }
        return new NextHop(peer, route.type(), route.ifindex(), route.nextHop(), source, link.mac(), link.mtu(),
            permanent);
    }

    private long resolveMac(final NextHop hop, final boolean trigger, final long timeoutNs) throws ErrnoException
    {
        final int address = hop.nextHop();
        if (RTN_BROADCAST == hop.routeType() || -1 == address)
        {
            return EthernetHeaderFlyweight.BROADCAST;
        }
        if (RTN_MULTICAST == hop.routeType() || (address >>> 28) == 0xE)
        {
            return Ipv4Flyweight.groupMac(address);
        }
        Neighbour neighbour = requests.getNeighbour(hop.ifindex(), address);
        if (null != neighbour && neighbour.isValid())
        {
            return neighbour.mac();
        }
        if (!trigger)
        {
            throw new ErrnoException("solicit", Errno.EHOSTUNREACH, "no neighbour for " + hop);
        }
        final int used = requests.useNeighbour(hop.ifindex(), address);
        if (used < 0)
        {
            // without CAP_NET_ADMIN: an empty datagram to the discard port makes the kernel resolve the next hop
            kick(hop.dstAddress());
        }
        final long deadlineNs = System.nanoTime() + timeoutNs;
        long backoffNs = TimeUnit.MICROSECONDS.toNanos(100);
        while (true)
        {
            neighbour = requests.getNeighbour(hop.ifindex(), address);
            if (null != neighbour && neighbour.isValid())
            {
                return neighbour.mac();
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new ErrnoException("solicit", Errno.EHOSTUNREACH,
                    "no ARP answer for " + Ipv4Flyweight.formatAddress(address) + " ifindex=" + hop.ifindex() +
                    " within timeoutMs=" + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " last=" + neighbour);
            }
            LockSupport.parkNanos(backoffNs);
            backoffNs = Math.min(backoffNs * 2, TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static boolean isGroupMac(final long mac)
    {
        // the group bit: the least significant bit of the first octet
        return 0 != (mac & 0x0100_0000_0000L);
    }

    private void kick(final int peer)
    {
        kickAddress.fill((byte)0);
        kickAddress.set(ValueLayout.JAVA_SHORT, SockaddrInDescriptor.FAMILY_OFFSET, (short)SocketConstants.AF_INET);
        kickAddress.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN),
            SockaddrInDescriptor.PORT_OFFSET, (short)9);
        kickAddress.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN),
            SockaddrInDescriptor.ADDR_OFFSET, peer);
        LibC.sendto(ErrnoCapture.current(), kickFd, MemorySegment.NULL, 0, SocketConstants.MSG_DONTWAIT, kickAddress,
            SockaddrInDescriptor.LENGTH);
    }
}
