package org.oobnet.netns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs iproute2's {@code ip} (and other short helper commands) with a timeout; every failure names the command,
 * its exit code and its output.
 * <p>
 * <b>Note:</b> thread safe, stateless; in-band only (forks a process and blocks up to the timeout).
 */
public final class IpCommand
{
    /** How long one command may run before it is killed and reported as timed out. */
    public static final long DEFAULT_TIMEOUT_MS = 20_000;

    private static final List<String> FALLBACK_DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private IpCommand()
    {
    }

    /**
     * Where a program is installed: the first executable {@code name} on {@code PATH}, then in /usr/sbin, /sbin,
     * /usr/bin and /bin (which a non-login root shell may lack on its PATH).
     *
     * @param name a program name such as {@code taskset}.
     * @return its path, or null when it is not installed.
     */
    public static String which(final String name)
    {
        final List<String> directories = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null)
        {
            directories.addAll(List.of(path.split(":")));
        }
        directories.addAll(FALLBACK_DIRECTORIES);
        for (final String directory : directories)
        {
            if (directory.isEmpty())
            {
                continue;
            }
            final Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        return null;
    }

    /**
     * Where {@code ip} is installed.
     *
     * @return the path of the {@code ip} binary, or null when iproute2 is not installed.
     */
    public static String ipBinary()
    {
        return which("ip");
    }

    /**
     * Runs {@code ip args...} and fails when it does.
     *
     * @param args the arguments after {@code ip}.
     * @return the command's output (standard error merged).
     * @throws IllegalStateException naming the command, its exit code and output, when it fails or times out.
     */
    public static String run(final String... args)
    {
        return tryRun(args).orThrow();
    }

    /**
     * Runs {@code ip args...} and reports how it went, without failing.
     *
     * @param args the arguments after {@code ip}.
     * @return exit code and merged output; exit code 127 when {@code ip} is not installed.
     */
    public static Result tryRun(final String... args)
    {
        final String ip = ipBinary();
        final String shown = "ip " + String.join(" ", args);
        if (ip == null)
        {
            return new Result(shown, 127, "iproute2's `ip` is not installed");
        }
        final List<String> command = new ArrayList<>(args.length + 1);
        command.add(ip);
        command.addAll(List.of(args));
        return tryExec(shown, command, DEFAULT_TIMEOUT_MS);
    }

    /**
     * Runs any short command and fails when it does.
     *
     * @param command the program and its arguments.
     * @return its output (standard error merged).
     * @throws IllegalStateException naming the command, its exit code and output, when it fails or times out.
     */
    public static String exec(final List<String> command)
    {
        return tryExec(command, DEFAULT_TIMEOUT_MS).orThrow();
    }

    /**
     * Runs any short command and reports how it went, without failing.
     *
     * @param command   the program and its arguments.
     * @param timeoutMs how long it may run before it is killed.
     * @return exit code (-1 when it could not start, timed out or was interrupted) and merged output.
     */
    public static Result tryExec(final List<String> command, final long timeoutMs)
    {
        return tryExec(String.join(" ", command), command, timeoutMs);
    }

    private static Result tryExec(final String shown, final List<String> command, final long timeoutMs)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
        }
        catch (final IOException ex)
        {
            return new Result(shown, -1, "cannot run: " + ex.getMessage());
        }
        // Read on another thread: a command that hangs with its pipe open must still time out.
        final InputStream stdout = process.getInputStream();
        final CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(stdout),
            task -> Thread.ofVirtual().name("ip-output").start(task));
        try
        {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor(1, TimeUnit.SECONDS);
                return new Result(shown, -1, "timed out after timeoutMs=" + timeoutMs);
            }
            final byte[] bytes = output.get(timeoutMs, TimeUnit.MILLISECONDS);
            return new Result(shown, process.exitValue(), new String(bytes, StandardCharsets.UTF_8).strip());
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(shown, -1, "interrupted");
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            // Exited, but a grandchild still holds the pipe: report without the output.
            return new Result(shown, process.exitValue(), "(output unreadable: " + ex + ")");
        }
    }

    private static byte[] readAll(final InputStream stdout)
    {
        try (stdout)
        {
            return stdout.readAllBytes();
        }
        catch (final IOException ex)
        {
            return new byte[0];
        }
    }

    /**
     * Outcome of one command.
     *
     * @param command  the command line as shown in messages, such as {@code ip netns add x}.
     * @param exitCode the exit code (-1 when it could not run, timed out or was interrupted).
     * @param output   standard output and error, merged and stripped.
     */
    public record Result(String command, int exitCode, String output)
    {
        /**
         * Whether the command succeeded.
         *
         * @return true when the exit code is 0.
         */
        public boolean ok()
        {
            return exitCode == 0;
        }

        /**
         * The output of a successful command.
         *
         * @return the output.
         * @throws IllegalStateException naming the command, its exit code and output, when it failed.
         */
        public String orThrow()
        {
            if (exitCode != 0)
            {
                throw new IllegalStateException(this.toString());
            }
            return output;
        }

        @Override
        public String toString()
        {
            return "`" + command + "` exited " + exitCode + (output.isEmpty() ? "" : ": " + output);
        }
    }
}
