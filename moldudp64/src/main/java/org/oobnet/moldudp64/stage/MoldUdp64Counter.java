package org.oobnet.moldudp64.stage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.core.counters.ProtocolCounterType;

/**
 * The counters of a MoldUDP64 feed socket in the runtime's counters file, as {@code oobnet stat} shows them:
 * type ids 1600..1699 (oob-packet has 1000..1099). A subscriber has, for each line (A, B, ... and the request
 * server, {@code line = lineCount}), the counters of {@link LineKind}: type id {@code 1600 + 10 line + kind}.
 * A publisher has those of {@link PublisherKind}: type id {@code 1690 + kind}.
 * <p>
 * <b>Note:</b> immutable.
 *
 * @param typeId the type id.
 * @param label  the label, e.g. {@code "moldudp64 line A wins"}.
 */
public record MoldUdp64Counter(int typeId, String label) implements ProtocolCounterType
{
    /** The first type id of the range. */
    public static final int FIRST_TYPE_ID = 1600;
    /** The first publisher type id. */
    public static final int FIRST_PUBLISHER_TYPE_ID = 1690;

    /** One line's counters (what a subscriber shows per line). */
    public enum LineKind
    {
        /** Packets accepted (heartbeats and ends of session included). */
        PACKETS("packets"),
        /** Messages in accepted packets. */
        MESSAGES("messages"),
        /** Messages delivered from this line's copy (first copy wins). */
        WINS("wins"),
        /** Times this line skipped sequence numbers (its own losses). */
        GAPS("gaps"),
        /** Messages whose copy came after the message was delivered or lost. */
        DUPLICATES("duplicates"),
        /** Requests sent: for a line, those for gaps it revealed (its packet came past every line's); for the
         *  request server, all of them. */
        REQUESTS("requests"),
        /** Wins that filled a gap: from another line, or from the request server. */
        RECOVERED("recovered"),
        /** Messages given up and reported lost: for a line, in gaps it revealed; for the request server, all. */
        LOST("lost"),
        /** Malformed packets dropped (by reason in the receiver's drop counters). */
        MALFORMED("malformed"),
        /** Re-requests: a range asked for again because its last request got no answer before its timeout (the
         *  request or its answer was lost, or is late); for a line, for gaps it revealed; for the request server,
         *  all of them. The rest of a range whose answer the server capped is not one. */
        RE_REQUESTS("re-requests");

        private final String label;

        LineKind(final String label)
        {
            this.label = label;
        }
    }

    /** A publisher's counters. */
    public enum PublisherKind
    {
        /** Messages the application sent: each has its sequence number. */
        MESSAGES("published messages"),
        /** Downstream packets built (each sent on every line). */
        PACKETS("published packets"),
        /** Packets a line could not send (TX ring full): receivers recover them from another line or by request. */
        LINE_SEND_FAILURES("line send failures"),
        /** Requests answered. */
        REQUESTS_ANSWERED("requests answered"),
        /** Requests for messages no longer (or not yet) stored, or of another session: not answered. */
        REQUESTS_UNANSWERED("requests unanswered"),
        /** Heartbeats sent on each line. */
        HEARTBEATS("heartbeats");

        private final String label;

        PublisherKind(final String label)
        {
            this.label = label;
        }
    }

    /**
     * A subscriber's counter types, line by line.
     *
     * @param lineCount downstream lines (the request server is one more).
     * @return {@code (lineCount + 1) * LineKind.values().length} types; index {@code line * kinds + kind}.
     */
    public static ProtocolCounterType[] subscriber(final int lineCount)
    {
        final List<ProtocolCounterType> types = new ArrayList<>();
        for (int line = 0; line <= lineCount; line++)
        {
            final String name = line == lineCount ? "request server" : "line " + (char)('A' + line);
            for (final LineKind kind : LineKind.values())
            {
                types.add(new MoldUdp64Counter(FIRST_TYPE_ID + 10 * line + kind.ordinal(), name + " " + kind.label));
            }
        }
        return types.toArray(new ProtocolCounterType[0]);
    }

    /**
     * A publisher's counter types.
     *
     * @return the types, indexed by {@link PublisherKind#ordinal()}.
     */
    public static ProtocolCounterType[] publisher()
    {
        final PublisherKind[] kinds = PublisherKind.values();
        final ProtocolCounterType[] types = new ProtocolCounterType[kinds.length];
        for (final PublisherKind kind : kinds)
        {
            types[kind.ordinal()] = new MoldUdp64Counter(FIRST_PUBLISHER_TYPE_ID + kind.ordinal(), kind.label);
        }
        return types;
    }

    /**
     * In-band, from any process: one feed socket's counters as the counters file has them.
     *
     * @param countersFile the runtime's counters file ({@code OobRuntime.countersPath()}).
     * @param socketId     the feed socket's id ({@code OobSocket.id()}).
     * @return the values by label without the socket's suffix ({@code "line A wins"}), in the file's order.
     */
    public static Map<String, Long> read(final Path countersFile, final long socketId)
    {
        final Map<String, Long> values = new LinkedHashMap<>();
        final String suffix = ": moldudp64 ";
        final String id = " id=" + socketId;
        try (CountersFileReader reader = CountersFileReader.open(countersFile))
        {
            reader.counters().forEach((counterId, typeId, key, label) ->
            {
                final int at = label.indexOf(suffix);
                if (typeId >= FIRST_TYPE_ID && typeId < FIRST_TYPE_ID + 100 && at > 0 && label.endsWith(id))
                {
                    values.put(label.substring(0, at), reader.counters().getCounterValue(counterId));
                }
            });
        }
        return values;
    }
}
