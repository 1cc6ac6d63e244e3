package org.oobnet.moldudp64;

/**
 * The bytes of MoldUDP64 packets. A downstream packet and a request packet share the 20-byte header; a
 * downstream packet follows it with {@code messageCount} message blocks:
 * <pre>
 *   0                   10                       18          20
 *   +-------------------+------------------------+-----------+
 *   | session (10 chars) | sequence number (u64) | count(u16)|   header, big-endian
 *   +-------------------+------------------------+-----------+
 *   | length (u16) | message data (length bytes) |  ... count times
 *   +--------------+-----------------------------+
 * </pre>
 * A count of {@value #HEARTBEAT_COUNT} is a heartbeat and {@value #END_OF_SESSION_COUNT} the end of the
 * session: neither carries message blocks, and its sequence number is the next one the session will use. In a
 * request packet the count is how many messages are asked for, from the sequence number on.
 * <p>
 * <b>Note:</b> constants and static validators only.
 */
public final class MoldUdp64Descriptor
{
    /** Offset of the session name. */
    public static final int SESSION_OFFSET = 0;
    /** Length of the session name, space-padded ASCII. */
    public static final int SESSION_LENGTH = 10;
    /** Offset of the sequence number of the first message (downstream) or the first message asked for (request). */
    public static final int SEQUENCE_OFFSET = 10;
    /** Offset of the message count. */
    public static final int COUNT_OFFSET = 18;
    /** Length of the header, and of a request packet. */
    public static final int HEADER_LENGTH = 20;
    /** Length of the length field before each message's data. */
    public static final int MESSAGE_LENGTH_FIELD_LENGTH = 2;
    /** The count of a heartbeat. */
    public static final int HEARTBEAT_COUNT = 0;
    /** The count that ends the session. */
    public static final int END_OF_SESSION_COUNT = 0xFFFF;
    /** The most messages one packet can carry: one less than the end-of-session marker. */
    public static final int MAX_MESSAGE_COUNT = END_OF_SESSION_COUNT - 1;
    /** The largest UDP payload, so the largest packet. */
    public static final int MAX_PACKET_LENGTH = 65507;
    /** Sequence numbers of a session start here. */
    public static final long FIRST_SEQUENCE = 1;

    private MoldUdp64Descriptor()
    {
    }

    /**
     * Whether a count marks a packet without message blocks.
     *
     * @param count the header's count field, unsigned.
     * @return true for a heartbeat or an end of session.
     */
    public static boolean isControl(final int count)
    {
        return HEARTBEAT_COUNT == count || END_OF_SESSION_COUNT == count;
    }

    /**
     * Whether a header's sequence number and count name messages a session can have: from 1, and ending below
     * 2^63 (unsigned on the wire; 2^63 messages are out of reach, and signed arithmetic stays simple).
     *
     * @param sequence the sequence number field.
     * @param count    the number of messages from it.
     * @return true when in range.
     */
    public static boolean isSequenceInRange(final long sequence, final int count)
    {
        return sequence >= FIRST_SEQUENCE && sequence + count >= sequence;
    }

    /**
     * Checks a session name given as text (configuration, the API edge): at most {@value #SESSION_LENGTH}
     * printable ASCII characters; shorter names are space-padded on the wire.
     *
     * @param session the name.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static void checkSession(final String session)
    {
        if (session.length() > SESSION_LENGTH)
        {
            throw new IllegalArgumentException("session=" + session + " is longer than " + SESSION_LENGTH + " characters");
        }
        for (int i = 0; i < session.length(); i++)
        {
            final char c = session.charAt(i);
            if (c < 0x20 || c > 0x7e)
            {
                throw new IllegalArgumentException("session=" + session + " has a non-printable character at index " + i);
            }
        }
    }
}
