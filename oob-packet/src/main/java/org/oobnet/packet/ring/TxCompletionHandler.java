package org.oobnet.packet.ring;

/**
 * Takes the TX ring's completed frames, in ring order ({@link TxRing#reapCompletions()}): a frame is complete once
 * the kernel gave it back (its {@code tp_status} no longer has {@code SEND_REQUEST} or {@code SENDING}).
 * <p>
 * <b>Note:</b> called on the stage; must not allocate or block.
 */
@FunctionalInterface
public interface TxCompletionHandler
{
    /**
     * A frame the kernel finished with.
     *
     * @param frame       the frame's index in the ring (what {@link TxRing#lastCommitted()} said after its commit).
     * @param status      its final {@code tp_status}: {@code AVAILABLE}, {@code WRONG_FORMAT} (skipped), with
     *                    {@code TP_STATUS_TS_SOFTWARE} or {@code TP_STATUS_TS_RAW_HARDWARE} when the kernel wrote a
     *                    transmit timestamp.
     * @param timestampNs that timestamp ({@code tp_sec/tp_nsec}, ns since the epoch), 0 when the status has none.
     */
    void onTxComplete(int frame, int status, long timestampNs);
}
