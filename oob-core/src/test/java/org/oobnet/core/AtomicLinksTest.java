package org.oobnet.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After {@link AtomicLinks#link()} the first call of a JDK atomic array's access mode allocates nothing; without it,
 * the same first call links its {@code VarHandle} site and allocates (the control, so that the test can fail). Each
 * runs {@link AtomicLinksMain} in a fresh JVM.
 */
class AtomicLinksTest
{
    @Test
    void shouldNotAllocateAtTheFirstAtomicAccessWhenLinkedFirst() throws IOException, InterruptedException
    {
        assertEquals(0L, allocated("link"));
    }

    @Test
    void shouldAllocateAtTheFirstAtomicAccessWhenNotLinked() throws IOException, InterruptedException
    {
        assertTrue(allocated("none") > 0);
    }

    private static long allocated(final String mode) throws IOException, InterruptedException
    {
        final Process child = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), AtomicLinksMain.class.getName(), mode))
            .redirectErrorStream(true)
            .start();
        child.getOutputStream().close();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, child.exitValue(), output);
        return Long.parseLong(output.lines().filter(line -> line.startsWith("ALLOCATED ")).findFirst()
            .orElseThrow(() -> new AssertionError("no ALLOCATED line: " + output)).substring("ALLOCATED ".length())
            .trim());
    }
}
