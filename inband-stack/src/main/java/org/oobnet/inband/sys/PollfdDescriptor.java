package org.oobnet.inband.sys;

/**
 * Layout of {@code struct pollfd}: one descriptor of {@code poll} (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   4  fd
 *     4   2  events
 *     6   2  revents
 *     8       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class PollfdDescriptor
{
    /** {@code fd}: descriptor. */
    public static final int FD_OFFSET = 0;
    /** {@code events}: requested events. */
    public static final int EVENTS_OFFSET = 4;
    /** {@code revents}: returned events. */
    public static final int REVENTS_OFFSET = 6;
    /** {@code sizeof(struct pollfd)}. */
    public static final int LENGTH = 8;


    private PollfdDescriptor()
    {
    }
}
