package org.oobnet.packet.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.oobnet.inband.sys.LibPcap;
import org.oobnet.packet.bpf.BpfProgram;

/**
 * A pcap-filter expression ({@code man pcap-filter}, as tcpdump and tshark take it) compiled by libpcap into the
 * classic BPF a capture runs on the stage ({@link CaptureTap}).
 * <p>
 * libpcap's parser says what is wrong but not where; the position is found here: a quoted name in its message
 * (an unknown host or protocol) is looked up in the expression, otherwise the error is placed at the first word
 * after the longest run of leading words that compiles.
 * <p>
 * <b>Note:</b> in-band; stateless.
 */
public final class PcapFilter
{
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");
    private static final Pattern WORD = Pattern.compile("\\S+");

    private PcapFilter()
    {
    }

    /**
     * In-band: compiles an expression.
     *
     * @param expression the pcap-filter expression; blank means no filter.
     * @param snapLength the capture's snap length.
     * @return the program, or null for a blank expression (capture everything).
     * @throws IllegalArgumentException naming the expression, libpcap's error and its position.
     * @throws IllegalStateException when a filter is given and libpcap is not installed.
     */
    public static BpfProgram compile(final String expression, final int snapLength)
    {
        if (null == expression || expression.isBlank())
        {
            return null;
        }
        final LibPcap.Compiled compiled;
        try
        {
            compiled = LibPcap.compile(expression, snapLength);
        }
        catch (final UnsatisfiedLinkError ex)
        {
            throw new IllegalStateException("filter '" + expression + "' needs libpcap: " + ex.getMessage() +
                ", or capture without a filter");
        }
        if (null != compiled.error())
        {
            throw new IllegalArgumentException("filter '" + expression + "': " + reason(compiled.error()) +
                position(expression, compiled.error(), snapLength));
        }
        final int[] insns = compiled.instructions();
        final int length = insns.length / 4;
        if (length > CaptureFileDescriptor.FILTER_MAX)
        {
            throw new IllegalArgumentException("filter '" + expression + "' compiles to " + length +
                " instructions, more than the " + CaptureFileDescriptor.FILTER_MAX + " a capture holds");
        }
        final long[] packed = new long[length];
        for (int i = 0; i < length; i++)
        {
            packed[i] = BpfProgram.encode(insns[4 * i], insns[4 * i + 1], insns[4 * i + 2], insns[4 * i + 3]);
        }
        try
        {
            return BpfProgram.of(packed);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("filter '" + expression + "': libpcap's program is not one the " +
                "stage runs: " + ex.getMessage());
        }
    }

    // libpcap prefixes the parser's messages with what it was doing
    private static String reason(final String error)
    {
        final String prefix = "can't parse filter expression: ";
        return error.startsWith(prefix) ? error.substring(prefix.length()) : error;
    }

    private static String position(final String expression, final String error, final int snapLength)
    {
        final Matcher quoted = QUOTED.matcher(error);
        if (quoted.find())
        {
            final int at = expression.indexOf(quoted.group(1));
            if (at >= 0)
            {
                return " at position " + at;
            }
        }
        final Matcher words = WORD.matcher(expression);
        final List<int[]> spans = new ArrayList<>();
        while (words.find())
        {
            spans.add(new int[]{ words.start(), words.end() });
        }
        // the first word after the longest run of leading words that compiles
        int firstBad = 0;
        for (int i = 0; i < spans.size(); i++)
        {
            if (null == LibPcap.compile(expression.substring(0, spans.get(i)[1]), snapLength).error())
            {
                firstBad = i + 1;
            }
        }
        if (firstBad >= spans.size())
        {
            return " at position " + expression.length() + " (the end)";
        }
        final int[] span = spans.get(firstBad);
        return " at position " + span[0] + " ('" + expression.substring(span[0], span[1]) + "')";
    }
}
