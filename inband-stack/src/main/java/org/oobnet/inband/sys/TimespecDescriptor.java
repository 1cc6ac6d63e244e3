package org.oobnet.inband.sys;

/**
 * Layout of {@code struct timespec}: a time in seconds and nanoseconds (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   8  tv_sec
 *     8   8  tv_nsec
 *    16       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class TimespecDescriptor
{
    /** {@code tv_sec}: seconds. */
    public static final int SEC_OFFSET = 0;
    /** {@code tv_nsec}: nanoseconds. */
    public static final int NSEC_OFFSET = 8;
    /** {@code sizeof(struct timespec)}. */
    public static final int LENGTH = 16;


    private TimespecDescriptor()
    {
    }
}
