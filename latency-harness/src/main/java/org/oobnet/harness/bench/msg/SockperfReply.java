package org.oobnet.harness.bench.msg;

import java.nio.ByteBuffer;

/**
 * What a sockperf server does with a received message, decided in place: a well-formed client message that asks
 * for a pong, and is not a warm-up message, is answered with the same bytes and the client flag cleared.
 * <p>
 * <b>Note:</b> allocation-free; not thread safe (owns a flyweight), one per reflector thread.
 */
public final class SockperfReply
{
    /** The message in the buffer was turned into its reply: send it back to the sender, same length. */
    public static final int REPLY = 0;
    /** Not from a client (e.g. our own reply looped back): ignored, as sockperf does. */
    public static final int IGNORED_NOT_CLIENT = 1;
    /** A warm-up message: counted, not answered. */
    public static final int IGNORED_WARMUP = 2;
    /** A client message that wants no pong (sockperf's throughput modes). */
    public static final int IGNORED_NO_PONG_REQUEST = 3;
    /** Malformed: see {@link SockperfHeader#check(int)}; counted and dropped. */
    public static final int MALFORMED = 4;

    private final SockperfHeader header = new SockperfHeader();

    /**
     * @param buffer         the received datagram at index 0.
     * @param datagramLength its length.
     * @return one of the constants of this class; on {@link #REPLY} the buffer holds the reply.
     */
    public int apply(final ByteBuffer buffer, final int datagramLength)
    {
        header.wrap(buffer);
        if (header.check(datagramLength) != SockperfHeader.VALID)
        {
            return MALFORMED;
        }
        final int flags = header.flags();
        if ((flags & SockperfHeader.FLAG_CLIENT) == 0)
        {
            return IGNORED_NOT_CLIENT;
        }
        if ((flags & SockperfHeader.FLAG_WARMUP) != 0)
        {
            return IGNORED_WARMUP;
        }
        if ((flags & SockperfHeader.FLAG_PONG_REQUEST) == 0)
        {
            return IGNORED_NO_PONG_REQUEST;
        }
        header.flags(flags & ~SockperfHeader.FLAG_CLIENT);
        return REPLY;
    }

    /**
     * @return the flyweight, wrapped on the last datagram (to describe a malformed one).
     */
    public SockperfHeader header()
    {
        return header;
    }
}
