package org.oobnet.harness.latency.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip} (and other short helper commands) and turns a failure into an exception that names the
 * command and quotes its output.
 * <p>
 * <b>Note:</b> in-band only; stateless, thread safe.
 */
public final class IpCommand
{
    private static final long TIMEOUT_S = 15;

    private IpCommand()
    {
    }

    /**
     * @param args the arguments after {@code ip}.
     * @return the command's standard output.
     * @throws IOException when it cannot run, times out or exits non-zero.
     */
    public static String ip(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        return run(command);
    }

    /**
     * @param command a command and its arguments.
     * @return its standard output (standard error merged).
     * @throws IOException when it cannot run, times out or exits non-zero.
     */
    public static String run(final List<String> command) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("command timed out after " + TIMEOUT_S + " s: " + String.join(" ", command));
            }
            final String text = new String(output, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0)
            {
                throw new IOException("command failed with exit=" + process.exitValue() + ": " +
                    String.join(" ", command) + (text.isEmpty() ? "" : ": " + text));
            }
            return text;
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running: " + String.join(" ", command), ex);
        }
    }

    /**
     * @param name a program name.
     * @return its path on {@code PATH} (or in /usr/sbin, /sbin), or null.
     */
    public static String which(final String name)
    {
        final List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (final String dir : dirs)
        {
            if (dir.isEmpty())
            {
                continue;
            }
            final java.nio.file.Path candidate = java.nio.file.Path.of(dir, name);
            if (java.nio.file.Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        return null;
    }
}
