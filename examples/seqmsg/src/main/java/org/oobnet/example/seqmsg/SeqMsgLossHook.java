package org.oobnet.example.seqmsg;

/**
 * A fault injector for tests: decides, on the sender's stage, that an original DATA message is lost on the way
 * (kept in the history, never put on the wire). Retransmissions are never dropped.
 * <p>
 * <b>Note:</b> stage only; must not allocate (a non-capturing lambda or a constant is fine).
 */
@FunctionalInterface
public interface SeqMsgLossHook
{
    /** Drops nothing: production use. */
    SeqMsgLossHook NONE = sequence -> false;

    /**
     * @param sequence the message's sequence number.
     * @return true to drop it.
     */
    boolean dropOnSend(long sequence);

    /**
     * Drops every {@code k}-th message.
     *
     * @param k the period, at least 2.
     * @return the hook.
     */
    static SeqMsgLossHook everyKth(final long k)
    {
        if (k < 2)
        {
            throw new IllegalArgumentException("k=" + k + " must be >= 2");
        }
        return sequence -> sequence % k == 0;
    }
}
