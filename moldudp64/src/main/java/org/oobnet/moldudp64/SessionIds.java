package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static org.oobnet.moldudp64.MoldUdp64Descriptor.SESSION_LENGTH;

/**
 * The session a {@link MoldUdp64Receiver} follows and the one it left last, so that a late copy of the old
 * session's packets is told from a new session.
 * <p>
 * <b>Note:</b> not thread safe; the receiver's thread only. Allocation-free after construction.
 */
final class SessionIds
{
    private final UnsafeBuffer current = new UnsafeBuffer(new byte[SESSION_LENGTH]);
    private final UnsafeBuffer retired = new UnsafeBuffer(new byte[SESSION_LENGTH]);
    private boolean currentKnown;
    private boolean retiredKnown;

    /**
     * Whether a session was taken up.
     *
     * @return true after the first {@link #take}.
     */
    boolean isKnown()
    {
        return currentKnown;
    }

    /**
     * Whether the header carries the session followed.
     *
     * @param header a parsed packet's header.
     * @return true when a session was taken up and it is the header's.
     */
    boolean isCurrent(final MoldUdp64HeaderFlyweight header)
    {
        return currentKnown && header.sessionEquals(current, 0);
    }

    /**
     * Whether the header carries the session left last.
     *
     * @param header a parsed packet's header.
     * @return true when a session was left and it is the header's.
     */
    boolean isRetired(final MoldUdp64HeaderFlyweight header)
    {
        return retiredKnown && header.sessionEquals(retired, 0);
    }

    /**
     * Follows the header's session; the one followed until now, if any, becomes the retired one.
     *
     * @param header a parsed packet's header.
     */
    void take(final MoldUdp64HeaderFlyweight header)
    {
        if (currentKnown)
        {
            retired.putBytes(0, current, 0, SESSION_LENGTH);
            retiredKnown = true;
        }
        header.getSession(current, 0);
        currentKnown = true;
    }

    /**
     * The session followed, {@link MoldUdp64Descriptor#SESSION_LENGTH} bytes at 0; its content changes on
     * {@link #take}.
     *
     * @return the buffer holding it.
     */
    DirectBuffer current()
    {
        return current;
    }
}
