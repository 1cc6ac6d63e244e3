package org.oobnet.harness.soak;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.oobnet.netns.testing.Privileges;
import org.oobnet.udp.frame.DropReason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak's short variant in the suite: 60 s of traffic on the AF_OOB bus, oob-packet and oob-udp (both transports,
 * and multicast with its receiver leaving and joining the group under traffic, in child JVMs) between two namespaces with every kind of fault (socket churn, a stalled receiver, ring-overflowing bursts, the receiving link down and
 * up, the veth pair deleted and recreated) injected at least twice; the books of each stream balance exactly and
 * resources are back, and no JVM's stages allocated after their warm-up; once with one stage, once with two (the raw packet sockets on their own stage). The table is
 * printed to the test's output.
 */
class SoakRunTest
{
    @Test
    @Timeout(180)
    void shouldAccountForEveryMessageAndLeakNothingWhenFaultsAreInjected() throws Exception
    {
        soak(1);
    }

    // the same with two stages: the bus on "main", the raw packet sockets on "wire" (pair five's interfaces)
    @Test
    @Timeout(180)
    void shouldAccountForEveryMessageWithTwoStagesWhenFaultsAreInjected() throws Exception
    {
        soak(2);
    }

    private static void soak(final int stages) throws Exception
    {
        Privileges.requireNetworkPrivileges("the soak (namespaces, veth, AF_PACKET)");
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final SoakRun run = new SoakRun(60_000_000_000L, 1000, new PrintStream(progress, true, StandardCharsets.UTF_8))
            .stages(stages);
        final boolean passed = run.run();
        final String table = SoakTable.render(run, "60s", 1000);
        System.out.println(progress.toString(StandardCharsets.UTF_8) + table);

        assertTrue(passed, table);
        for (final StreamLedger stream : run.streams())
        {
            assertEquals(0, stream.unaccounted(), stream.name + ": " + table);
            assertTrue(stream.received > 30_000, stream.name + ": traffic flowed: " + table);
        }
        assertTrue(run.ledgers().mold.notes.getOrDefault("line B packets dropped by the publisher's seeded schedule", 0L) > 0,
            "the feed's line B lost packets: " + table);
        // the multicast stream's receiver left and joined under traffic, and B's port counted what came meanwhile
        assertTrue(run.ledgers().udpMcast.notes.getOrDefault(
            "times the receiver left the group and joined it again under traffic", 0L) >= 60, table);
        assertTrue(run.ledgers().udpMcast.drops.getOrDefault("receiver: " + DropReason.NOT_JOINED.label(), 0L) > 0, table);
        assertEquals(5, run.faultCounts().size(), "every chosen kind of fault injected: " + table);
        // every JVM's stages measured after their warm-up, and none allocated (issue 14 item 4)
        assertEquals(List.of("moldudp64 receiver", "soak JVM (bus, raw packet)", "udp receiver children",
            "udp sender children"), List.copyOf(run.ledgers().stageAllocation.keySet()), table);
        run.ledgers().stageAllocation.forEach((who, bytes) -> assertEquals(0L, bytes, who + ": " + table));
        assertTrue(table.contains("\nstage allocation after warm-up: moldudp64 receiver "), table);
        assertTrue(table.contains("\nstage allocation verdict: PASSED (0 B in every JVM measured)\n"), table);
        assertTrue(table.contains("\nPASSED: "), table);
    }
}
