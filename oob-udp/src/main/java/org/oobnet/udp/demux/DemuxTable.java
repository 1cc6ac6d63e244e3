package org.oobnet.udp.demux;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.oobnet.inband.Errno;

/**
 * Receive slots of UDP sockets keyed by (local address, port), as EVL's UDP: a datagram goes to the exact
 * (destination address, port) binding first, then to the wildcard (0.0.0.0, port) binding. Several sockets may
 * share one binding when all of them asked for {@code SO_REUSEPORT}; a unicast datagram then goes to one of them
 * chosen by a hash of its source (so a flow sticks to one socket, as the kernel does), while broadcast and
 * multicast go to every member ({@link #forEachMember}).
 * <p>
 * An open-addressing hash table (linear probing) whose slots hold immutable {@link Binding}s: a stage may serve
 * thousands of bound sockets (one per instrument group), so a frame's lookup is O(1), and a bind or unbind in-band
 * replaces one slot (O(1)), not the whole table; a resize builds a new table and publishes it with one volatile
 * store. The stage reads without locks or allocation.
 * <p>
 * <b>Note:</b> lookups from any thread (the stage); bind and unbind in-band, serialised on this object.
 *
 * @param <T> the member type (a socket's receive context).
 */
public final class DemuxTable<T>
{
    /** The wildcard local address, {@code INADDR_ANY}. */
    public static final int ANY_ADDRESS = 0;

    private static final int INITIAL_SLOTS = 64;
    // an unbound slot that was bound: probes go on past it; replaced by the next resize
    private static final Binding TOMBSTONE = new Binding(-1L, new Object[0], false);

    // volatile: readers see a fully built table; pairs with the store in resize()
    private volatile AtomicReferenceArray<Binding> slots = new AtomicReferenceArray<>(INITIAL_SLOTS);
    // in-band, under this
    private int bindings;
    private int used; // bindings and tombstones

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
        final long key = key(address, port);
        final AtomicReferenceArray<Binding> slots = this.slots;
        final int slot = find(slots, key);
        if (slot >= 0)
        {
            final Binding current = slots.get(slot);
            if (!reusePort || !current.shared)
            {
                return -Errno.EADDRINUSE;
            }
            final Object[] members = Arrays.copyOf(current.members, current.members.length + 1);
            members[members.length - 1] = member;
            // release (volatile set): the stage sees the binding whole
            slots.set(slot, new Binding(key, members, true));
            return 0;
        }
        if ((used + 1) * 2 > slots.length())
        {
            resize(Math.max(INITIAL_SLOTS, Integer.highestOneBit(Math.max(1, bindings + 1) * 4 - 1) << 1));
        }
        final AtomicReferenceArray<Binding> table = this.slots;
        final int free = freeSlot(table, key);
        if (table.get(free) != TOMBSTONE)
        {
            used++;
        }
        table.set(free, new Binding(key, new Object[]{member}, reusePort));
        bindings++;
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
        final long key = key(address, port);
        final AtomicReferenceArray<Binding> slots = this.slots;
        final int slot = find(slots, key);
        if (slot < 0)
        {
            return false;
        }
        final Binding current = slots.get(slot);
        final Object[] members = current.members;
        int at = -1;
        for (int i = 0; i < members.length; i++)
        {
            if (members[i] == member)
            {
                at = i;
                break;
            }
        }
        if (at < 0)
        {
            return false;
        }
        if (1 == members.length)
        {
            slots.set(slot, TOMBSTONE);
            bindings--;
            return true;
        }
        final Object[] remaining = new Object[members.length - 1];
        System.arraycopy(members, 0, remaining, 0, at);
        System.arraycopy(members, at + 1, remaining, at, members.length - at - 1);
        slots.set(slot, new Binding(key, remaining, current.shared));
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
        final AtomicReferenceArray<Binding> slots = this.slots;
        Binding binding = binding(slots, key(dstAddress, dstPort));
        if (null == binding)
        {
            binding = binding(slots, key(ANY_ADDRESS, dstPort));
            if (null == binding)
            {
                return null;
            }
        }
        final Object[] group = binding.members;
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
        final AtomicReferenceArray<Binding> slots = this.slots;
        int visited = 0;
        final Binding exact = ANY_ADDRESS == dstAddress ? null : binding(slots, key(dstAddress, dstPort));
        if (null != exact)
        {
            for (final Object member : exact.members)
            {
                visitor.visit((T)member);
                visited++;
            }
        }
        final Binding wildcard = binding(slots, key(ANY_ADDRESS, dstPort));
        if (null != wildcard)
        {
            for (final Object member : wildcard.members)
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
    public synchronized int bindingCount()
    {
        return bindings;
    }

    // in-band, under this: a table of the given size with the live bindings, published whole
    private void resize(final int size)
    {
        final AtomicReferenceArray<Binding> old = this.slots;
        final AtomicReferenceArray<Binding> table = new AtomicReferenceArray<>(size);
        for (int i = 0; i < old.length(); i++)
        {
            final Binding binding = old.get(i);
            if (null != binding && TOMBSTONE != binding)
            {
                table.set(freeSlot(table, binding.key), binding);
            }
        }
        used = bindings;
        this.slots = table;
    }

    private static Binding binding(final AtomicReferenceArray<Binding> slots, final long key)
    {
        final int slot = find(slots, key);
        return slot < 0 ? null : slots.get(slot);
    }

    // the slot holding key, or -1
    private static int find(final AtomicReferenceArray<Binding> slots, final long key)
    {
        final int mask = slots.length() - 1;
        int slot = hash(key) & mask;
        Binding binding;
        while (null != (binding = slots.get(slot)))
        {
            if (binding.key == key && TOMBSTONE != binding)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    // the first empty or tombstone slot of key's probe sequence (key not bound)
    private static int freeSlot(final AtomicReferenceArray<Binding> slots, final long key)
    {
        final int mask = slots.length() - 1;
        int slot = hash(key) & mask;
        Binding binding;
        while (null != (binding = slots.get(slot)) && TOMBSTONE != binding)
        {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static long key(final int address, final int port)
    {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    private static int hash(final long key)
    {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 32));
    }

    // one (address, port) binding: immutable, replaced whole
    private record Binding(long key, Object[] members, boolean shared)
    {
    }
}
