package org.oobnet.moldudp64;

/**
 * What one line (a downstream line, or the retransmission channel) brought to a {@link MoldUdp64Receiver}.
 * Every message a line carried in an accepted packet is exactly one of: a win (delivered from this line's copy),
 * a duplicate (already delivered or lost), ahead (past a gap: discarded, to come again from another line or the
 * request server), or in a packet the line has parked past a gap right now. {@code filled} counts the wins that filled a gap.
 * <p>
 * <b>Note:</b> not thread safe; written by the receiving thread.
 */
public final class MoldUdp64LineCounters
{
    long packets;
    long messages;
    long wins;
    long duplicates;
    long ahead;
    long parked;
    long filled;
    long gaps;
    long heartbeats;
    long staleSession;
    long requests;
    long rerequests;
    long lost;
    final MoldUdp64DropCounters drops = new MoldUdp64DropCounters();

    /** @return accepted packets (heartbeats and ends of session included). */
    public long packets()
    {
        return packets;
    }

    /** @return messages in accepted packets. */
    public long messages()
    {
        return messages;
    }

    /** @return messages delivered from this line's copy (first copy wins). */
    public long wins()
    {
        return wins;
    }

    /** @return messages whose copy came after the message was delivered or reported lost. */
    public long duplicates()
    {
        return duplicates;
    }

    /** @return messages discarded because they came past a gap. */
    public long ahead()
    {
        return ahead;
    }

    /** @return packets parked past a gap (re-offered when it closed). */
    public long parked()
    {
        return parked;
    }

    /** @return wins that filled a gap another packet had already shown (for a downstream line: filled from
     *          another line; for the retransmission channel: recovered by the request server). */
    public long filled()
    {
        return filled;
    }

    /** @return times this line skipped sequence numbers on its own (its own losses). */
    public long gaps()
    {
        return gaps;
    }

    /** @return heartbeats accepted. */
    public long heartbeats()
    {
        return heartbeats;
    }

    /** @return packets of a session the receiver already left, dropped. */
    public long staleSession()
    {
        return staleSession;
    }

    /** @return retransmission requests sent for gaps this line revealed (its packet came past the highest
     *          sequence seen: the messages before it were missing from every line). */
    public long requests()
    {
        return requests;
    }

    /** @return re-requests (a range asked again after its request timed out) for gaps this line revealed; over the
     *          lines, they add up to the feed's {@code requestRetries}, as {@link #requests()} do. */
    public long rerequests()
    {
        return rerequests;
    }

    /** @return messages reported lost in gaps this line revealed. Over the lines, these add up to the feed's
     *          {@code lost} (and {@code requests}), unless an answer of the request server revealed a gap (it
     *          sent more than it was asked): that counts on the retransmission channel. */
    public long lost()
    {
        return lost;
    }

    /** @return malformed packets by reason (the {@code NONE} slot counts accepted ones). */
    public MoldUdp64DropCounters drops()
    {
        return drops;
    }
}
