package org.oobnet.udp;

import java.util.Arrays;

import org.oobnet.inband.Errno;

/**
 * One socket's multicast memberships as the stage filters by them: (group, interface) entries, each in
 * {@code INCLUDE} mode with its sources ({@code IP_ADD_SOURCE_MEMBERSHIP}) or {@code EXCLUDE} mode with its
 * blocked sources ({@code IP_ADD_MEMBERSHIP}, then {@code IP_BLOCK_SOURCE}), as RFC 3678 and Linux's
 * {@code ip_mc_sf_allow} define them. A socket receives a group's datagram only when it has the group's entry on
 * the interface the datagram came in by, and the entry allows its source ({@code IP_MULTICAST_ALL} off: joins of
 * other sockets do not leak in).
 * <p>
 * Immutable: each change in-band makes a new filter, published to the stage with one volatile store (a few
 * dozen entries, changed rarely); the stage reads it without locks or allocation.
 * <p>
 * <b>Note:</b> thread safe.
 */
final class GroupFilter
{
    /** No membership. */
    static final GroupFilter EMPTY = new GroupFilter(new int[0], new int[0], new boolean[0], new int[0][]);

    private final int[] groups;
    private final int[] ifindexes;
    private final boolean[] include;
    private final int[][] sources;

    private GroupFilter(final int[] groups, final int[] ifindexes, final boolean[] include, final int[][] sources)
    {
        this.groups = groups;
        this.ifindexes = ifindexes;
        this.include = include;
        this.sources = sources;
    }

    /**
     * Stage: whether a datagram to {@code group} from {@code source} that came in on {@code ifindex} passes.
     *
     * @param group   the destination group.
     * @param source  the source address.
     * @param ifindex the receiving interface.
     * @return true when a membership allows it.
     */
    boolean accepts(final int group, final int source, final int ifindex)
    {
        final int[] groups = this.groups;
        for (int i = 0; i < groups.length; i++)
        {
            if (groups[i] == group && ifindexes[i] == ifindex)
            {
                return include[i] == contains(sources[i], source);
            }
        }
        return false;
    }

    /**
     * @return the number of (group, interface) memberships.
     */
    int memberships()
    {
        return groups.length;
    }

    /**
     * @param group   a group.
     * @param ifindex an interface.
     * @return whether the socket has a membership of {@code group} on {@code ifindex}.
     */
    boolean has(final int group, final int ifindex)
    {
        return indexOf(group, ifindex) >= 0;
    }

    /**
     * In-band: {@code IP_ADD_MEMBERSHIP}: any source ({@code EXCLUDE} nothing).
     *
     * @return the new filter, or null when the membership exists ({@code EADDRINUSE}).
     */
    GroupFilter join(final int group, final int ifindex)
    {
        return indexOf(group, ifindex) >= 0 ? null : append(group, ifindex, false, new int[0]);
    }

    /**
     * In-band: {@code IP_DROP_MEMBERSHIP}: the membership goes, whatever its mode.
     *
     * @return the new filter, or null when there was none ({@code EADDRNOTAVAIL}).
     */
    GroupFilter leave(final int group, final int ifindex)
    {
        final int i = indexOf(group, ifindex);
        return i < 0 ? null : remove(i);
    }

