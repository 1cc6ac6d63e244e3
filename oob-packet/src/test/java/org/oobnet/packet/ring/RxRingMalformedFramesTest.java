package org.oobnet.packet.ring;

import org.junit.jupiter.api.Test;
import org.oobnet.packet.frame.Tpacket2HeaderFlyweight;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The RX ring consumer's input validation, over frame headers no healthy kernel writes (veth pads runts to an
 * Ethernet header, so the real-kernel tests cannot make them): seeded random {@code tp_snaplen}, {@code tp_len}
 * and {@code tp_mac}. Whatever the header says, no view reaches outside its frame, runts and truncated frames
 * are counted and dropped, and every frame goes back to the kernel.
 */
class RxRingMalformedFramesTest
{
    @Test
    void shouldCountAndDropMalformedFramesWithoutReadingOutsideTheirSlot()
    {
        final long seed = Long.getLong("oobnet.seed", System.nanoTime());
        System.out.println("RxRingMalformedFramesTest seed=" + seed);
        final Random random = new Random(seed);
        final RingGeometry geometry = RingGeometry.of(512, 32, 4096, 4096);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ring = arena.allocate(geometry.ringBytes(), 4096);
            final PacketCounters counters = new PacketCounters();
            final RxRing rx = new RxRing(ring, geometry, counters);
            long runts = 0;
            long truncated = 0;
            long delivered = 0;
            final long[] seen = new long[1];

            for (int round = 0; round < 2_000; round++)
            {
                final int frames = 1 + random.nextInt(geometry.frameCount());
                for (int i = 0; i < frames; i++)
                {
                    final long frame = geometry.frameOffset((rx.index() + i) % geometry.frameCount());
                    final int kind = random.nextInt(8);
                    final int snaplen = kind < 2 ? random.nextInt(14) :
                        kind == 2 ? Integer.MAX_VALUE - random.nextInt(100) : random.nextInt(600);
                    final int len = random.nextInt(3) == 0 && snaplen < 1_000 ? snaplen + 1 + random.nextInt(100) :
                        snaplen;
                    final int mac = random.nextInt(4) == 0 ? random.nextInt(512) : RingGeometry.RX_MAC_OFFSET;
                    ring.set(ValueLayout.JAVA_INT, frame + Tpacket2HeaderFlyweight.SNAPLEN_OFFSET, snaplen);
                    ring.set(ValueLayout.JAVA_INT, frame + Tpacket2HeaderFlyweight.LEN_OFFSET, len);
                    ring.set(ValueLayout.JAVA_SHORT, frame + Tpacket2HeaderFlyweight.MAC_OFFSET, (short)mac);
                    ring.set(ValueLayout.JAVA_INT, frame + Tpacket2HeaderFlyweight.STATUS_OFFSET,
                        Tpacket2HeaderFlyweight.TP_STATUS_USER);
                    if (snaplen < 14)
                    {
                        runts++;
                    }
                    else if (snaplen < len || (long)mac + snaplen > geometry.frameSize())
                    {
                        truncated++;
                    }
                    else
                    {
                        delivered++;
                    }
                }
                final long frameStart = ring.address();
                final long ringEnd = frameStart + geometry.ringBytes();
                assertEquals(frames, rx.poll((buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex) ->
                {
                    final long start = buffer.addressOffset() + offset;
                    assertTrue(length >= 14 && length == buffer.capacity());
                    assertTrue(start >= frameStart && start + length <= ringEnd, "view inside the ring");
                    final long slot = (start - frameStart) / 4096 * 4096 +
                        (start - frameStart) % 4096 / geometry.frameSize() * geometry.frameSize();
                    assertTrue(start + length <= frameStart + slot + geometry.frameSize(), "view inside its frame");
                    seen[0]++;
                }, geometry.frameCount()), "seed=" + seed + " round=" + round);
                for (int i = 0; i < geometry.frameCount(); i++)
                {
                    assertEquals(Tpacket2HeaderFlyweight.TP_STATUS_KERNEL,
                        ring.get(ValueLayout.JAVA_INT, geometry.frameOffset(i)), "every frame back to the kernel");
                }
            }
            assertEquals(runts, counters.get(PacketCounter.RUNTS), "seed=" + seed);
            assertEquals(truncated, counters.get(PacketCounter.TRUNCATED), "seed=" + seed);
            assertEquals(delivered, counters.get(PacketCounter.FRAMES_IN), "seed=" + seed);
            assertEquals(delivered, seen[0]);
            assertTrue(runts > 100 && truncated > 100 && delivered > 100);
        }
    }
}
