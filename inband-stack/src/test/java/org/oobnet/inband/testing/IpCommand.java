package org.oobnet.inband.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip} to build and tear down test hosts; every failure names the command and its output.
 * <p>
 * <b>Note:</b> thread safe, stateless.
 */
public final class IpCommand
{
    private static final long TIMEOUT_SECONDS = 20;
    private static final String[] CANDIDATES = { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" };

    private IpCommand()
    {
    }

    /**
     * Where {@code ip} is installed.
     *
     * @return the path of the {@code ip} binary, or null when iproute2 is not installed.
     */
    public static String ipBinary()
    {
        for (final String candidate : CANDIDATES)
        {
            if (Files.isExecutable(Path.of(candidate)))
            {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Runs {@code ip args...} and fails when it does.
     *
     * @param args the arguments after {@code ip}.
     * @return the command's standard output.
     * @throws IllegalStateException naming the command, its exit status and output, when it fails.
     */
    public static String run(final String... args)
    {
        final Result result = tryRun(args);
        if (result.exitCode() != 0)
        {
            throw new IllegalStateException(
                "`ip " + String.join(" ", args) + "` exited " + result.exitCode() + ": " + result.output().strip());
        }
        return result.output();
    }

    /**
     * Runs {@code ip args...} and reports how it went, without failing.
     *
     * @param args the arguments after {@code ip}.
     * @return exit status and combined output.
     */
    public static Result tryRun(final String... args)
    {
        final String ip = ipBinary();
        if (ip == null)
        {
            return new Result(127, "iproute2's `ip` is not installed");
        }
        final List<String> command = new ArrayList<>(args.length + 1);
        command.add(ip);
        command.addAll(Arrays.asList(args));
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT_SECONDS + "s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            return new Result(-1, ex.toString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /**
     * Outcome of one {@code ip} command.
     *
     * @param exitCode the exit status (-1 when it could not run or timed out).
     * @param output   standard output and error, merged.
     */
    public record Result(int exitCode, String output)
    {
    }
}
