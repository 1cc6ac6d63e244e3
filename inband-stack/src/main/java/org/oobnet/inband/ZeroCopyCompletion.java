package org.oobnet.inband;

/**
 * Hands a buffer given to {@link KSocket#sendZeroCopy} back to its owner once the kernel no longer reads it
 * (the {@code ksocket_sendmblk} analog, through Linux's {@code MSG_ZEROCOPY} error-queue notifications).
 * <p>
 * Every successful send gets exactly one call, in send order: {@link #onComplete} when the kernel reported it
 * done (delivered, or copied after all), or {@link #onAborted} when the socket was closed first (its last
 * reference dropped before the kernel reported), so that a buffer is always handed back, as ksocket's
 * {@code ksocket_sendmblk} gives every mblk back.
 * <p>
 * <b>Note:</b> called on the stack's in-band event thread, or on the thread that calls
 * {@link KSocket#reapZeroCopyCompletions()}; aborted sends on the thread that dropped the socket's last reference
 * (usually the one that closed it).
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

    /**
     * The socket was closed before the kernel reported the send done: the buffer is handed back all the same.
     * The kernel keeps its own references to the pages it still has to transmit (a stream's unsent data still goes
     * out after close), so reusing the memory is safe for the process, but bytes changed now may still be sent.
     * Defaults to {@code onComplete(socket, buffer, cookie, false)}, so a completion written as a lambda still
     * gets every buffer back.
     *
     * @param socket the socket that sent it (closed).
     * @param buffer the buffer as given to {@code sendZeroCopy}.
     * @param cookie the cookie given with it.
     */
    default void onAborted(final KSocket socket, final Object buffer, final Object cookie)
    {
        onComplete(socket, buffer, cookie, false);
    }
}
