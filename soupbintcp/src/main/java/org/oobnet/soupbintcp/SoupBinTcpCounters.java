package org.oobnet.soupbintcp;

import org.oobnet.core.OobSocket;
import org.oobnet.core.counters.ProtocolCounterType;
import org.oobnet.core.counters.ProtocolCounters;

/**
 * A session's counters, in the runtime's counters file next to its socket's ({@code oobnet stat}): packets in and
 * out, heartbeats, refused sends, and its drops by {@link SoupBinTcpDrop reason}. Written by the stage (release
 * stores), read by any thread; freed with the socket.
 */
public final class SoupBinTcpCounters
{
    /** Packets received (well formed). */
    public static final int PACKETS_IN = 0;
    /** Packets sent. */
    public static final int PACKETS_OUT = 1;
    /** Heartbeats sent. */
    public static final int HEARTBEATS_OUT = 2;
    /** Heartbeats received. */
    public static final int HEARTBEATS_IN = 3;
    /** Packets the TCP connection refused (its outbound buffer full). */
    public static final int SEND_REFUSED = 4;

    private static final ProtocolCounterType[] TYPES = types();
    private static final int FIRST_DROP = Counter.values().length;

    private final ProtocolCounters counters;

    /**
     * In-band: the counters of a session on {@code socket}; in process memory only when the counters file is full.
     */
    SoupBinTcpCounters(final OobSocket socket)
    {
        final ProtocolCounters allocated = socket.newProtocolCounters(TYPES);
        this.counters = null != allocated ? allocated : ProtocolCounters.inMemory(TYPES);
    }

    /** Stage. */
    void increment(final int index)
    {
        counters.increment(index);
    }

    /** Stage. */
    void drop(final SoupBinTcpDrop reason)
    {
        counters.increment(FIRST_DROP + reason.ordinal());
    }

    /**
     * @param index one of the constants.
     * @return its value.
     */
    public long get(final int index)
    {
        return counters.get(index);
    }

    /**
     * @param reason a drop reason.
     * @return the packets dropped for it.
     */
    public long drops(final SoupBinTcpDrop reason)
    {
        return counters.get(FIRST_DROP + reason.ordinal());
    }

    private static ProtocolCounterType[] types()
    {
        final Counter[] counters = Counter.values();
        final SoupBinTcpDrop[] drops = SoupBinTcpDrop.values();
        final ProtocolCounterType[] types = new ProtocolCounterType[counters.length + drops.length];
        System.arraycopy(counters, 0, types, 0, counters.length);
        System.arraycopy(drops, 0, types, counters.length, drops.length);
        return types;
    }

    // the session's counters other than drops, in the order of the index constants
    private enum Counter implements ProtocolCounterType
    {
        PACKETS_IN(1200, "soupbintcp packets in"),
        PACKETS_OUT(1201, "soupbintcp packets out"),
        HEARTBEATS_OUT(1202, "soupbintcp heartbeats out"),
        HEARTBEATS_IN(1203, "soupbintcp heartbeats in"),
        SEND_REFUSED(1204, "soupbintcp send refused");

        private final int typeId;
        private final String label;

        Counter(final int typeId, final String label)
        {
            this.typeId = typeId;
            this.label = label;
        }

        @Override
        public int typeId()
        {
            return typeId;
        }

        @Override
        public String label()
        {
            return label;
        }
    }
}
