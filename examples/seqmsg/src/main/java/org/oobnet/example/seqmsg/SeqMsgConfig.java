package org.oobnet.example.seqmsg;

import java.util.ArrayList;
import java.util.List;

import org.oobnet.packet.ring.RingGeometry;

/**
 * What a seqmsg protocol instance needs: history size, largest message, timers, ring geometry, a loss hook.
 * Validated once, every problem reported together.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param historyCapacity     messages each sender keeps for retransmission, a power of two.
 * @param maxPayloadBytes     largest message.
 * @param heartbeatIntervalNs a sender that sent nothing for this long sends a heartbeat.
 * @param nakRetryNs          a NAK not answered within this is sent again.
 * @param rxGeometry          the packet socket's RX ring.
 * @param txGeometry          the packet socket's TX ring.
 * @param lossHook            drops original messages at the sender (tests); {@link SeqMsgLossHook#NONE}.
 */
public record SeqMsgConfig(
    int historyCapacity,
    int maxPayloadBytes,
    long heartbeatIntervalNs,
    long nakRetryNs,
    RingGeometry rxGeometry,
    RingGeometry txGeometry,
    SeqMsgLossHook lossHook)
{
    /** Longest payload a 1500-byte MTU carries: 1514 - 14 (Ethernet) - 24 (seqmsg). */
    public static final int MAX_PAYLOAD_BYTES = 1514 - 14 - SeqMsgHeaderFlyweight.HEADER_LENGTH;

    /**
     * Validates.
     */
    public SeqMsgConfig
    {
        final List<String> problems = new ArrayList<>();
        if (historyCapacity < 1 || Integer.bitCount(historyCapacity) != 1)
        {
            problems.add("historyCapacity=" + historyCapacity + " must be a power of two");
        }
        if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_BYTES)
        {
            problems.add("maxPayloadBytes=" + maxPayloadBytes + " must be 1.." + MAX_PAYLOAD_BYTES);
        }
        if (heartbeatIntervalNs <= 0)
        {
            problems.add("heartbeatIntervalNs=" + heartbeatIntervalNs + " must be > 0");
        }
        if (nakRetryNs <= 0)
        {
            problems.add("nakRetryNs=" + nakRetryNs + " must be > 0");
        }
        if (null == rxGeometry || null == txGeometry)
        {
            problems.add("rxGeometry and txGeometry must be given");
        }
        else if (txGeometry.maxTxFrameBytes() < 14 + SeqMsgHeaderFlyweight.HEADER_LENGTH + maxPayloadBytes)
        {
            problems.add("txGeometry=" + txGeometry + " frames too small for maxPayloadBytes=" + maxPayloadBytes);
        }
        if (null == lossHook)
        {
            problems.add("lossHook=null must be a hook (SeqMsgLossHook.NONE)");
        }
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException("invalid seqmsg config: " + String.join("; ", problems));
        }
    }

    /**
     * History of 1024 messages, 1024-byte messages, heartbeat every 1 ms, NAK retry after 2 ms, rings of 256
     * frames of 2048 bytes, no loss.
     *
     * @return the defaults.
     */
    public static SeqMsgConfig defaults()
    {
        return new SeqMsgConfig(1024, 1024, 1_000_000L, 2_000_000L,
            RingGeometry.of(2048, 256, 4096, 4096), RingGeometry.of(2048, 256, 4096, 4096), SeqMsgLossHook.NONE);
    }

    /**
     * @param capacity the history capacity.
     * @return a copy with it.
     */
    public SeqMsgConfig withHistoryCapacity(final int capacity)
    {
        return new SeqMsgConfig(capacity, maxPayloadBytes, heartbeatIntervalNs, nakRetryNs, rxGeometry, txGeometry,
            lossHook);
    }

    /**
     * @param hook the loss hook.
     * @return a copy with it.
     */
    public SeqMsgConfig withLossHook(final SeqMsgLossHook hook)
    {
        return new SeqMsgConfig(historyCapacity, maxPayloadBytes, heartbeatIntervalNs, nakRetryNs, rxGeometry,
            txGeometry, hook);
    }
}
