package org.oobnet.udp.frame;

/**
 * Why a received frame was dropped; one counter each ({@link UdpDropCounters}). {@link #NONE} means accepted.
 * <p>
 * Fragments are reassembled on the stage ({@code org.oobnet.udp.frag.Ipv4Reassembler}); the {@code frag-*}
 * reasons say why a fragment or its whole datagram was dropped. A fragment held for reassembly is not a drop.
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
    /** A fragment not reassembled: reassembly is off ({@code udp.reassembly_slots = 0}) or it is not UDP. */
    FRAGMENT("fragment"),
    /** A datagram whose fragments did not all arrive within {@code udp.reassembly_timeout}; one per datagram. */
    FRAG_TIMEOUT("frag-timeout"),
    /** A fragment overlapping one held (not an exact duplicate): its datagram dropped whole (RFC 5722). */
    FRAG_OVERLAP("frag-overlap"),
    /** A fragment identical in place and length to one held: this copy dropped, the datagram kept. */
    FRAG_DUPLICATE("frag-duplicate"),
    /**
     * A fragment with a bad offset or length (empty, a non-last one not a multiple of 8 bytes, one past the last
     * fragment's end, two last fragments that disagree): its datagram dropped whole.
     */
    FRAG_BAD_OFFSET("frag-bad-offset"),
    /** A fragment ending past 65535 bytes or past {@code udp.reassembly_slot_bytes}: its datagram dropped whole. */
    FRAG_TOO_BIG("frag-too-big"),
    /** One fragment more than {@code udp.reassembly_max_fragments}: its datagram dropped whole. */
    FRAG_TOO_MANY("frag-too-many"),
    /** A fragment of a new datagram while every reassembly slot is taken: the fragment dropped. */
    FRAG_NO_SLOT("frag-no-slot"),
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
    NOT_JOINED("not-joined"),
    /**
     * Valid datagram for a socket this port's stage does not serve at that moment: refused with {@code EXDEV} (the
     * socket is another stage's) or {@code EWOULDBLOCK} (it is moving between stages: {@code SO_OOB_STAGE}).
     * Not a full receive path, so not {@link #RECEIVE_FULL}.
     */
    NOT_ON_STAGE("not-on-stage");

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
