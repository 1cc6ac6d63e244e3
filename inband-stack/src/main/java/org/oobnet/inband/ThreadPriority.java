package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;

/**
 * A thread's CPU scheduling class and nice value, set by thread id ({@code sched_setscheduler}, {@code
 * setpriority(PRIO_PROCESS, tid)}: on Linux both apply to that one thread, not its process). The latency harness
 * lowers a JVM's threads other than its stage's while the stage measures, so that they run when the CPU has nothing
 * better to do, and puts them back after.
 * <p>
 * Raising a thread back (out of {@link #SCHED_IDLE}, or to a lower nice value) needs {@code CAP_SYS_NICE} or a
 * permissive {@code RLIMIT_NICE}; lowering never does. <b>Note:</b> in-band only (system calls and an arena per
 * call); stateless, thread safe.
 */
public final class ThreadPriority
{
    /** The default time-sharing class. */
    public static final int SCHED_OTHER = 0;
    /** The time-sharing class for batch work (no wake-up preemption). */
    public static final int SCHED_BATCH = 3;
    /** The class for threads that run only when nothing else of another class wants the CPU. */
    public static final int SCHED_IDLE = 5;
    /** The lowest priority a nice value gives. */
    public static final int NICE_LOWEST = 19;

    private static final int PRIO_PROCESS = 0;

    private ThreadPriority()
    {
    }

    /**
     * @param tid    the thread id ({@code /proc/self/task/<tid>}).
     * @param policy a non-real-time class: {@link #SCHED_OTHER}, {@link #SCHED_BATCH} or {@link #SCHED_IDLE}.
     * @throws ErrnoException e.g. {@code ESRCH} (no such thread), {@code EPERM} (not allowed to raise it), or
     *                        {@code EINVAL} for a real-time class (which takes a priority this call does not).
     */
    public static void setPolicy(final int tid, final int policy) throws ErrnoException
    {
        if (policy != SCHED_OTHER && policy != SCHED_BATCH && policy != SCHED_IDLE)
        {
            throw new ErrnoException("sched_setscheduler", Errno.EINVAL, "policy=" + policy +
                " must be SCHED_OTHER (0), SCHED_BATCH (3) or SCHED_IDLE (5)");
        }
        final ErrnoCapture errno = new ErrnoCapture();
        try (Arena arena = Arena.ofConfined())
        {
            // struct sched_param { int sched_priority; }: 0 for the non-real-time classes
            final MemorySegment param = arena.allocate(ValueLayout.JAVA_INT);
            param.set(ValueLayout.JAVA_INT, 0, 0);
            check("sched_setscheduler", tid, LibC.schedSetscheduler(errno, tid, policy, param));
        }
    }

    /**
     * @param tid the thread id.
     * @return its scheduling class.
     * @throws ErrnoException e.g. {@code ESRCH}: no such thread.
     */
    public static int policy(final int tid) throws ErrnoException
    {
        final int result = LibC.schedGetscheduler(new ErrnoCapture(), tid);
        check("sched_getscheduler", tid, result);
        return result;
    }

    /**
     * @param tid  the thread id.
     * @param nice -20 to 19.
     * @throws ErrnoException e.g. {@code ESRCH}, {@code EACCES} (not allowed to lower the nice value).
     */
    public static void setNice(final int tid, final int nice) throws ErrnoException
    {
        check("setpriority", tid, LibC.setpriority(new ErrnoCapture(), PRIO_PROCESS, tid, nice));
    }

    private static void check(final String operation, final int tid, final int result) throws ErrnoException
    {
        if (result < 0)
        {
            throw new ErrnoException(operation, -result, "tid=" + tid);
        }
    }
}
