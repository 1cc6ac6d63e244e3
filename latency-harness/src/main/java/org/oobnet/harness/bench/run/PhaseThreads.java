package org.oobnet.harness.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.oobnet.harness.env.ProcTasks;
import org.oobnet.inband.Capabilities;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ThreadPriority;

/**
 * A JVM's threads other than its OOB stage's, lowered while the stage measures and put back after: on a machine
 * without a spare CPU they run on the peer's stage CPU, and there every wake-up of a compiler thread, the reporter
 * or the measuring thread takes that CPU from the peer's spinning stage. Lowered, they run when the spinner lets
 * them: {@link Mode#IDLE} puts them in {@code SCHED_IDLE} (the kernel neither preempts a normal task to run them on
 * wake-up nor gives them more than a sliver of a busy CPU), {@link Mode#NICE} at nice 19.
 * <p>
 * The mode is the system property {@value #PROPERTY} ({@code normal}, {@code idle} or {@code nice}; default
 * {@value #DEFAULT_MODE}), so that {@code compare --variant 'idle=-Doobnet.phase.threads=idle'} can A/B it. Threads
 * are listed from {@code /proc/self/task} when the phase begins: one started during the phase (a dynamic compiler
 * thread) keeps the default. Some are left alone, recognised by their names ({@link #leftAlone}): the JVM's VM and
 * GC threads, the stage ({@value #STAGE_PREFIX}...) and the reporter ({@value IntervalReporter#THREAD_NAME}), which drains the stage's samples every 50 ms
 * ({@link PhaseWakeups}) and, lowered under {@code SCHED_IDLE} on a loaded machine, fell so far behind that the sample
 * ring overflowed (12 710 samples lost of 97 615 in one A/B row). Putting the threads back needs
 * {@code CAP_SYS_NICE}: without it nothing is lowered (and the phase's end says so on standard error).
 * <p>
 * Why {@code normal} by default: on a quiet machine (session 11, two same-run A/Bs, BENCHMARKS.md "Session 11 --
 * quiet machine") {@code idle} stopped a stage for up to 0.95 s: a safepoint waits for every thread running Java
 * code, and a lowered thread runnable on the peer's CPU gets a sliver of it behind that CPU's spinner, so the stage
 * sat in the safepoint with its own CPU idle (the {@code sched} line's longest time off, spent in {@code swapper}).
 * The reporter, slower while the compiler threads starved, also overflowed the sample ring (61 355 samples lost in
 * one row). The p99 ratios to the C floor did not move beyond the rounds' own spread either way. The modes stay for
 * A/Bs; {@code nice} has the same safepoint hazard, shorter.
 * <p>
 * <b>Note:</b> in-band, at the measured phase's edges; one instance per phase, {@link #restore} once.
 */
public final class PhaseThreads
{
    /** The system property that picks the mode. */
    public static final String PROPERTY = "oobnet.phase.threads";
    /** The mode when the property is not set. */
    public static final String DEFAULT_MODE = "normal";
    /** The start of an OOB stage thread's name (as {@code /proc} shows it: 15 characters at most). */
    public static final String STAGE_PREFIX = "oob-stage";

    // HotSpot's thread names, as /proc shows them
    private static final String VM_THREAD = "VM Thread";
    private static final String GC_THREADS = "GC Thread#";
    // /proc/<pid>/task/<tid>/stat, counted from the field after the command's ")": nice is field 19, policy 41
    private static final int STAT_NICE = 19 - 3;
    private static final int STAT_POLICY = 41 - 3;

    /** What happens to the non-stage threads during the phase. */
    public enum Mode
    {
        /** Left alone. */
        NORMAL,
        /** {@code SCHED_IDLE}. */
        IDLE,
        /** Nice 19. */
        NICE;

        /**
         * @param name {@code normal}, {@code idle} or {@code nice}.
         * @return the mode.
         * @throws IllegalArgumentException naming the property.
         */
        public static Mode parse(final String name)
        {
            for (final Mode mode : values())
            {
                if (mode.name().equalsIgnoreCase(name.trim()))
                {
                    return mode;
                }
            }
            throw new IllegalArgumentException(PROPERTY + "=" + name + " is not normal, idle or nice");
        }
    }

    /**
     * A thread's scheduling as {@code /proc} shows it.
     *
     * @param tid    the thread id.
     * @param comm   its name.
     * @param policy its scheduling class.
     * @param nice   its nice value.
     */
    public record TaskSched(int tid, String comm, int policy, int nice)
    {
    }

    private final Mode mode;
    private final List<TaskSched> lowered;
    private final List<String> problems;

    private PhaseThreads(final Mode mode, final List<TaskSched> lowered, final List<String> problems)
    {
        this.mode = mode;
        this.lowered = lowered;
        this.problems = problems;
    }

    /**
     * @return the mode the system property asks for.
     */
    public static Mode mode()
    {
        return Mode.parse(System.getProperty(PROPERTY, DEFAULT_MODE));
    }

