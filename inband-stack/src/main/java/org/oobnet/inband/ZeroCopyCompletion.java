package org.oobnet.inband;

/**
 * Hands a buffer given to {@link KSocket#sendZeroCopy} back to its owner once the kernel no longer reads it
 * (the {@code ksocket_sendmblk} analog, through Linux's {@code MSG_ZEROCOPY} error-queue notifications).
 * <p>
 * <b>Note:</b> called on the stack's in-band event thread (or on the thread that calls
 * {@link KSocket#reapZeroCopyCompletions()}), once per successful send, in send order.
 */
@FunctionalInterface
public interface ZeroCopyCompletion
{
    /**
     * The kernel is done with the buffer: it may be reused or freed.
     *
     * @param socket the socket that sent it.
     * @param buffer the buffer as given to {@code sendZeroCopy} (a {@code MemorySegment}, {@code ByteBuffer} or
     *               {@code DirectBuffer}).
     * @param cookie the cookie given with it.
     * @param copied true when the kernel copied the data after all ({@code SO_EE_CODE_ZEROCOPY_COPIED}, e.g.
     *               on loopback): correct, but no zero-copy gain.
     */
    void onComplete(KSocket socket, Object buffer, Object cookie, boolean copied);
}
