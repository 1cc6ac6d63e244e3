package org.oobnet.harness.latency.cli;

/**
 * One row of a comparison: a UDP transport, with or without the low-latency JVM profile.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param label     the row's name, e.g. {@code udp-inband} or {@code udp-inband-noprofile}.
 * @param transport the transport's name.
 * @param profile   whether the child JVMs get the low-latency profile.
 */
public record RowSpec(String label, String transport, boolean profile)
{
    /**
     * @param transport the transport's name.
     * @param profile   whether the profile is on.
     * @return the row with its conventional label.
     */
    public static RowSpec of(final String transport, final boolean profile)
    {
        return new RowSpec("udp-" + transport + (profile ? "" : "-noprofile"), transport, profile);
    }
}
