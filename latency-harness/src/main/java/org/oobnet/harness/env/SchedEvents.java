package org.oobnet.harness.env;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code sched_switch} events of a tracefs {@code trace} file, fed line by line: header lines ({@code #}) and
 * blank lines are skipped, the kernel's {@code [LOST n EVENTS]} lines are counted as lost events, and any other
 * line that is not a well-formed event is counted as malformed (and its first one kept, to show), never thrown.
 * <p>
 * <b>Note:</b> not thread safe.
 */
public final class SchedEvents implements Consumer<String>
{
    private static final Pattern LOST = Pattern.compile("^\\s*CPU:\\d+ \\[LOST (\\d+) EVENTS\\]\\s*$");

    private final List<SchedSwitch> events = new ArrayList<>();
    private long lost;
    private long malformed;
    private String firstMalformed;

    @Override
    public void accept(final String line)
    {
        if (line.isBlank() || line.startsWith("#"))
        {
            return;
        }
        final SchedSwitch event = SchedSwitch.parse(line);
        if (event != null)
        {
            events.add(event);
            return;
        }
        final Matcher m = LOST.matcher(line);
        if (m.matches())
        {
            lost += Long.parseLong(m.group(1));
            return;
        }
        malformed++;
        if (firstMalformed == null)
        {
            firstMalformed = line;
        }
    }

    /**
     * @return the events, in the file's order (oldest first).
     */
    public List<SchedSwitch> events()
    {
        return events;
    }

    /**
     * @return events the kernel said it lost ({@code [LOST n EVENTS]} lines).
     */
    public long lost()
    {
        return lost;
    }

    /**
     * @return lines that were neither headers, events nor lost-event notes.
     */
    public long malformed()
    {
        return malformed;
    }

    /**
     * @return the first malformed line, or null.
     */
    public String firstMalformed()
    {
        return firstMalformed;
    }
}
