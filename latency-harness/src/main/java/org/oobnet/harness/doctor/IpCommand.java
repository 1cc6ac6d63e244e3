package org.oobnet.harness.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip} and reports its exit status and output; a command that cannot start or hangs is a
 * failed command, never an exception.
 * <p>
 * <b>Note:</b> in-band, blocks up to {@link #TIMEOUT_SECONDS} per command.
 */
final class IpCommand
{
    static final long TIMEOUT_SECONDS = 10;

    /**
     * The result of one command.
     *
     * @param command the command line as run.
     * @param status  its exit status, or -1 when it did not run to completion.
     * @param output  its stdout and stderr, stripped.
     */
    record Result(String command, int status, String output)
    {
        boolean ok()
        {
            return status == 0;
        }

        @Override
        public String toString()
        {
            return command + ": " + (output.isEmpty() ? "exit status " + status : output);
        }
    }

    private final String ip;

    private IpCommand(final String ip)
    {
        this.ip = ip;
    }

    /**
     * The {@code ip} tool of this machine, searched on PATH then in /usr/sbin, /sbin, /usr/bin, /bin.
     *
     * @return the runner, or null when there is no {@code ip}.
     */
    static IpCommand find()
    {
        final List<String> directories = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null)
        {
            directories.addAll(List.of(path.split(":")));
        }
        directories.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (final String directory : directories)
        {
            final Path candidate = Path.of(directory.isEmpty() ? "." : directory, "ip");
            if (Files.isExecutable(candidate))
            {
                return new IpCommand(candidate.toString());
            }
        }
        return null;
    }

    /**
     * Runs {@code ip} with the arguments.
     *
     * @param args such as {@code netns add x}.
     * @return what happened.
     */
    Result run(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(ip);
        command.addAll(List.of(args));
        final String shown = "ip " + String.join(" ", args);
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
                return new Result(shown, -1, "no answer in " + TIMEOUT_SECONDS + " s");
            }
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(shown, process.exitValue(), output.strip().replace('\n', ' '));
        }
        catch (final IOException ex)
        {
            return new Result(shown, -1, "cannot run: " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new Result(shown, -1, "interrupted");
        }
    }
}
