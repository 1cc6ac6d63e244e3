package org.oobnet.packet.ring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stage's first claim and commit on a TX ring allocate nothing: the ring links what would otherwise link on the
 * stage (the header's status {@code VarHandle} accesses) when it is built, in-band. Runs {@link TxRingFirstCallMain}
 * in a fresh JVM, since a call site links once per JVM.
 */
class TxRingFirstCallAllocationTest
{
    @Test
    void shouldNotAllocateOnTheFirstClaimAndCommit() throws IOException, InterruptedException
    {
        final Process child = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), TxRingFirstCallMain.class.getName()))
            .redirectErrorStream(true)
            .start();
        child.getOutputStream().close();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, child.exitValue(), output);
        final String first = output.lines().filter(line -> line.startsWith("FIRST ")).findFirst().orElseThrow(
            () -> new AssertionError("no FIRST line: " + output));
        assertEquals(0L, Long.parseLong(first.substring("FIRST ".length()).trim()), output);
    }
}
