package org.oobnet.config;

import static org.oobnet.config.Configuration.*;

/**
 * Limits of oob-udp's IPv4 reassembly on the stage (packet transport), per interface: the memory is
 * {@code slots x maxDatagramBytes}, allocated when the interface's port opens and never grown.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param slots            datagrams reassembled at once ({@code udp.reassembly_slots}); 0 drops every fragment.
 * @param maxDatagramBytes largest IPv4 datagram, header included ({@code udp.reassembly_slot_bytes}).
 * @param maxFragments     most fragments of one datagram ({@code udp.reassembly_max_fragments}).
 * @param timeoutNs        how long fragments wait for the rest ({@code udp.reassembly_timeout}).
 */
public record ReassemblyConfig(int slots, int maxDatagramBytes, int maxFragments, long timeoutNs)
{
    /** Every limit at its default. */
    public static final ReassemblyConfig DEFAULTS = new ReassemblyConfig(UDP_REASSEMBLY_SLOTS_DEFAULT,
        UDP_REASSEMBLY_SLOT_BYTES_DEFAULT, UDP_REASSEMBLY_MAX_FRAGMENTS_DEFAULT,
        UDP_REASSEMBLY_TIMEOUT_DEFAULT_NS);

    /**
     * Checks the limits against the keys' ranges, naming every key out of range.
     *
     * @param slots            0..4096.
     * @param maxDatagramBytes 576..65535.
     * @param maxFragments     2..8192.
     * @param timeoutNs        1 ms .. 30 s.
     */
    public ReassemblyConfig
    {
        final StringBuilder problems = new StringBuilder();
        check(problems, UDP_REASSEMBLY_SLOTS, slots, 0, UDP_REASSEMBLY_SLOTS_MAX);
        check(problems, UDP_REASSEMBLY_SLOT_BYTES, maxDatagramBytes, UDP_REASSEMBLY_SLOT_BYTES_MIN,
            UDP_REASSEMBLY_SLOT_BYTES_MAX);
        check(problems, UDP_REASSEMBLY_MAX_FRAGMENTS, maxFragments, UDP_REASSEMBLY_MAX_FRAGMENTS_MIN,
            UDP_REASSEMBLY_MAX_FRAGMENTS_MAX);
        check(problems, UDP_REASSEMBLY_TIMEOUT + "Ns", timeoutNs, UDP_REASSEMBLY_TIMEOUT_MIN_NS,
            UDP_REASSEMBLY_TIMEOUT_MAX_NS);
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException("invalid ReassemblyConfig:" + problems);
        }
    }

    /**
     * @return whether fragments are reassembled at all.
     */
    public boolean enabled()
    {
        return slots > 0;
    }

    /**
     * @return the bytes reassembly holds per interface at most (its datagram buffers).
     */
    public long memoryBytes()
    {
        return (long)slots * maxDatagramBytes;
    }

    private static void check(
        final StringBuilder problems, final String key, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            problems.append(' ').append(key).append('=').append(value).append(" must be ").append(min).append("..")
                .append(max).append(';');
        }
    }
}
