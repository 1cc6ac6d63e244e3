package org.oobnet.core.counters;

/**
 * A counter type a protocol defines for its sockets: a type id in the protocols' range and a label, as
 * {@link OobCounterType} is for oob-core's own. A protocol lists them in one enum that implements this interface
 * (see oob-packet's {@code PacketCounter}) and allocates them per socket with
 * {@link org.oobnet.core.OobSocket#newProtocolCounters}.
 * <p>
 * <b>Note:</b> implementations must be immutable.
 */
public interface ProtocolCounterType
{
    /**
     * The type id in the counters file: at least {@link OobCounterType#FIRST_PROTOCOL_TYPE_ID}, unique among the
     * protocols of one runtime (oob-packet uses 1000..1099; pick another hundred).
     *
     * @return the type id.
     */
    int typeId();

    /**
     * A short lower-case label; the counters file shows it as {@code "<label>: <protocol> fd=<fd> id=<id>"}.
     *
     * @return the label.
     */
    String label();
}
