package org.oobnet.soupbintcp;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobSocket;

/**
 * A SoupBinTCP server session on an accepted stage-driven TCP socket: it checks the client's login (username,
 * password, session), accepts it at the sequence number asked for (0, or past the last message: the next one) or
 * rejects it, then sends the {@link SequencedStore}'s messages from there on, those appended before the login first
 * (sequence recovery), paced by the connection's outbound buffer. It hands unsequenced messages to its listener,
 * heartbeats when idle and ends on a logout, a heartbeat timeout, the connection's end, a malformed packet or
 * {@link #endOfSession()}.
 * <p>
 * <b>Note:</b> {@link #sendSequenced} and {@link #endOfSession} on the stage; see {@link SoupBinTcpSession}.
 */
public final class SoupBinTcpServer extends SoupBinTcpSession
{
    private final SoupBinTcpServerListener listener;
    private final SequencedStore store;
    private final byte[] username;
    private final byte[] password;
    private final byte[] session;
    private final LoginRequestFlyweight request = new LoginRequestFlyweight();
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[SoupBinTcpDescriptor.LOGIN_ACCEPTED_LENGTH]);
    private long nextToSend;

    /**
     * In-band.
     *
     * @param socket   an accepted TCP OOB socket, not started.
     * @param settings timings and sizes.
     * @param store    the session's sequenced messages (shared by the server sessions of one stage).
     * @param username the username accepted.
     * @param password its password.
     * @param session  the session's name (a client asking for another is rejected, session not available).
     * @param listener takes what the session reports, on the stage.
     */
    public SoupBinTcpServer(final OobSocket socket, final SoupBinTcpSettings settings, final SequencedStore store,
        final String username, final String password, final String session, final SoupBinTcpServerListener listener)
    {
        super(socket, settings, SoupBinTcpDescriptor.SERVER_HEARTBEAT);
        this.listener = listener;
        this.store = store;
        this.username = username.getBytes(StandardCharsets.US_ASCII);
        this.password = password.getBytes(StandardCharsets.US_ASCII);
        this.session = session.getBytes(StandardCharsets.US_ASCII);
        AsciiFields.putRight(reply, SoupBinTcpDescriptor.ACCEPTED_SESSION_OFFSET, SoupBinTcpDescriptor.SESSION_LENGTH,
            this.session);
    }

    /**
     * Stage: appends a sequenced message to the store; it goes to the client when logged in (now, or after what
     * is still to be resent).
     *
     * @return its sequence number, or {@code -ENOBUFS} when the store is full.
     */
    public long sendSequenced(final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequenceNumber = store.append(buffer, offset, length);
        if (sequenceNumber > 0)
        {
            pump();
        }
        return sequenceNumber;
    }

    /**
     * Stage: ends the session: the end of session packet goes out, then the connection is disconnected.
     */
    public void endOfSession()
    {
        sendPacket(SoupBinTcpDescriptor.END_OF_SESSION, reply, 0, 0);
        endSession(SoupBinTcpEnd.END_OF_SESSION);
    }

    // stage: the store's messages the client has not had, as far as the connection takes them
    @Override
    int pump()
    {
        if (!isLoggedIn())
        {
            return 0;
        }
        final SequencedStore store = this.store;
        final long last = store.nextSequenceNumber();
        int sent = 0;
        while (nextToSend < last)
        {
            final int rc = sendPacket(SoupBinTcpDescriptor.SEQUENCED_DATA, store.buffer(), store.offset(nextToSend),
                store.length(nextToSend));
            if (rc < 0)
            {
                // the outbound buffer is full: the rest next cycle
                break;
            }
            nextToSend++;
            sent++;
        }
        return sent;
    }

    @Override
    SoupBinTcpDrop onPacket(final byte type, final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        switch (type)
        {
            case SoupBinTcpDescriptor.LOGIN_REQUEST:
                return isLoggedIn() ? SoupBinTcpDrop.UNEXPECTED_TYPE : login(buffer, payloadOffset);
            case SoupBinTcpDescriptor.UNSEQUENCED_DATA:
                if (!isLoggedIn())
                {
                    return SoupBinTcpDrop.UNEXPECTED_TYPE;
                }
                listener.onUnsequencedData(this, buffer, payloadOffset, payloadLength);
                return null;
            case SoupBinTcpDescriptor.CLIENT_HEARTBEAT:
                heartbeatIn();
                return null;
            case SoupBinTcpDescriptor.LOGOUT_REQUEST:
                endSession(SoupBinTcpEnd.LOGOUT);
                return null;
            default:
                // a server's packet type
                return SoupBinTcpDrop.UNEXPECTED_TYPE;
        }
    }

    private SoupBinTcpDrop login(final DirectBuffer buffer, final int payloadOffset)
    {
        final LoginRequestFlyweight request = this.request.wrap(buffer, payloadOffset);
        final long requested = request.requestedSequenceNumber();
        if (requested < 0)
        {
            return SoupBinTcpDrop.BAD_NUMBER;
        }
        if (!request.usernameIs(username) || !request.passwordIs(password))
        {
            reject(SoupBinTcpDescriptor.REJECT_NOT_AUTHORIZED);
            return null;
        }
        if (!request.sessionIsOrBlank(session))
        {
            reject(SoupBinTcpDescriptor.REJECT_SESSION_NOT_AVAILABLE);
            return null;
        }
        final long next = store.nextSequenceNumber();
        final long first = 0 == requested || requested > next ? next : requested;
        AsciiFields.putNumber(reply, SoupBinTcpDescriptor.ACCEPTED_SEQUENCE_OFFSET,
            SoupBinTcpDescriptor.SEQUENCE_NUMBER_LENGTH, first);
        if (sendPacket(SoupBinTcpDescriptor.LOGIN_ACCEPTED, reply, 0, reply.capacity()) < 0)
        {
            endSession(SoupBinTcpEnd.DISCONNECTED);
            return null;
        }
        nextToSend = first;
        loggedIn();
        listener.onLoggedIn(this, first);
        pump();
        return null;
    }

    private void reject(final byte reason)
    {
        reply.putByte(0, reason);
        sendPacket(SoupBinTcpDescriptor.LOGIN_REJECTED, reply, 0, 1);
        // the session name goes back in front of the next accept
        AsciiFields.putRight(reply, SoupBinTcpDescriptor.ACCEPTED_SESSION_OFFSET, SoupBinTcpDescriptor.SESSION_LENGTH,
            session);
        endSession(SoupBinTcpEnd.LOGIN_REJECTED);
    }

    @Override
    void onEnded(final SoupBinTcpEnd how)
    {
        listener.onEnded(this, how);
    }

    /** @return the sequence number of the next message to send the client (stage). */
    public long nextToSend()
    {
        return nextToSend;
    }
}
