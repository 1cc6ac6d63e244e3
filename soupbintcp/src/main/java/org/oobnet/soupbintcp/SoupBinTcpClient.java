package org.oobnet.soupbintcp;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;

/**
 * A SoupBinTCP client session on a connected stage-driven TCP socket: it logs in when it starts (asking for the
 * given session and the sequence number it wants next: sequence recovery at login), then hands each sequenced
 * message to its listener with its sequence number, sends unsequenced messages, heartbeats when idle, and ends on
 * the server's end of session, a logout, a heartbeat timeout, the connection's end or a malformed packet.
 * <p>
 * <b>Note:</b> {@link #sendUnsequenced} and {@link #logout} on the stage; see {@link SoupBinTcpSession}.
 */
public final class SoupBinTcpClient extends SoupBinTcpSession
{
    private final SoupBinTcpClientListener listener;
    private final UnsafeBuffer login = new UnsafeBuffer(new byte[SoupBinTcpDescriptor.LOGIN_REQUEST_LENGTH]);
    private final LoginAcceptedFlyweight accepted = new LoginAcceptedFlyweight();
    private long nextSequenceNumber;

    /**
     * In-band.
     *
     * @param socket                  a connected TCP OOB socket, not started.
     * @param settings                timings and sizes.
     * @param username                up to 6 ASCII characters.
     * @param password                up to 10.
     * @param session                 up to 10, blank for the server's current session.
     * @param requestedSequenceNumber the next sequence number wanted (1 for all, 0 for only new ones).
     * @param listener                takes what the session reports, on the stage.
     */
    public SoupBinTcpClient(final OobSocket socket, final SoupBinTcpSettings settings, final String username,
        final String password, final String session, final long requestedSequenceNumber,
        final SoupBinTcpClientListener listener)
    {
        super(socket, settings, SoupBinTcpDescriptor.CLIENT_HEARTBEAT);
        if (requestedSequenceNumber < 0)
        {
            throw new IllegalArgumentException("requestedSequenceNumber=" + requestedSequenceNumber + " must be >= 0");
        }
        this.listener = listener;
        AsciiFields.putLeft(login, SoupBinTcpDescriptor.LOGIN_USERNAME_OFFSET, SoupBinTcpDescriptor.USERNAME_LENGTH,
            username.getBytes(StandardCharsets.US_ASCII));
        AsciiFields.putLeft(login, SoupBinTcpDescriptor.LOGIN_PASSWORD_OFFSET, SoupBinTcpDescriptor.PASSWORD_LENGTH,
            password.getBytes(StandardCharsets.US_ASCII));
        AsciiFields.putRight(login, SoupBinTcpDescriptor.LOGIN_SESSION_OFFSET, SoupBinTcpDescriptor.SESSION_LENGTH,
            session.getBytes(StandardCharsets.US_ASCII));
        AsciiFields.putNumber(login, SoupBinTcpDescriptor.LOGIN_SEQUENCE_OFFSET,
            SoupBinTcpDescriptor.SEQUENCE_NUMBER_LENGTH, requestedSequenceNumber);
    }

    // stage, before the first cycle of the session's timers: the login request
    @Override
    public void onStart()
    {
        if (sendPacket(SoupBinTcpDescriptor.LOGIN_REQUEST, login, 0, login.capacity()) < 0)
        {
            endSession(SoupBinTcpEnd.DISCONNECTED);
        }
    }

    /**
     * Stage: one unsequenced message to the server.
     *
     * @return the packet's length, or a negative errno ({@code -ENOTCONN} before the login was accepted,
     * {@code -EWOULDBLOCK} when the connection's outbound buffer is full, {@code -EPIPE} after the end).
     */
    public int sendUnsequenced(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!isLoggedIn())
        {
            return SoupBinTcpEnd.NONE == end() ? -Errno.ENOTCONN : -Errno.EPIPE;
        }
        return sendPacket(SoupBinTcpDescriptor.UNSEQUENCED_DATA, buffer, offset, length);
    }

    /**
     * Stage: logs out: the logout request goes out, then the connection is disconnected.
     */
    public void logout()
    {
        sendPacket(SoupBinTcpDescriptor.LOGOUT_REQUEST, login, 0, 0);
        endSession(SoupBinTcpEnd.LOGOUT);
    }

    /** @return the sequence number of the next sequenced message expected (stage). */
    public long nextSequenceNumber()
    {
        return nextSequenceNumber;
    }

    @Override
    SoupBinTcpDrop onPacket(final byte type, final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        switch (type)
        {
            case SoupBinTcpDescriptor.SEQUENCED_DATA:
                if (!isLoggedIn())
                {
                    return SoupBinTcpDrop.UNEXPECTED_TYPE;
                }
                listener.onSequencedData(this, nextSequenceNumber++, buffer, payloadOffset, payloadLength);
                return null;
            case SoupBinTcpDescriptor.SERVER_HEARTBEAT:
                heartbeatIn();
                return null;
            case SoupBinTcpDescriptor.LOGIN_ACCEPTED:
                if (isLoggedIn())
                {
                    return SoupBinTcpDrop.UNEXPECTED_TYPE;
                }
                final long next = accepted.wrap(buffer, payloadOffset).sequenceNumber();
                if (next < 0)
                {
                    return SoupBinTcpDrop.BAD_NUMBER;
                }
                nextSequenceNumber = next;
                loggedIn();
                listener.onLoginAccepted(this, next);
                return null;
            case SoupBinTcpDescriptor.LOGIN_REJECTED:
                if (isLoggedIn())
                {
                    return SoupBinTcpDrop.UNEXPECTED_TYPE;
                }
                listener.onLoginRejected(this, buffer.getByte(payloadOffset));
                endSession(SoupBinTcpEnd.LOGIN_REJECTED);
                return null;
            case SoupBinTcpDescriptor.END_OF_SESSION:
                endSession(SoupBinTcpEnd.END_OF_SESSION);
                return null;
            default:
                // a client's packet type
                return SoupBinTcpDrop.UNEXPECTED_TYPE;
        }
    }

    @Override
    void onEnded(final SoupBinTcpEnd how)
    {
        listener.onEnded(this, how);
    }
}