    /**
     * In-band: a source change: {@code IP_ADD_SOURCE_MEMBERSHIP} ({@code include}, {@code add}),
     * {@code IP_DROP_SOURCE_MEMBERSHIP} ({@code include}, not {@code add}), {@code IP_BLOCK_SOURCE} (not
     * {@code include}, {@code add}), {@code IP_UNBLOCK_SOURCE} (neither). Adding a source to a group not joined
     * yet joins it in {@code INCLUDE} mode; dropping the last included source leaves the group (as Linux does).
     *
     * @param errno where the errno goes when refused.
     * @return the new filter; null with {@code errno[0]} set when the kernel's rules refuse it.
     */
    GroupFilter changeSource(
        final int group, final int ifindex, final int source, final boolean include, final boolean add, final int[] errno)
    {
        final int i = indexOf(group, ifindex);
        if (i < 0)
        {
            if (include && add)
            {
                return append(group, ifindex, true, new int[]{source});
            }
            errno[0] = include ? Errno.EADDRNOTAVAIL : Errno.EINVAL;
            return null;
        }
        if (this.include[i] != include)
        {
            errno[0] = Errno.EINVAL;
            return null;
        }
        final int[] current = sources[i];
        if (add)
        {
            if (contains(current, source))
            {
                errno[0] = Errno.EADDRNOTAVAIL;
                return null;
            }
            final int[] more = Arrays.copyOf(current, current.length + 1);
            more[current.length] = source;
            return with(i, more);
        }
        int at = -1;
        for (int s = 0; s < current.length; s++)
        {
            if (current[s] == source)
            {
                at = s;
            }
        }
        if (at < 0)
        {
            errno[0] = Errno.EADDRNOTAVAIL;
            return null;
        }
        if (include && 1 == current.length)
        {
            return remove(i);
        }
        final int[] fewer = new int[current.length - 1];
        System.arraycopy(current, 0, fewer, 0, at);
        System.arraycopy(current, at + 1, fewer, at, current.length - at - 1);
        return with(i, fewer);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("GroupFilter{");
        for (int i = 0; i < groups.length; i++)
        {
            text.append(i > 0 ? ", " : "").append(org.oobnet.udp.frame.Ipv4Flyweight.formatAddress(groups[i]))
                .append("%").append(ifindexes[i]).append(include[i] ? " include" : " exclude").append("[");
            for (int s = 0; s < sources[i].length; s++)
            {
                text.append(s > 0 ? " " : "").append(org.oobnet.udp.frame.Ipv4Flyweight.formatAddress(sources[i][s]));
            }
            text.append("]");
        }
        return text.append("}").toString();
    }

    private static boolean contains(final int[] addresses, final int address)
    {
        for (final int candidate : addresses)
        {
            if (candidate == address)
            {
                return true;
            }
        }
        return false;
    }

    private int indexOf(final int group, final int ifindex)
    {
        for (int i = 0; i < groups.length; i++)
        {
            if (groups[i] == group && ifindexes[i] == ifindex)
            {
                return i;
            }
        }
        return -1;
    }

    private GroupFilter append(final int group, final int ifindex, final boolean mode, final int[] list)
    {
        final int n = groups.length;
        final int[] newGroups = Arrays.copyOf(groups, n + 1);
        final int[] newIfindexes = Arrays.copyOf(ifindexes, n + 1);
        final boolean[] newInclude = Arrays.copyOf(include, n + 1);
        final int[][] newSources = Arrays.copyOf(sources, n + 1);
        newGroups[n] = group;
        newIfindexes[n] = ifindex;
        newInclude[n] = mode;
        newSources[n] = list;
        return new GroupFilter(newGroups, newIfindexes, newInclude, newSources);
    }

    private GroupFilter with(final int i, final int[] list)
    {
        final int[][] newSources = sources.clone();
        newSources[i] = list;
        return new GroupFilter(groups, ifindexes, include, newSources);
    }

    private GroupFilter remove(final int i)
    {
        final int n = groups.length - 1;
        final int[] newGroups = new int[n];
        final int[] newIfindexes = new int[n];
        final boolean[] newInclude = new boolean[n];
        final int[][] newSources = new int[n][];
        for (int from = 0, to = 0; from <= n; from++)
        {
            if (from != i)
            {
                newGroups[to] = groups[from];
                newIfindexes[to] = ifindexes[from];
                newInclude[to] = include[from];
                newSources[to] = sources[from];
                to++;
            }
        }
        return new GroupFilter(newGroups, newIfindexes, newInclude, newSources);
    }
}
