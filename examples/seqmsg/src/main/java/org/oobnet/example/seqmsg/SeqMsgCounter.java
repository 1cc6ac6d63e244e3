package org.oobnet.example.seqmsg;

/**
 * The counters of one seqmsg socket, on top of oob-core's per-socket counters (packets and bytes in and out,
 * drops by reason).
 * <p>
 * <b>Note:</b> immutable.
 */
public enum SeqMsgCounter
{
    /** DATA messages given a sequence number (sent or lost to the loss hook). */
    MESSAGES_SENT("messages sent"),
    /** Messages delivered in order to the socket. */
    MESSAGES_DELIVERED("messages delivered"),
    /** Heartbeats sent. */
    HEARTBEATS_SENT("heartbeats sent"),
    /** Heartbeats received. */
    HEARTBEATS_RECEIVED("heartbeats received"),
    /** Gaps found by a message beyond the next expected one. */
    GAPS_DETECTED("gaps detected"),
    /** Gaps found by a heartbeat (loss at the tail of a burst). */
    TAIL_GAPS_DETECTED("tail gaps detected"),
    /** NAKs sent (first requests and extensions). */
    NAKS_SENT("naks sent"),
    /** NAKs sent again after the retry interval. */
    NAK_RETRIES("nak retries"),
    /** NAKs received by a sender. */
    NAKS_RECEIVED("naks received"),
    /** Messages retransmitted from the history. */
    RETRANSMITS_SENT("retransmits sent"),
    /** UNAVAILABLE answers sent: the history no longer held the start of a range. */
    UNAVAILABLE_SENT("unavailable sent"),
    /** Messages received again (already delivered): dropped. */
    DUPLICATES("duplicates"),
    /** Messages received beyond a gap: dropped, asked for again. */
    OUT_OF_ORDER_DROPPED("out of order dropped"),
    /** Gaps the sender could no longer fill. */
    UNRECOVERABLE_GAPS("unrecoverable gaps"),
    /** Messages lost for good in those gaps. */
    MESSAGES_LOST("messages lost"),
    /** Messages the loss hook dropped (tests only). */
    LOSS_INJECTED("loss injected"),
    /** Messages the socket's receive ring had no room for: asked for again. */
    RECEIVE_RING_FULL("receive ring full"),
    /** Frames too short, of another version or type, or with a bad length: dropped. */
    MALFORMED("malformed"),
    /** Frames of another stream: ignored. */
    OTHER_STREAM("other stream"),
    /** Protocol frames (NAK, retransmit, heartbeat) not sent because the TX ring was full. */
    TX_RING_FULL("tx ring full");

    private final String label;

    SeqMsgCounter(final String label)
    {
        this.label = label;
    }

    /** @return a short lower-case label. */
    public String label()
    {
        return label;
    }
}
