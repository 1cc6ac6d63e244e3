package org.oobnet.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM started without one of oobnet's JVM flags gets one line naming it from {@link OobRuntime#start},
 * before FFM or Agrona fail with their own traces; with both flags the runtime starts and stops.
 */
class RequiredJvmFlagsTest
{
    private static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    private static final String[] OPENS = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"};
    private static final String ADVICE = ": add it to the java command line (Maven Surefire: <argLine>; see " +
        "docs/getting-started.md)\n";

    @TempDir
    Path dir;

    @Test
    void shouldNameTheMissingNativeAccessFlag() throws Exception
    {
        final Result result = startRuntimeIn(List.of(OPENS));
        assertEquals(1, result.exit(), result.output());
        assertEquals("Exception in thread \"main\" org.oobnet.core.MissingJvmFlagException: oobnet: the JVM lacks " +
            "--enable-native-access=ALL-UNNAMED" + ADVICE, result.output());
    }

    @Test
    void shouldNameTheMissingAddOpensFlag() throws Exception
    {
        final Result result = startRuntimeIn(List.of(NATIVE));
        assertEquals(1, result.exit(), result.output());
        assertEquals("Exception in thread \"main\" org.oobnet.core.MissingJvmFlagException: oobnet: the JVM lacks " +
            "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED" + ADVICE, result.output());
    }

    @Test
    void shouldNameBothWhenBothAreMissing() throws Exception
    {
        final Result result = startRuntimeIn(List.of());
        assertEquals(1, result.exit(), result.output());
        assertEquals("Exception in thread \"main\" org.oobnet.core.MissingJvmFlagException: oobnet: the JVM lacks " +
            "--enable-native-access=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED" + ADVICE,
            result.output());
    }

    @Test
    void shouldStartWithBothFlags() throws Exception
    {
        final List<String> flags = new ArrayList<>(List.of(OPENS));
        flags.add(NATIVE);
        final Result result = startRuntimeIn(flags);
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("started and closed\n"), result.output());
        assertEquals("", RequiredJvmFlags.missing(), "this test's own JVM has both flags (the parent pom's argLine)");
    }

    private Result startRuntimeIn(final List<String> flags) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StartRuntime.class.getName(),
            dir.toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        return new Result(process.exitValue(), output);
    }

    private record Result(int exit, String output)
    {
    }

    /** The child JVM: starts a runtime as an application would, then closes it. */
    static final class StartRuntime
    {
        public static void main(final String[] args)
        {
            final OobConfig config = OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(Path.of(args[0]))
                .countersValuesBytes(1024 * 128)
                .errorLogBytes(4096)
                .build();
            try (OobRuntime runtime = OobRuntime.start(config))
            {
                System.out.println("started and closed");
            }
        }
    }
}
