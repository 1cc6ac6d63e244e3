package org.oobnet.soupbintcp;

import org.agrona.DirectBuffer;

/**
 * The SoupBinTCP 3.00 packet layout: a two-byte big-endian length (of what follows it), a one-byte type, the
 * payload.
 * <pre>
 *   0                   1                   2
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
 *  +-------------------------------+---------------+----------
 *  |  packet length (type+payload) |     type      | payload ...
 *  +-------------------------------+---------------+----------
 * </pre>
 * Login request payload: username (6, alpha, space padded on the right), password (10, idem), requested session
 * (10, alpha, space padded on the left; blank: the current session), requested sequence number (20, ASCII decimal,
 * space padded on the left; 0: the most recent). Login accepted: session (10) and the next sequence number (20).
 * Login rejected: one reason code. Sequenced and unsequenced data: the message. The rest: no payload.
 */
public final class SoupBinTcpDescriptor
{
    /** Offset of the two-byte big-endian packet length. */
    public static final int LENGTH_OFFSET = 0;
    /** Bytes of the length field. */
    public static final int LENGTH_FIELD_LENGTH = 2;
    /** Offset of the packet type. */
    public static final int TYPE_OFFSET = 2;
    /** Offset of the payload. */
    public static final int PAYLOAD_OFFSET = 3;
    /** The length field's largest value. */
    public static final int MAX_LENGTH_FIELD = 0xFFFF;

    /** Debug packet, either direction; ignored. */
    public static final byte DEBUG = '+';
    /** Server: login accepted. */
    public static final byte LOGIN_ACCEPTED = 'A';
    /** Server: login rejected. */
    public static final byte LOGIN_REJECTED = 'J';
    /** Server: sequenced data. */
    public static final byte SEQUENCED_DATA = 'S';
    /** Server: heartbeat. */
    public static final byte SERVER_HEARTBEAT = 'H';
    /** Server: end of session. */
    public static final byte END_OF_SESSION = 'Z';
    /** Client: login request. */
    public static final byte LOGIN_REQUEST = 'L';
    /** Client: unsequenced data. */
    public static final byte UNSEQUENCED_DATA = 'U';
    /** Client: heartbeat. */
    public static final byte CLIENT_HEARTBEAT = 'R';
    /** Client: logout request. */
    public static final byte LOGOUT_REQUEST = 'O';

    /** Reject code: not authorized. */
    public static final byte REJECT_NOT_AUTHORIZED = 'A';
    /** Reject code: session not available. */
    public static final byte REJECT_SESSION_NOT_AVAILABLE = 'S';

    /** Bytes of the username field. */
    public static final int USERNAME_LENGTH = 6;
    /** Bytes of the password field. */
    public static final int PASSWORD_LENGTH = 10;
    /** Bytes of a session field. */
    public static final int SESSION_LENGTH = 10;
    /** Bytes of a sequence number field. */
    public static final int SEQUENCE_NUMBER_LENGTH = 20;

    /** Login request payload offsets and length. */
    public static final int LOGIN_USERNAME_OFFSET = 0;
    public static final int LOGIN_PASSWORD_OFFSET = LOGIN_USERNAME_OFFSET + USERNAME_LENGTH;
    public static final int LOGIN_SESSION_OFFSET = LOGIN_PASSWORD_OFFSET + PASSWORD_LENGTH;
    public static final int LOGIN_SEQUENCE_OFFSET = LOGIN_SESSION_OFFSET + SESSION_LENGTH;
    public static final int LOGIN_REQUEST_LENGTH = LOGIN_SEQUENCE_OFFSET + SEQUENCE_NUMBER_LENGTH;

    /** Login accepted payload offsets and length. */
    public static final int ACCEPTED_SESSION_OFFSET = 0;
    public static final int ACCEPTED_SEQUENCE_OFFSET = ACCEPTED_SESSION_OFFSET + SESSION_LENGTH;
    public static final int LOGIN_ACCEPTED_LENGTH = ACCEPTED_SEQUENCE_OFFSET + SEQUENCE_NUMBER_LENGTH;

    /** Login rejected payload length. */
    public static final int LOGIN_REJECTED_LENGTH = 1;

    private SoupBinTcpDescriptor()
    {
    }

    /**
     * Checks a framed packet's type and, for the fixed-size types, its payload length.
     *
     * @param buffer the packet's buffer.
     * @param offset where the packet (its length field) starts.
     * @param length the packet's length, length field included (at least 3: the framer saw a non-zero field).
     * @return null when well formed, else {@link SoupBinTcpDrop#UNKNOWN_TYPE} or {@link SoupBinTcpDrop#BAD_LENGTH}.
     */
    public static SoupBinTcpDrop checkPacket(final DirectBuffer buffer, final int offset, final int length)
    {
        final int fixed = fixedPayloadLength(buffer.getByte(offset + TYPE_OFFSET));
        if (-2 == fixed)
        {
            return SoupBinTcpDrop.UNKNOWN_TYPE;
        }
        return fixed >= 0 && fixed != length - PAYLOAD_OFFSET ? SoupBinTcpDrop.BAD_LENGTH : null;
    }

    /**
     * The payload length each fixed-size packet type must have.
     *
     * @param type a packet type.
     * @return its payload length; -1 for a variable one (data, debug); -2 for a type SoupBinTCP does not define.
     */
    public static int fixedPayloadLength(final byte type)
    {
        return switch (type)
        {
            case LOGIN_REQUEST -> LOGIN_REQUEST_LENGTH;
            case LOGIN_ACCEPTED -> LOGIN_ACCEPTED_LENGTH;
            case LOGIN_REJECTED -> LOGIN_REJECTED_LENGTH;
            case SERVER_HEARTBEAT, CLIENT_HEARTBEAT, END_OF_SESSION, LOGOUT_REQUEST -> 0;
            case SEQUENCED_DATA, UNSEQUENCED_DATA, DEBUG -> -1;
            default -> -2;
        };
    }
}