    /**
     * Lowers every thread of this process but the stage's.
     *
     * @param mode what to do with them.
     * @return the lowered threads, to {@link #restore}.
     */
    public static PhaseThreads lower(final Mode mode)
    {
        final List<TaskSched> lowered = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        if (mode != Mode.NORMAL && !Capabilities.effective().has(Capabilities.CAP_SYS_NICE))
        {
            // lowering needs no privilege, putting back does: without it the JVM would stay lowered after the phase
            problems.add("CAP_SYS_NICE is missing, so the threads could not be put back: left alone");
        }
        else if (mode != Mode.NORMAL)
        {
            final List<TaskSched> tasks = tasks();
            // the calling thread last: the rest of the lowering runs at its normal priority
            final int caller = callerTid();
            tasks.sort((a, b) -> Boolean.compare(a.tid() == caller, b.tid() == caller));
            for (final TaskSched task : tasks)
            {
                if (leftAlone(task.comm()))
                {
                    continue;
                }
                try
                {
                    if (mode == Mode.IDLE)
                    {
                        ThreadPriority.setPolicy(task.tid(), ThreadPriority.SCHED_IDLE);
                    }
                    else
                    {
                        ThreadPriority.setNice(task.tid(), ThreadPriority.NICE_LOWEST);
                    }
                    lowered.add(task);
                }
                catch (final ErrnoException ex)
                {
                    noteUnlessGone(problems, task, ex);
                }
            }
        }
        return new PhaseThreads(mode, lowered, problems);
    }

    /**
     * Puts every lowered thread back to its class and nice value (a thread that ended meanwhile is skipped).
     *
     * @return what could not be put back or lowered, one line each; empty when all went well.
     */
    public List<String> restore()
    {
        final List<TaskSched> order = new ArrayList<>(lowered);
        // the calling thread first: on a busy machine a lowered thread can wait long for each of its slices
        final int caller = callerTid();
        order.sort((a, b) -> Boolean.compare(a.tid() != caller, b.tid() != caller));
        for (final TaskSched task : order)
        {
            try
            {
                if (mode == Mode.IDLE)
                {
                    ThreadPriority.setPolicy(task.tid(), task.policy());
                }
                ThreadPriority.setNice(task.tid(), task.nice());
            }
            catch (final ErrnoException ex)
            {
                noteUnlessGone(problems, task, ex);
            }
        }
        return List.copyOf(problems);
    }

    /**
     * @return the threads lowered, as they were before.
     */
    public List<TaskSched> lowered()
    {
        return List.copyOf(lowered);
    }

    /**
     * @return the calling thread's id ({@code /proc/thread-self} links to {@code <pid>/task/<tid>}).
     */
    public static int callerTid()
    {
        try
        {
            return Integer.parseInt(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
        }
        catch (final IOException | NumberFormatException ex)
        {
            throw new IllegalStateException("cannot read /proc/thread-self: " + ex.getMessage(), ex);
        }
    }

    /**
     * @return this process's threads now.
     */
    public static List<TaskSched> tasks()
    {
        final List<TaskSched> tasks = new ArrayList<>();
        try
        {
            for (final Path task : ProcTasks.self())
            {
                try
                {
                    tasks.add(parseStat(ProcTasks.tid(task), Files.readString(task.resolve("stat"))));
                }
                catch (final IOException ignored)
                {
                    // the thread ended between the listing and the read
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot list /proc/self/task: " + ex.getMessage(), ex);
        }
        return tasks;
    }

    /**
     * @param tid  the thread id.
     * @param stat its {@code /proc/<pid>/task/<tid>/stat} line.
     * @return its name, class and nice value.
     * @throws IllegalArgumentException naming the line when it is not a stat line.
     */
    public static TaskSched parseStat(final int tid, final String stat)
    {
        final int open = stat.indexOf('(');
        // the name may hold spaces and parentheses: it ends at the last ')'
        final int close = stat.lastIndexOf(')');
        final String[] fields = close < 0 ? new String[0] : stat.substring(close + 1).trim().split(" ");
        if (open < 0 || close < open || fields.length <= STAT_POLICY)
        {
            throw new IllegalArgumentException("tid=" + tid + ": stat=\"" + stat.strip() + "\" has no policy field");
        }
        try
        {
            return new TaskSched(tid, stat.substring(open + 1, close), Integer.parseInt(fields[STAT_POLICY]),
                Integer.parseInt(fields[STAT_NICE]));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("tid=" + tid + ": stat=\"" + stat.strip() + "\" has no policy field",
                ex);
        }
    }

    /**
     * @param comm a thread's name.
     * @return whether the phase leaves it at its priority: the stage, the reporter, and the JVM's safepoint and GC
     *         threads (a safepoint stops the stage too, until the VM thread is done: lowered, it would stretch every
     *         pause by the wait for a slice of a CPU the peer's stage spins on).
     */
    public static boolean leftAlone(final String comm)
    {
        return comm.startsWith(STAGE_PREFIX) || comm.equals(IntervalReporter.THREAD_NAME) ||
            comm.equals(VM_THREAD) || comm.startsWith(GC_THREADS);
    }

    private static void noteUnlessGone(final List<String> problems, final TaskSched task, final ErrnoException ex)
    {
        if (ex.errno() != Errno.ESRCH)
        {
            problems.add(String.format(Locale.ROOT, "%s/%d: %s", task.comm(), task.tid(), ex.getMessage()));
        }
    }
}
