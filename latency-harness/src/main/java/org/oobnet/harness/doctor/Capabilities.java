package org.oobnet.harness.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * A capability set as {@code /proc/<pid>/status} shows it ({@code CapEff:\t000001fffeffffff}): one bit per
 * capability, numbered as in {@code <linux/capability.h>}.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param bits the set, bit n meaning capability n.
 */
public record Capabilities(long bits)
{
    /** Configure interfaces, create veth pairs, move links between namespaces. */
    public static final int CAP_NET_ADMIN = 12;
    /** Open AF_PACKET and raw sockets. */
    public static final int CAP_NET_RAW = 13;
    /** Create network namespaces ({@code unshare(CLONE_NEWNET)}, mounts under /run/netns). */
    public static final int CAP_SYS_ADMIN = 21;

    /**
     * Decodes the hexadecimal mask of a {@code CapEff}/{@code CapPrm} line.
     *
     * @param hex such as {@code 000001fffeffffff}.
     * @return the set.
     * @throws IllegalArgumentException when the text is not a 64-bit hexadecimal mask.
     */
    public static Capabilities decode(final String hex)
    {
        final String digits = hex.strip();
        if (digits.isEmpty() || digits.length() > 16 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0))
        {
            throw new IllegalArgumentException("capability mask \"" + hex.strip() + "\" is not 1 to 16 hex digits");
        }
        return new Capabilities(Long.parseUnsignedLong(digits, 16));
    }

    /**
     * Whether the capability is in the set.
     *
     * @param capability its number, such as {@link #CAP_NET_RAW}.
     * @return true when held.
     */
    public boolean has(final int capability)
    {
        return capability >= 0 && capability < 64 && (bits & (1L << capability)) != 0;
    }

    /**
     * The capabilities of the set that oobnet cares about, by name.
     *
     * @return such as {@code [CAP_NET_ADMIN, CAP_NET_RAW]}.
     */
    public List<String> networkNames()
    {
        final List<String> names = new ArrayList<>();
        if (has(CAP_NET_ADMIN))
        {
            names.add("CAP_NET_ADMIN");
        }
        if (has(CAP_NET_RAW))
        {
            names.add("CAP_NET_RAW");
        }
        if (has(CAP_SYS_ADMIN))
        {
            names.add("CAP_SYS_ADMIN");
        }
        return names;
    }
}
