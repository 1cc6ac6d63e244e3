package org.oobnet.harness.bench.floor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.oobnet.netns.IpCommand;

/**
 * The C floor program ({@code src/main/c/floor.c}, shipped in the jar as {@code floor/floor.c}), compiled with the
 * system's C compiler at run time into a cache directory: {@code $XDG_CACHE_HOME/oobnet/floor} (else
 * {@code ~/.cache/oobnet/floor}; the system property {@value #CACHE_PROPERTY} names another), one binary per source and flags digest, so that a changed source is rebuilt and
 * an unchanged one is not. Where no compiler exists the program is unavailable, with the reason.
 * <p>
 * The compiler is the system property {@value #COMPILER_PROPERTY}, else the environment variable
 * {@value #COMPILER_ENV}, else {@code cc}: a name looked up on {@code PATH} or a path.
 * <p>
 * <b>Note:</b> in-band only; concurrent builds are safe (each compiles to its own file and renames it into place).
 */
public final class FloorProgram
{
    /** System property naming the C compiler. */
    public static final String COMPILER_PROPERTY = "oobnet.cc";
    /** Environment variable naming the C compiler. */
    public static final String COMPILER_ENV = "OOBNET_CC";
    /** System property naming the cache directory (else the XDG cache directory). */
    public static final String CACHE_PROPERTY = "oobnet.floor.cache";
    /** The flags: the source must build without a warning under them. */
    public static final List<String> FLAGS = List.of("-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2", "-pthread");

    private static final String SOURCE = "/floor/floor.c";
    private static final long COMPILE_TIMEOUT_MS = 60_000;

    private final Path binary;
    private final String unavailable;

    private FloorProgram(final Path binary, final String unavailable)
    {
        this.binary = binary;
        this.unavailable = unavailable;
    }

    /**
     * Finds the cached binary or builds it.
     *
     * @return the program, or an unavailable one saying why (no compiler, or the compiler failed).
     */
    public static FloorProgram build()
    {
        return build(compilerName(), cacheDirectory());
    }

    /**
     * @param compiler a compiler's name (looked up on {@code PATH}) or path.
     * @param cache    the cache directory.
     * @return the program, or an unavailable one saying why.
     */
    public static FloorProgram build(final String compiler, final Path cache)
    {
        final byte[] source;
        try (InputStream in = FloorProgram.class.getResourceAsStream(SOURCE))
        {
            if (in == null)
            {
                return new FloorProgram(null, "source " + SOURCE + " is not on the class path");
            }
            source = in.readAllBytes();
        }
        catch (final IOException ex)
        {
            return new FloorProgram(null, "cannot read " + SOURCE + ": " + ex.getMessage());
        }
        final Path binary = cache.resolve("floor-" + digest(source));
        if (Files.isExecutable(binary))
        {
            return new FloorProgram(binary, null);
        }
        final String cc = compiler.contains("/") ? (Files.isExecutable(Path.of(compiler)) ? compiler : null)
            : IpCommand.which(compiler);
        if (cc == null)
        {
            return new FloorProgram(null, "no C compiler: " + compiler + " not found (" + COMPILER_ENV +
                " or -D" + COMPILER_PROPERTY + " names another)");
        }
        try
        {
            return new FloorProgram(compile(cc, source, cache, binary), null);
        }
        catch (final IOException ex)
        {
            return new FloorProgram(null, ex.getMessage());
        }
    }

    private static Path compile(final String cc, final byte[] source, final Path cache, final Path binary)
        throws IOException
    {
        Files.createDirectories(cache);
        final Path work = Files.createTempDirectory(cache, "build-");
        try
        {
            final Path c = work.resolve("floor.c");
            Files.write(c, source);
            final Path built = work.resolve("floor");
            final List<String> command = new ArrayList<>(List.of(cc));
            command.addAll(FLAGS);
            command.addAll(List.of("-o", built.toString(), c.toString()));
            final IpCommand.Result result = IpCommand.tryExec(command, COMPILE_TIMEOUT_MS);
            if (result.exitCode() != 0)
            {
                throw new IOException("C compiler " + cc + " failed (exit " + result.exitCode() + "): " +
                    tail(result.output()));
            }
            try
            {
                Files.move(built, binary, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(built, binary, StandardCopyOption.REPLACE_EXISTING);
            }
            return binary;
        }
        finally
        {
            deleteTree(work);
        }
    }

    /**
     * @return whether the binary exists (else {@link #unavailableReason()} says why).
     */
    public boolean isAvailable()
    {
        return binary != null;
    }

    /**
     * @return the binary's path, or null when unavailable.
     */
    public Path binary()
    {
        return binary;
    }

    /**
     * @return why there is no binary, or null when there is one.
     */
    public String unavailableReason()
    {
        return unavailable;
    }

    private static String compilerName()
    {
        final String property = System.getProperty(COMPILER_PROPERTY);
        if (property != null && !property.isBlank())
        {
            return property.trim();
        }
        final String env = System.getenv(COMPILER_ENV);
        return env != null && !env.isBlank() ? env.trim() : "cc";
    }

    private static Path cacheDirectory()
    {
        final String property = System.getProperty(CACHE_PROPERTY);
        if (property != null && !property.isBlank())
        {
            return Path.of(property.trim());
        }
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("oobnet").resolve("floor");
    }

    private static String digest(final byte[] source)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source);
            // the flags are part of what was built: new flags, new binary
            sha.update(String.join(" ", FLAGS).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every JDK", ex);
        }
    }

    private static String tail(final String output)
    {
        final String trimmed = output.strip().replace('\n', ' ');
        return trimmed.length() <= 400 ? trimmed : "..." + trimmed.substring(trimmed.length() - 400);
    }

    private static void deleteTree(final Path dir)
    {
        try (var files = Files.list(dir))
        {
            for (final Path f : files.toList())
            {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
        catch (final IOException ignored)
        {
            // a left-over build directory in the cache is harmless
        }
    }
}
