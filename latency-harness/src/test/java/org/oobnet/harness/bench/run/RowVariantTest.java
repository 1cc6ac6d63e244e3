package org.oobnet.harness.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.harness.env.ChildJvm;

/**
 * A comparison's variant rows: the label names the variant, the flags reach the child JVMs after the profile's (so
 * they win), and a floor row, which runs no JVM, has none.
 */
class RowVariantTest
{
    @Test
    void shouldLabelAVariantAndPutItsFlagsLastBeforeTheClassPath()
    {
        final RowSpec row = RowSpec.parse("packet", true).variant("quiet", List.of("-XX:-UsePerfData"));
        assertEquals("packet-oob-quiet", row.label());
        assertEquals(List.of("-XX:-UsePerfData"), row.jvmFlags());
        assertEquals(row.onStage(), RowSpec.parse("packet", true).onStage());

        final List<String> command = ChildJvm.withFlags(
            ChildJvm.command(List.of(), -1, true, List.of("latency", "packet")), row.jvmFlags());
        final int flag = command.indexOf("-XX:-UsePerfData");
        assertEquals(command.indexOf("-cp") - 1, flag, "just before the class path: " + command);
        assertEquals(true, command.indexOf("-XX:+PerfDisableSharedMem") < flag, "after the profile: " + command);
    }

    @Test
    void shouldRefuseAVariantOfAFloorRowAndFlagsForANativeCommand()
    {
        assertEquals("row=floor-raw runs no JVM: it has no variants", assertThrows(IllegalArgumentException.class,
            () -> RowSpec.parse("floor/raw", false).variant("x", List.of("-Dy"))).getMessage());
        assertEquals("not a child JVM's command (no -cp): [/bin/true]", assertThrows(IllegalArgumentException.class,
            () -> ChildJvm.withFlags(ChildJvm.nativeCommand(List.of(), -1, List.of("/bin/true")), List.of("-Dy")))
            .getMessage());
    }
}
