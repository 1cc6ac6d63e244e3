package org.oobnet.inband.sys;

/**
 * Layout of {@code struct sock_filter}: one classic BPF instruction (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   2  code
 *     2   1  jt
 *     3   1  jf
 *     4   4  k
 *     8       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class SockFilterDescriptor
{
    /** {@code code}: opcode. */
    public static final int CODE_OFFSET = 0;
    /** {@code jt}: jump offset when true. */
    public static final int JT_OFFSET = 2;
    /** {@code jf}: jump offset when false. */
    public static final int JF_OFFSET = 3;
    /** {@code k}: generic field. */
    public static final int K_OFFSET = 4;
    /** {@code sizeof(struct sock_filter)}. */
    public static final int LENGTH = 8;

    /** The kernel's maximum program length ({@code BPF_MAXINSNS}). */
    public static final int MAX_INSTRUCTIONS = 4096;

    private SockFilterDescriptor()
    {
    }
}
