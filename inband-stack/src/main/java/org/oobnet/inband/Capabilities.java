package org.oobnet.inband;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A capability set as {@code /proc/<pid>/status} shows it ({@code CapEff:\t000001fffeffffff}): one bit per
 * capability, numbered as in {@code <linux/capability.h>}. {@link #effective()} reads this process's; the one place
 * that decodes it, for the runtime, the doctor and the tests' privilege checks.
 * <p>
 * <b>Note:</b> immutable, thread safe. {@link #effective()} reads a file: in-band only.
 */
public final class Capabilities
{
    /** Configure interfaces, create veth pairs, move links between namespaces. */
    public static final int CAP_NET_ADMIN = 12;
    /** Open {@code AF_PACKET} and raw sockets. */
    public static final int CAP_NET_RAW = 13;
    /** Create network namespaces ({@code unshare(CLONE_NEWNET)}, mounts under /run/netns). */
    public static final int CAP_SYS_ADMIN = 21;
    /** Raise a thread's priority (out of {@code SCHED_IDLE}, to a lower nice value): {@code ThreadPriority}. */
    public static final int CAP_SYS_NICE = 23;
    /** Where {@link #effective()} reads. */
    public static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");

    private static final String CAP_EFF = "CapEff:";

    private final long bits;

    private Capabilities(final long bits)
    {
        this.bits = bits;
    }

    /**
     * In-band: this process's effective set.
     *
     * @return the set.
     * @throws UncheckedIOException     when {@code /proc/self/status} cannot be read.
     * @throws IllegalArgumentException when it has no valid {@code CapEff} line.
     */
    public static Capabilities effective()
    {
        try
        {
            return fromStatus(Files.readAllLines(PROC_SELF_STATUS));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + PROC_SELF_STATUS + ": " + ex, ex);
        }
    }

    /**
     * The effective set of a status file's lines.
     *
     * @param statusLines the lines of a {@code /proc/<pid>/status}.
     * @return the set of its {@code CapEff} line.
     * @throws IllegalArgumentException when there is no {@code CapEff} line or its mask is not hexadecimal.
     */
    public static Capabilities fromStatus(final List<String> statusLines)
    {
        for (final String line : statusLines)
        {
            if (line.startsWith(CAP_EFF))
            {
                return decode(line.substring(CAP_EFF.length()));
            }
        }
        throw new IllegalArgumentException("no CapEff line in the process status");
    }

    /**
     * Decodes the hexadecimal mask of a {@code CapEff}/{@code CapPrm} line.
     *
     * @param hex such as {@code 000001fffeffffff} (surrounding blanks ignored).
     * @return the set.
     * @throws IllegalArgumentException when the text is not 1 to 16 hexadecimal digits.
     */
    public static Capabilities decode(final String hex)
    {
        final String digits = hex.strip();
        if (digits.isEmpty() || digits.length() > 16 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0))
        {
            throw new IllegalArgumentException("capability mask=\"" + digits + "\" is not 1 to 16 hex digits");
        }
        return new Capabilities(Long.parseUnsignedLong(digits, 16));
    }

    /**
     * The name of a capability.
     *
     * @param capability its number.
     * @return {@code CAP_NET_ADMIN}, {@code CAP_NET_RAW}, {@code CAP_SYS_ADMIN}, {@code CAP_SYS_NICE}, or {@code CAP_<n>} for others.
     */
    public static String name(final int capability)
    {
        return switch (capability)
        {
            case CAP_NET_ADMIN -> "CAP_NET_ADMIN";
            case CAP_NET_RAW -> "CAP_NET_RAW";
            case CAP_SYS_ADMIN -> "CAP_SYS_ADMIN";
            case CAP_SYS_NICE -> "CAP_SYS_NICE";
            default -> "CAP_" + capability;
        };
    }

    /**
     * @param capability its number, such as {@link #CAP_NET_RAW}.
     * @return true when held.
     */
    public boolean has(final int capability)
    {
        return capability >= 0 && capability < 64 && (bits & (1L << capability)) != 0;
    }

    /** @return the mask, bit n meaning capability n. */
    public long bits()
    {
        return bits;
    }

    /** @return the mask as {@code /proc} prints it, 16 hex digits. */
    @Override
    public String toString()
    {
        return String.format("%016x", bits);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof final Capabilities that && that.bits == bits;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(bits);
    }
}
