package org.oobnet.udp.frame;

/**
 * Why a received frame was dropped; one counter each ({@link UdpDropCounters}). {@link #NONE} means accepted.
 * <p>
 * Fragments are dropped and counted, not reassembled: the OOB path carries datagrams that fit one frame (a
 * larger send gets {@code EMSGSIZE}), and bounded reassembly would only serve peers that ignore the MTU.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 */
public enum DropReason
{
    /** Accepted: not a drop. */
    NONE("none"),
    /** Shorter than the link header plus a minimal IPv4 header. */
    RUNT("runt"),
    /** EtherType is not IPv4 (after a VLAN tag if any): not ours. */
    NOT_IPV4("not-ipv4"),
    /** IP version is not 4. */
    BAD_IP_VERSION("bad-ip-version"),
    /** IHL below 5, or a header longer than the frame. */
    BAD_IHL("bad-ihl"),
    /** IPv4 header checksum does not verify. */
    BAD_IP_CHECKSUM("bad-ip-checksum"),
    /** IPv4 total length smaller than the IPv4 header. */
    TOTAL_LENGTH_MISMATCH("total-length-mismatch"),
    /** The frame holds fewer bytes than the IPv4 total length says, or no whole UDP header. */
    TRUNCATED("truncated"),
    /** A fragment (more-fragments flag or a non-zero offset): dropped, not reassembled. */
    FRAGMENT("fragment"),
    /** IPv4 protocol is not UDP. */
    NOT_UDP("not-udp"),
    /** UDP length below 8 or beyond the IPv4 payload. */
    BAD_UDP_LENGTH("bad-udp-length"),
    /** UDP checksum present and wrong. */
    BAD_UDP_CHECKSUM("bad-udp-checksum"),
    /** Valid datagram, but no socket is bound to its (address, port). */
    UNKNOWN_PORT("unknown-port"),
    /** Valid datagram for a socket whose receive path is full. */
    RECEIVE_FULL("receive-full"),
    /** A group datagram to a bound port whose sockets did not join its (group, source) on that interface. */
    NOT_JOINED("not-joined");

    private static final DropReason[] VALUES = values();

    private final String label;

    DropReason(final String label)
    {
        this.label = label;
    }

    /**
     * @return the counter label, e.g. {@code bad-ip-checksum}.
     */
    public String label()
    {
        return label;
    }

    /**
     * By ordinal, without allocating.
     *
     * @param ordinal the ordinal.
     * @return the reason.
     */
    public static DropReason get(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return how many reasons there are, {@link #NONE} included.
     */
    public static int count()
    {
        return VALUES.length;
    }
}
