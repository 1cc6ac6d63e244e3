package org.oobnet.soupbintcp;

import org.agrona.DirectBuffer;

/**
 * A received login accepted payload, read in place.
 * <p>
 * <b>Note:</b> valid during the call that handed it out only; stage only.
 */
public final class LoginAcceptedFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    LoginAcceptedFlyweight wrap(final DirectBuffer buffer, final int payloadOffset)
    {
        this.buffer = buffer;
        this.offset = payloadOffset;
        return this;
    }

    /** @return whether the session (spaces left out) is {@code expected}. */
    public boolean sessionIs(final byte[] expected)
    {
        return AsciiFields.equalsTrimmed(buffer, offset + SoupBinTcpDescriptor.ACCEPTED_SESSION_OFFSET,
            SoupBinTcpDescriptor.SESSION_LENGTH, expected);
    }

    /** @return the next sequence number the server sends, -1 when the field is not a number. */
    public long sequenceNumber()
    {
        return AsciiFields.parseNumber(buffer, offset + SoupBinTcpDescriptor.ACCEPTED_SEQUENCE_OFFSET,
            SoupBinTcpDescriptor.SEQUENCE_NUMBER_LENGTH);
    }
}
