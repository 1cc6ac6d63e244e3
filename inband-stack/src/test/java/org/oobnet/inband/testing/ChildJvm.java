package org.oobnet.inband.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a test's {@code main} class in a fresh JVM (the test's class path, the two flags every oobnet JVM needs) and
 * reads the numbers it prints: for what happens once per JVM (a call site's first link, a class's first load) or
 * only in one compilation mode ({@code -Xint}), which the test's own JVM has long since passed.
 * <p>
 * <b>Note:</b> stateless; fails the calling test (JUnit assertions) when the child does not end well.
 */
public final class ChildJvm
{
    private static final long TIMEOUT_S = 120;

    private ChildJvm()
    {
    }

    /**
     * Runs {@code main} to its end.
     *
     * @param jvmFlags extra JVM flags, e.g. {@code -Xint}.
     * @param main     the class whose {@code main} runs.
     * @param args     its arguments.
     * @return what it printed (standard output and error).
     * @throws IOException          when the JVM cannot be started.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static String run(final List<String> jvmFlags, final Class<?> main, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-opens",
            "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        child.getOutputStream().close();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(TIMEOUT_S, TimeUnit.SECONDS), output);
        assertEquals(0, child.exitValue(), output);
        return output;
    }

    /**
     * The number on the first line that starts with {@code prefix}, e.g. {@code ALLOCATED 0}.
     *
     * @param output what the child printed.
     * @param prefix the line's start, with its separating space.
     * @return the number after it.
     */
    public static long value(final String output, final String prefix)
    {
        return Long.parseLong(output.lines().filter(line -> line.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no " + prefix + "line: " + output)).substring(prefix.length())
            .trim());
    }
}
