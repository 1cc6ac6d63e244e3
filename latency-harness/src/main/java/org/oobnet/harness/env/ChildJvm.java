package org.oobnet.harness.env;

import org.oobnet.netns.IpCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A child JVM running {@code oobnet} (this same class path) on one side of a run, or a native program (the C
 * floor): prefixed with {@code ip netns exec <ns>} and {@code taskset -c <cpus>} when asked (for a JVM whose work
 * runs on an OOB stage, the CPUs other than the stage's: see {@link #stageCommand}), with the base flags and, optionally, the
 * low-latency profile. Its standard output goes line by line to a consumer; its standard error to a file.
 * <p>
 * <b>Note:</b> in-band only; {@link #close()} ends the process (SIGTERM, then SIGKILL) and is idempotent.
 */
public final class ChildJvm implements AutoCloseable
{
    /** Extra JVM flags for every child JVM (space separated), e.g. {@code -Xlog:safepoint}. */
    public static final String EXTRA_OPTS_ENV = "OOBNET_CHILD_JAVA_OPTS";

    private static final String MAIN = "org.oobnet.harness.cli.OobnetCli";

    private final Process process;
    private final Thread reader;
    private final Path stderr;

    private ChildJvm(final Process process, final Thread reader, final Path stderr)
    {
        this.process = process;
        this.reader = reader;
        this.stderr = stderr;
    }

    /**
     * The full command line for a child whose work runs on an ordinary thread: the whole JVM pinned to {@code cpu}.
     *
     * @param prefix  e.g. {@code ip netns exec <ns>}, or empty.
     * @param cpu     the CPU to pin to with taskset, -1 for none (or when taskset is missing).
     * @param profile whether to add the low-latency profile.
     * @param args    the {@code oobnet} arguments.
     * @return the command.
     */
    public static List<String> command(
        final List<String> prefix, final int cpu, final boolean profile, final List<String> args)
    {
        return javaCommand(prefix, cpu < 0 ? null : Integer.toString(cpu), profile, args);
    }

    /**
     * The full command line for a child whose work runs on an OOB stage: only the stage thread runs on
     * {@code stageCpu} (it pins itself there when it starts); the JVM is started on the other CPUs, so its other
     * threads — main, JIT compilers, GC, reporters, the runtime's event thread — inherit a mask without the stage's
     * CPU. The run's other busy CPUs (the peer's stage) are left out too while any CPU remains; on a machine with no
     * CPU to spare the JVM keeps every CPU but the stage's.
     *
     * @param prefix   e.g. {@code ip netns exec <ns>}, or empty.
     * @param stageCpu the stage's CPU, -1 for none (then the JVM is not pinned).
     * @param busyCpus CPUs the run's spinning threads use (this stage's and the peer's).
     * @param profile  whether to add the low-latency profile.
     * @param args     the {@code oobnet} arguments.
     * @return the command.
     */
    public static List<String> stageCommand(
        final List<String> prefix, final int stageCpu, final BitSet busyCpus, final boolean profile,
        final List<String> args)
    {
        return javaCommand(prefix, stageCpu < 0 ? null : CpuSet.format(otherCpus(stageCpu, busyCpus)), profile, args);
    }

    /**
     * @param stageCpu the stage's CPU.
     * @param busyCpus the run's busy CPUs.
     * @return the CPUs for a stage JVM's other threads: online less the busy ones, else online less the stage's,
     *         else (one CPU) the stage's.
     */
    static BitSet otherCpus(final int stageCpu, final BitSet busyCpus)
    {
        final BitSet others = CpuSet.online();
        others.andNot(busyCpus);
        others.clear(stageCpu);
        if (others.isEmpty())
        {
            others.or(CpuSet.online());
            others.clear(stageCpu);
        }
        if (others.isEmpty())
        {
            others.set(stageCpu);
        }
        return others;
    }

    private static List<String> javaCommand(
        final List<String> prefix, final String tasksetCpus, final boolean profile, final List<String> args)
    {
        final List<String> program = new ArrayList<>();
        program.add(javaBinary());
        program.addAll(JvmProfile.BASE);
        if (profile)
        {
            program.addAll(JvmProfile.LOW_LATENCY);
        }
        // diagnosis, e.g. -Xlog:safepoint or a flight recording: appended to every child's flags
        final String extra = System.getenv(EXTRA_OPTS_ENV);
        if (extra != null && !extra.isBlank())
        {
            program.addAll(List.of(extra.trim().split("\\s+")));
        }
        program.add("-cp");
        program.add(System.getProperty("java.class.path"));
        program.add(MAIN);
        program.addAll(args);
        return pinned(prefix, tasksetCpus, program);
    }

    /**
     * A child JVM's command with more JVM flags, after the profile's and {@value #EXTRA_OPTS_ENV}'s (so they win):
     * a comparison's variant rows ({@code oobnet latency compare --variant}).
     *
     * @param command what {@link #command} or {@link #stageCommand} built.
     * @param flags   the flags, possibly none.
     * @return the command with them.
     * @throws IllegalArgumentException when the command is not a JVM's.
     */
    public static List<String> withFlags(final List<String> command, final List<String> flags)
    {
        final int classPath = command.indexOf("-cp");
        if (classPath < 0)
        {
            throw new IllegalArgumentException("not a child JVM's command (no -cp): " + command);
        }
        final List<String> with = new ArrayList<>(command);
        with.addAll(classPath, flags);
        return with;
    }

    /**
     * The full command line for a native program (the C floor), pinned with taskset like the JVM children.
     *
     * @param prefix  e.g. {@code ip netns exec <ns>}, or empty.
     * @param cpu     the CPU to pin to, -1 for none (or when taskset is missing).
     * @param program the program and its arguments.
     * @return the command.
     */
    public static List<String> nativeCommand(final List<String> prefix, final int cpu, final List<String> program)
    {
        return pinned(prefix, cpu < 0 ? null : Integer.toString(cpu), program);
    }

    // prefix, then taskset -c <cpus> when asked and installed, then the program
    private static List<String> pinned(final List<String> prefix, final String tasksetCpus, final List<String> program)
    {
        final List<String> command = new ArrayList<>(prefix);
        final String taskset = IpCommand.which("taskset");
        if (tasksetCpus != null && taskset != null)
        {
            command.add(taskset);
            command.add("-c");
            command.add(tasksetCpus);
        }
        command.addAll(program);
        return command;
    }

    /**
     * @return whether children can be pinned (taskset from util-linux is installed).
     */
    public static boolean canPin()
    {
        return IpCommand.which("taskset") != null;
    }

    /**
     * @return the java binary running this JVM.
     */
    public static String javaBinary()
    {
        return ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Starts a child.
     *
     * @param command what {@link #command} built.
     * @param stderr  the file its standard error goes to.
     * @param lines   receives each standard output line, on a reader thread.
     * @return the running child.
     * @throws IOException when it cannot start.
     */
    public static ChildJvm start(final List<String> command, final Path stderr, final Consumer<String> lines)
        throws IOException
    {
        final Process process = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
            .start();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.accept(line);
                }
            }
            catch (final IOException ignored)
            {
                // the process went away; its exit status tells what happened
            }
        }, "oobnet-child-output");
        reader.setDaemon(true);
        reader.start();
        return new ChildJvm(process, reader, stderr);
    }

    /**
     * @param timeoutMs how long to wait.
     * @return the exit status.
     * @throws IOException when it did not exit in time (it is then killed).
     */
    public int waitFor(final long timeoutMs) throws IOException
    {
        try
        {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                close();
                throw new IOException("child did not finish within " + timeoutMs + " ms and was killed; " +
                    "its errors: " + stderrTail());
            }
            reader.join(2000);
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a child", ex);
        }
    }

    /**
     * Waits for a line the child's output consumer completes (e.g. its {@code READY} line).
     *
     * @param line      completed by the consumer given to {@link #start}.
     * @param timeoutNs how long to wait.
     * @param what      the child's name, for the error messages.
     * @return the line's value.
     * @throws IOException when the child exits first, the time runs out, or the wait is interrupted.
     */
    public String awaitLine(final CompletableFuture<String> line, final long timeoutNs, final String what)
        throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (true)
        {
            try
            {
                return line.get(100, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException ex)
            {
                if (!isAlive())
                {
                    throw new IOException(what + " exited before it was ready: " + stderrTail());
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IOException(what + " not ready within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) +
                        " s: " + stderrTail());
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the " + what, ex);
            }
            catch (final ExecutionException ex)
            {
                throw new IOException(ex.getCause());
            }
        }
    }

    /**
     * Writes one line to the child's standard input (which stays open: its end-of-file tells the child that the
     * parent went away).
     *
     * @param line the line, without its newline.
     * @throws IOException when the child is gone.
     */
    public void tell(final String line) throws IOException
    {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /**
     * Closes the child's standard input: a child that watches it (the C floor program, {@code --exit-with-parent})
     * ends and reports, its output still read ({@link #close()} would close that too).
     *
     * @throws IOException when the stream cannot be closed.
     */
    public void endInput() throws IOException
    {
        process.getOutputStream().close();
    }

    /**
     * @return the child's process id.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * @return whether the child still runs.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * @return the last lines of the child's standard error.
     */
    public String stderrTail()
    {
        try
        {
            final List<String> all = java.nio.file.Files.readAllLines(stderr);
            return String.join(" | ", all.subList(Math.max(0, all.size() - 8), all.size()));
        }
        catch (final IOException ex)
        {
            return "(no error output: " + ex.getMessage() + ")";
        }
    }

    @Override
    public void close()
    {
        if (!process.isAlive())
        {
            return;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
