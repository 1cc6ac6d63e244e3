package org.oobnet.udp.demux;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.oobnet.inband.Errno;

/**
 * Receive slots of UDP sockets keyed by (local address, port), as EVL's UDP: a datagram goes to the exact
 * (destination address, port) binding first, then to the wildcard (0.0.0.0, port) binding. Several sockets may
 * share one binding when all of them asked for {@code SO_REUSEPORT}; a unicast datagram then goes to one of them
 * chosen by a hash of its source (so a flow sticks to one socket, as the kernel does), while broadcast and
 * multicast go to every member ({@link #forEachMember}).
 * <p>
 * The table is copy-on-write: in-band {@link #bind}/{@link #unbind} build a new immutable snapshot and publish
 * it with one volatile store; the stage reads it without locks or allocation.
 * <p>
 * <b>Note:</b> lookups from any thread (the stage); bind and unbind in-band, serialised on this object.
 *
 * @param <T> the member type (a socket's receive context).
 */
public final class DemuxTable<T>
{
    /** The wildcard local address, {@code INADDR_ANY}. */
    public static final int ANY_ADDRESS = 0;

    // volatile: readers see fully built snapshots; pairs with the store in publish()
    private volatile Snapshot snapshot = new Snapshot(new long[0], new Object[0][], new boolean[0]);

    /**
     * Visits the members a datagram goes to; implemented by the stage's receive path (no lambdas there).
     *
     * @param <T> the member type.
     */
    @FunctionalInterface
    public interface MemberVisitor<T>
    {
        /**
         * @param member a member of a matching binding.
         */
        void visit(T member);
    }

    /**
     * In-band: binds a member to (address, port).
     *
     * @param address   the local address, {@link #ANY_ADDRESS} for the wildcard.
     * @param port      the local port, 1..65535.
     * @param member    the member.
     * @param reusePort whether the member allows sharing ({@code SO_REUSEPORT}).
     * @return 0, {@code -EADDRINUSE} when the binding is taken and not shared by all, {@code -EINVAL} for a bad
     * port.
     */
    public synchronized int bind(final int address, final int port, final T member, final boolean reusePort)
    {
        if (port <= 0 || port > 0xFFFF)
        {
            return -Errno.EINVAL;
        }
        final Snapshot current = snapshot;
        final long key = key(address, port);
        final int index = current.indexOf(key);
        if (index < 0)
        {
            final long[] keys = Arrays.copyOf(current.keys, current.keys.length + 1);
            final Object[][] groups = Arrays.copyOf(current.groups, current.groups.length + 1);
            final boolean[] shared = Arrays.copyOf(current.shared, current.shared.length + 1);
            keys[keys.length - 1] = key;
            groups[groups.length - 1] = new Object[]{member};
            shared[shared.length - 1] = reusePort;
            publish(keys, groups, shared);
            return 0;
        }
        if (!reusePort || !current.shared[index])
        {
            return -Errno.EADDRINUSE;
        }
        final Object[][] groups = current.groups.clone();
        final Object[] group = Arrays.copyOf(groups[index], groups[index].length + 1);
        group[group.length - 1] = member;
        groups[index] = group;
        publish(current.keys.clone(), groups, current.shared.clone());
        return 0;
    }

    /**
     * In-band: removes a member's binding.
     *
     * @param address the local address it was bound to.
     * @param port    the local port.
     * @param member  the member.
     * @return true when it was bound.
     */
    public synchronized boolean unbind(final int address, final int port, final T member)
    {
        final Snapshot current = snapshot;
        final int index = current.indexOf(key(address, port));
        if (index < 0)
        {
            return false;
        }
        final List<Object> remaining = new ArrayList<>(Arrays.asList(current.groups[index]));
        if (!remaining.remove(member))
        {
            return false;
        }
        if (remaining.isEmpty())
        {
            final int n = current.keys.length - 1;
            final long[] keys = new long[n];
            final Object[][] groups = new Object[n][];
            final boolean[] shared = new boolean[n];
            for (int i = 0, j = 0; i <= n; i++)
            {
                if (i != index)
                {
                    keys[j] = current.keys[i];
                    groups[j] = current.groups[i];
                    shared[j] = current.shared[i];
                    j++;
                }
            }
            publish(keys, groups, shared);
        }
        else
        {
            final Object[][] groups = current.groups.clone();
            groups[index] = remaining.toArray();
            publish(current.keys.clone(), groups, current.shared.clone());
        }
        return true;
    }

    /**
     * Stage: the member a unicast datagram goes to: exact binding first, then the wildcard; within a shared
     * binding, one member picked by a hash of the source.
     *
     * @param dstAddress the datagram's destination address.
     * @param dstPort    its destination port.
     * @param srcAddress its source address.
     * @param srcPort    its source port.
     * @return the member, or null when no socket is bound (an unknown port).
     */
    @SuppressWarnings("unchecked")
    public T lookup(final int dstAddress, final int dstPort, final int srcAddress, final int srcPort)
    {
        final Snapshot snapshot = this.snapshot;
        int index = snapshot.indexOf(key(dstAddress, dstPort));
        if (index < 0)
        {
            index = snapshot.indexOf(key(ANY_ADDRESS, dstPort));
            if (index < 0)
            {
                return null;
            }
        }
        final Object[] group = snapshot.groups[index];
        if (1 == group.length)
        {
            return (T)group[0];
        }
        final int hash = (srcAddress * 0x9E3779B9) ^ (srcPort * 0x85EBCA6B);
        return (T)group[((hash ^ (hash >>> 16)) & 0x7FFF_FFFF) % group.length];
    }

    /**
     * Stage: visits every member of the exact and the wildcard binding of (address, port), for broadcast and
     * multicast delivery.
     *
     * @param dstAddress the datagram's destination address.
     * @param dstPort    its destination port.
     * @param visitor    called once per member.
     * @return the number of members visited.
     */
    @SuppressWarnings("unchecked")
    public int forEachMember(final int dstAddress, final int dstPort, final MemberVisitor<T> visitor)
    {
        final Snapshot snapshot = this.snapshot;
        int visited = 0;
        final int exact = ANY_ADDRESS == dstAddress ? -1 : snapshot.indexOf(key(dstAddress, dstPort));
        if (exact >= 0)
        {
            for (final Object member : snapshot.groups[exact])
            {
                visitor.visit((T)member);
                visited++;
            }
        }
        final int wildcard = snapshot.indexOf(key(ANY_ADDRESS, dstPort));
        if (wildcard >= 0)
        {
            for (final Object member : snapshot.groups[wildcard])
            {
                visitor.visit((T)member);
                visited++;
            }
        }
        return visited;
    }

    /**
     * @return the number of distinct (address, port) bindings.
     */
    public int bindingCount()
    {
        return snapshot.keys.length;
    }

    private void publish(final long[] keys, final Object[][] groups, final boolean[] shared)
    {
        snapshot = new Snapshot(keys, groups, shared);
    }

    private static long key(final int address, final int port)
    {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    // Bindings per stage are few (tens), so a linear scan of a packed long[] beats hashing here.
    private record Snapshot(long[] keys, Object[][] groups, boolean[] shared)
    {
        int indexOf(final long key)
        {
            final long[] keys = this.keys;
            for (int i = 0; i < keys.length; i++)
            {
                if (keys[i] == key)
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
