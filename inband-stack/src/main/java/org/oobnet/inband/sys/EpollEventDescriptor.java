package org.oobnet.inband.sys;

/**
 * Layout of {@code struct epoll_event}: one epoll event; packed on x86_64, so {@code data} is unaligned (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   4  events
 *     4   8  data
 *    12       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class EpollEventDescriptor
{
    /** {@code events}: event mask. */
    public static final int EVENTS_OFFSET = 0;
    /** {@code data}: user data (here: the registration key). */
    public static final int DATA_OFFSET = 4;
    /** {@code sizeof(struct epoll_event)}. */
    public static final int LENGTH = 12;


    private EpollEventDescriptor()
    {
    }
}
