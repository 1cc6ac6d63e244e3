package org.oobnet.moldudp64;

/**
 * Session-wide outcome of a {@link MoldUdp64Receiver}: its books balance as
 * {@code delivered + lost = nextSequence - firstSequence} over a session.
 * <p>
 * <b>Note:</b> not thread safe; written by the receiving thread.
 */
public final class MoldUdp64FeedCounters
{
    long delivered;
    long requests;
    long requestRetries;
    long requestedMessages;
    long rerequestedMessages;
    long requestsUnsent;
    long lost;
    long lostRanges;
    long sessionChanges;
    long endsOfSession;

    /** @return messages delivered, in order, once each. */
    public long delivered()
    {
        return delivered;
    }

    /** @return requests sent to the request server. */
    public long requests()
    {
        return requests;
    }

    /** @return re-requests: requests that asked again for a range whose last request got no answer before its
     *          timeout (the request or its answer was lost, or is late). Asking for the rest of a range whose answer
     *          the server capped is not one. */
    public long requestRetries()
    {
        return requestRetries;
    }

    /** @return messages asked for, over every request sent. */
    public long requestedMessages()
    {
        return requestedMessages;
    }

    /** @return messages asked for in re-requests ({@link #requestRetries()}). */
    public long rerequestedMessages()
    {
        return rerequestedMessages;
    }

    /** @return requests the sender could not send (tried again at the next timeout). */
    public long requestsUnsent()
    {
        return requestsUnsent;
    }

    /** @return messages given up and reported lost. */
    public long lost()
    {
        return lost;
    }

    /** @return ranges reported lost. */
    public long lostRanges()
    {
        return lostRanges;
    }

    /** @return sessions taken up after the first. */
    public long sessionChanges()
    {
        return sessionChanges;
    }

    /** @return ends of session reported. */
    public long endsOfSession()
    {
        return endsOfSession;
    }
}
