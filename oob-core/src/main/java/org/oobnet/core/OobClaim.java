package org.oobnet.core;

import org.agrona.MutableDirectBuffer;

/**
 * A claimed region of a protocol's TX path, written in place by code on the stage (zero-copy send).
 * <p>
 * {@link OobSocket#oobClaim(int)} makes the protocol {@link #wrap} it; the caller writes
 * {@code buffer()[offset(), offset() + length())} and calls {@link OobSocket#oobCommit()} or
 * {@link OobSocket#oobAbort()}. {@link #token()} is the protocol's own handle (e.g. a TX frame index).
 * <b>Note:</b> stage only; one per socket, reused.
 */
public final class OobClaim
{
    private MutableDirectBuffer buffer;
    private int offset;
    private int length;
    private long token;

    /**
     * Stage, by the protocol: point the claim at a writable region.
     *
     * @param buffer the buffer holding the region.
     * @param offset where it starts.
     * @param length its length.
     * @param token  the protocol's handle for the region.
     * @return this.
     */
    public OobClaim wrap(final MutableDirectBuffer buffer, final int offset, final int length, final long token)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.token = token;
        return this;
    }

    /** Forget the region (after commit or abort). */
    void reset()
    {
        buffer = null;
        offset = 0;
        length = 0;
        token = 0;
    }

    /** @return true while a region is claimed. */
    public boolean isClaimed()
    {
        return null != buffer;
    }

    /** @return the buffer to write into. */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** @return where the region starts in {@link #buffer()}. */
    public int offset()
    {
        return offset;
    }

    /** @return the region's length. */
    public int length()
    {
        return length;
    }

    /** @return the protocol's handle. */
    public long token()
    {
        return token;
    }
}
