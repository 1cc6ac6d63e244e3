package org.oobnet.udp.frag;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.ReassemblyConfig;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.frame.UdpDropCounters;
import org.oobnet.udp.frame.UdpFrameBuilder;
import org.oobnet.udp.frame.UdpFrameParser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4ReassemblerTest
{
    private static final int MTU = 1500;
    private static final long TIMEOUT_NS = 5_000_000L;

    private final UdpDropCounters drops = new UdpDropCounters();
    private final Ipv4Reassembler reassembler = new Ipv4Reassembler(new ReassemblyConfig(4, 65535, 64, TIMEOUT_NS), drops);
    private final UdpFrameParser parser = new UdpFrameParser(true);
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final UdpFrameBuilder builder = new UdpFrameBuilder()
        .macs(0x0200_0000_0001L, 0x0200_0000_0002L)
        .source(Ipv4Flyweight.parseAddress("10.251.0.1"), 4000)
        .destination(Ipv4Flyweight.parseAddress("10.251.0.2"), 5000)
        .dontFragment(false);

    @Test
    void shouldDeliverExactBytesWhenFragmentsArriveInAnyOrder()
    {
        for (final int size : new int[]{ 1473, 2000, 9000, 60_000, 65_507 })
        {
            final byte[] payload = payload(size, size);
            final UnsafeBuffer[] fragments = fragments(payload, 0x1234);
            final Random random = new Random(size);
            shuffle(fragments, random);
            DropReason last = DropReason.NONE;
            int completed = -1;
            for (int i = 0; i < fragments.length; i++)
            {
                completed = take(fragments[i]);
                assertEquals(i == fragments.length - 1, completed >= 0, "size=" + size + " fragment " + i);
            }
            assertEquals(DropReason.NONE, parser.parse(reassembler.buffer(), reassembler.frameOffset(completed),
                reassembler.frameLength(completed), reassembler.verifiable(completed)), "size=" + size);
            final byte[] received = new byte[parser.payloadLength()];
            reassembler.buffer().getBytes(parser.payloadOffset(), received);
            assertArrayEquals(payload, received, "size=" + size);
            assertEquals(5000, parser.dstPort());
            reassembler.release(completed);
            assertEquals(DropReason.NONE, last);
        }
        assertEquals(0, reassembler.active());
        assertEquals(0, drops.totalDrops(), drops.toString());
        assertEquals(5, reassembler.datagramsReassembled());
    }

    @Test
    void shouldKeepDatagramWhenFragmentIsDuplicated()
    {
        final UnsafeBuffer[] fragments = fragments(payload(4000, 1), 7);

        assertEquals(Ipv4Reassembler.NOT_COMPLETE, take(fragments[0]));
        assertEquals(Ipv4Reassembler.NOT_COMPLETE, take(fragments[0]));
        assertEquals(Ipv4Reassembler.NOT_COMPLETE, take(fragments[1]));
        assertTrue(take(fragments[2]) >= 0);

        assertEquals(1, drops.drops(DropReason.FRAG_DUPLICATE));
        assertEquals(1, drops.totalDrops());
    }

    @Test
    void shouldDropWholeDatagramWhenFragmentsOverlap()
    {
        final UnsafeBuffer[] fragments = fragments(payload(4000, 2), 8);
        final UnsafeBuffer overlapping = copy(fragments[1]);
        final Ipv4Flyweight ip = new Ipv4Flyweight().wrap(overlapping, 14);
        // the second fragment moved 8 bytes back: it overlaps the first one's tail
        ip.flagsAndFragmentOffset(ip.flagsAndFragmentOffset() - 1).updateChecksum();

        take(fragments[0]);
        assertEquals(Ipv4Reassembler.NOT_COMPLETE, take(overlapping));
        assertEquals(0, reassembler.active(), "the datagram is gone");
        // the rest of it starts a new datagram that never completes
        assertEquals(Ipv4Reassembler.NOT_COMPLETE, take(fragments[1]));
        assertEquals(Ipv4Reassembler.NOT_COMPLETE, take(fragments[2]));

        assertEquals(1, drops.drops(DropReason.FRAG_OVERLAP));
    }

    @Test
    void shouldDropWholeDatagramWhenOffsetsAreBad()
    {
        final UnsafeBuffer[] fragments = fragments(payload(4000, 3), 9);
        // a middle fragment whose length is not a multiple of 8
        final UnsafeBuffer odd = copy(fragments[1]);
        new Ipv4Flyweight().wrap(odd, 14).totalLength(20 + 1477).updateChecksum();
        take(fragments[0]);
        assertEquals(Ipv4Reassembler.NOT_COMPLETE, take(odd));
        assertEquals(0, reassembler.active());

        // a fragment past the last one's end
        take(fragments[2]);
        final UnsafeBuffer beyond = copy(fragments[1]);
        new Ipv4Flyweight().wrap(beyond, 14).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MF | 8000 / 8).updateChecksum();
        assertEquals(Ipv4Reassembler.NOT_COMPLETE, take(beyond));
        assertEquals(0, reassembler.active());

        assertEquals(2, drops.drops(DropReason.FRAG_BAD_OFFSET));
    }

    @Test
    void shouldDropWhenDatagramWouldPassTheIpv4Limit()
    {
        final UnsafeBuffer[] fragments = fragments(payload(4000, 4), 10);
        final UnsafeBuffer huge = copy(fragments[1]);
        new Ipv4Flyweight().wrap(huge, 14).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MF | 0x1FFF).updateChecksum();

        take(fragments[0]);
        assertEquals(Ipv4Reassembler.NOT_COMPLETE, take(huge));

        assertEquals(1, drops.drops(DropReason.FRAG_TOO_BIG));
        assertEquals(0, reassembler.active());
    }

    @Test
    void shouldDropWhenDatagramHasTooManyFragments()
    {
        final Ipv4Reassembler few = new Ipv4Reassembler(new ReassemblyConfig(1, 65535, 2, TIMEOUT_NS), drops);
        final UnsafeBuffer[] fragments = fragments(payload(4000, 5), 11);

        for (final UnsafeBuffer fragment : fragments)
        {
            assertEquals(DropReason.FRAGMENT, parser.parse(fragment, 0, fragment.capacity()));
            assertEquals(Ipv4Reassembler.NOT_COMPLETE, few.onFragment(fragment, 0, parser, true));
        }

        assertEquals(1, drops.drops(DropReason.FRAG_TOO_MANY));
    }

    @Test
    void shouldCountTimeoutWhenAFragmentNeverArrives()
    {
        final UnsafeBuffer[] fragments = fragments(payload(4000, 6), 12);
        reassembler.expire(1_000L);
        take(fragments[0]);
        take(fragments[2]);

        assertEquals(0, reassembler.expire(1_000L + TIMEOUT_NS - 1));
        assertEquals(1, reassembler.expire(1_000L + TIMEOUT_NS + 1));

        assertEquals(1, drops.drops(DropReason.FRAG_TIMEOUT));
        assertEquals(0, reassembler.active());
    }

    @Test
    void shouldDropNewDatagramsWhenEverySlotIsTaken()
    {
        for (int id = 0; id < 5; id++)
        {
            take(fragments(payload(3000, id), id)[0]);
        }

        assertEquals(4, reassembler.active());
        assertEquals(1, drops.drops(DropReason.FRAG_NO_SLOT));
        assertEquals(4 * (78 + 65515), reassembler.memoryBytes());
    }

    private int take(final UnsafeBuffer fragment)
    {
        assertEquals(DropReason.FRAGMENT, parser.parse(fragment, 0, fragment.capacity()));
        return reassembler.onFragment(fragment, 0, parser, true);
    }

    private UnsafeBuffer[] fragments(final byte[] payload, final int id)
    {
        final int length = builder.write(fragmenter.datagram(), 0, new UnsafeBuffer(payload), 0, payload.length);
        new Ipv4Flyweight().wrap(fragmenter.datagram(), 14).id(id);
        final int chunk = Ipv4Fragmenter.fragmentPayloadBytes(MTU, 20);
        final UnsafeBuffer[] fragments = new UnsafeBuffer[Ipv4Fragmenter.fragmentCount(length - 14 - 20, chunk)];
        for (int i = 0; i < fragments.length; i++)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[14 + MTU]);
            final int frameLength = fragmenter.writeFragment(fragmenter.datagram(), 0, 14, i, chunk, frame, 0);
            fragments[i] = new UnsafeBuffer(frame, 0, frameLength);
        }
        return fragments;
    }

    private static UnsafeBuffer copy(final UnsafeBuffer frame)
    {
        final byte[] bytes = new byte[frame.capacity()];
        frame.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }

    static byte[] payload(final int size, final int seed)
    {
        final byte[] payload = new byte[size];
        new Random(seed).nextBytes(payload);
        return payload;
    }

    private static void shuffle(final UnsafeBuffer[] frames, final Random random)
    {
        for (int i = frames.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final UnsafeBuffer t = frames[i];
            frames[i] = frames[j];
            frames[j] = t;
        }
    }
}
