package org.oobnet.harness.env;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code sched:sched_switch} event as tracefs prints it: on {@code cpu} at {@code timeNs}, the task
 * {@code prevPid} ({@code prevComm}, leaving in {@code prevState}: {@code R} when preempted, {@code S}/{@code D}
 * when it blocked) gave the CPU to {@code nextPid} ({@code nextComm}).
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param timeNs    the trace clock's time in ns (tracefs prints microseconds: the last three digits are 0).
 * @param cpu       the CPU.
 * @param prevComm  the task leaving the CPU (a thread's name, at most 15 characters, may hold spaces).
 * @param prevPid   its thread id (0: the idle task).
 * @param prevState its state as the kernel prints it ({@code R}, {@code R+}, {@code S}, {@code D}, ...).
 * @param nextComm  the task taking the CPU.
 * @param nextPid   its thread id.
 */
public record SchedSwitch(long timeNs, int cpu, String prevComm, int prevPid, String prevState, String nextComm,
    int nextPid)
{
    // "<comm>-<pid> [cpu] <flags> <secs>.<usecs>: sched_switch: prev_comm=.. prev_pid=.. prev_prio=.. prev_state=..
    // ==> next_comm=.. next_pid=.. next_prio=..": comms may hold spaces, so each field is found by its neighbour;
    // the flags column is absent when the irq-info option is off
    private static final Pattern LINE = Pattern.compile("^.*?\\[(\\d+)\\]\\s+(?:\\S+\\s+)?(\\d+)\\.(\\d{6}): " +
        "sched_switch: prev_comm=(.*) prev_pid=(\\d+) prev_prio=-?\\d+ prev_state=(\\S+) ==> " +
        "next_comm=(.*) next_pid=(\\d+) next_prio=-?\\d+\\s*$");

    /**
     * @param line a line of the {@code trace} file.
     * @return the event, or null when the line is not a well-formed {@code sched_switch} event.
     */
    public static SchedSwitch parse(final String line)
    {
        final Matcher m = LINE.matcher(line);
        if (!m.matches())
        {
            return null;
        }
        try
        {
            final long timeNs = Long.parseLong(m.group(2)) * 1_000_000_000L + Long.parseLong(m.group(3)) * 1000L;
            return new SchedSwitch(timeNs, Integer.parseInt(m.group(1)), m.group(4), Integer.parseInt(m.group(5)),
                m.group(6), m.group(7), Integer.parseInt(m.group(8)));
        }
        catch (final NumberFormatException ex)
        {
            // digits past int's range: not a line the kernel writes
            return null;
        }
    }

    /**
     * @return whether the leaving task still wanted the CPU (it was preempted rather than blocking).
     */
    public boolean preempted()
    {
        return prevState.startsWith("R");
    }
}
