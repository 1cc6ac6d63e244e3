package org.oobnet.soupbintcp;

import org.agrona.DirectBuffer;

/**
 * A received login request's payload, read in place.
 * <p>
 * <b>Note:</b> valid during the call that handed it out only; stage only.
 */
public final class LoginRequestFlyweight
{
    private static final byte[] BLANK = new byte[0];

    private DirectBuffer buffer;
    private int offset;

    LoginRequestFlyweight wrap(final DirectBuffer buffer, final int payloadOffset)
    {
        this.buffer = buffer;
        this.offset = payloadOffset;
        return this;
    }

    /** @return whether the username (spaces left out) is {@code expected}. */
    public boolean usernameIs(final byte[] expected)
    {
        return AsciiFields.equalsTrimmed(buffer, offset + SoupBinTcpDescriptor.LOGIN_USERNAME_OFFSET,
            SoupBinTcpDescriptor.USERNAME_LENGTH, expected);
    }

    /** @return whether the password (spaces left out) is {@code expected}. */
    public boolean passwordIs(final byte[] expected)
    {
        return AsciiFields.equalsTrimmed(buffer, offset + SoupBinTcpDescriptor.LOGIN_PASSWORD_OFFSET,
            SoupBinTcpDescriptor.PASSWORD_LENGTH, expected);
    }

    /** @return whether the requested session is {@code expected} or blank (the current session). */
    public boolean sessionIsOrBlank(final byte[] expected)
    {
        final int at = offset + SoupBinTcpDescriptor.LOGIN_SESSION_OFFSET;
        return AsciiFields.equalsTrimmed(buffer, at, SoupBinTcpDescriptor.SESSION_LENGTH, expected) ||
            AsciiFields.equalsTrimmed(buffer, at, SoupBinTcpDescriptor.SESSION_LENGTH, BLANK);
    }

    /** @return the requested sequence number (0: the most recent), -1 when the field is not a number. */
    public long requestedSequenceNumber()
    {
        return AsciiFields.parseNumber(buffer, offset + SoupBinTcpDescriptor.LOGIN_SEQUENCE_OFFSET,
            SoupBinTcpDescriptor.SEQUENCE_NUMBER_LENGTH);
    }
}
