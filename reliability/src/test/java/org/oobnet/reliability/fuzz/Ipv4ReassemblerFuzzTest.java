package org.oobnet.reliability.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.ReassemblyConfig;
import org.oobnet.udp.frag.Ipv4Fragmenter;
import org.oobnet.udp.frag.Ipv4Reassembler;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.frame.UdpDropCounters;
import org.oobnet.udp.frame.UdpFrameBuilder;
import org.oobnet.udp.frame.UdpFrameParser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes oob-udp's IPv4 reassembly ({@link Ipv4Reassembler}) as {@code PacketPort} feeds it: fragments the parser
 * accepted as such. Random, overlapping, duplicate and truncated fragments of a few datagrams with colliding
 * identifications, and clock jumps: nothing throws, the busy slots never pass the limit, the memory stays what was
 * allocated at start, a completed datagram lies inside that memory; genuine fragments in any order, duplicated,
 * give back the exact datagram.
 */
class Ipv4ReassemblerFuzzTest
{
    private static final int SLOTS = 4;
    private static final int SLOT_BYTES = 4096;
    private static final int MAX_FRAGMENTS = 8;
    private static final long TIMEOUT_NS = 1_000_000L;

    private final UdpFrameParser parser = new UdpFrameParser(true);
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final UdpFrameBuilder builder = new UdpFrameBuilder()
        .macs(0x0200_0000_0001L, 0x0200_0000_0002L)
        .source(Ipv4Flyweight.parseAddress("10.251.0.1"), 4000)
        .destination(Ipv4Flyweight.parseAddress("10.251.0.2"), 5000)
        .dontFragment(false);

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldStayWithinItsMemoryWhenFragmentsAreArbitrary(final FuzzedDataProvider data)
    {
        final UdpDropCounters drops = new UdpDropCounters();
        final Ipv4Reassembler reassembler =
            new Ipv4Reassembler(new ReassemblyConfig(SLOTS, SLOT_BYTES, MAX_FRAGMENTS, TIMEOUT_NS), drops);
        final int memory = reassembler.memoryBytes();
        final List<UnsafeBuffer> sent = new ArrayList<>();
        long nowNs = 0;
        reassembler.expire(nowNs);
        int taken = 0;
        while (data.remainingBytes() > 0)
        {
            final UnsafeBuffer frame;
            switch (data.consumeInt(0, 4))
            {
                case 0 ->
                {
                    // a genuine fragment of a datagram, cut at an 8-byte multiple
                    final byte[] payload = data.consumeBytes(data.consumeInt(0, SLOT_BYTES));
                    frame = genuine(payload, data.consumeInt(0, 3), data.consumeInt(1, 200) * 8,
                        data.consumeInt(0, 60));
                }
                case 1 ->
                {
                    // a fragment with every fragment field arbitrary, checksum made right
                    frame = arbitrary(data.consumeInt(0, 3), data.consumeShort(), data.consumeInt(0, 3000));
                }
                case 2 ->
                {
                    // a copy of one already sent (duplicate)
                    frame = sent.isEmpty() ? null : sent.get(data.consumeInt(0, sent.size() - 1));
                }
                case 3 ->
                {
                    // a truncated copy: the frame holds fewer bytes than its header says
                    final UnsafeBuffer whole = sent.isEmpty() ? null : sent.get(data.consumeInt(0, sent.size() - 1));
                    frame = null == whole ? null : new UnsafeBuffer(whole, 0, data.consumeInt(0, whole.capacity()));
                }
                default ->
                {
                    nowNs += data.consumeLong(0, 3 * TIMEOUT_NS);
                    reassembler.expire(nowNs);
                    frame = null;
                }
            }
            if (null == frame)
            {
                continue;
            }
            sent.add(frame);
            if (DropReason.FRAGMENT != parser.parse(frame, 0, frame.capacity()))
            {
                continue;
            }
            taken++;
            final int slot = reassembler.onFragment(frame, 0, parser, true);
            assertTrue(reassembler.active() <= SLOTS, "active=" + reassembler.active());
            assertEquals(memory, reassembler.memoryBytes(), "memory grew");
            if (Ipv4Reassembler.NOT_COMPLETE != slot)
            {
                final int offset = reassembler.frameOffset(slot);
                final int length = reassembler.frameLength(slot);
                assertTrue(offset >= 0 && length > 0 && offset + length <= memory,
                    "datagram offset=" + offset + " length=" + length + " memory=" + memory);
                // the datagram is a frame again: the parser classifies it like any other (not a fragment)
                assertTrue(DropReason.FRAGMENT != parser.parse(reassembler.buffer(), offset, length));
                reassembler.release(slot);
            }
        }
        assertEquals(taken, reassembler.fragmentsTaken());
    }

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldRebuildTheDatagramWhenItsFragmentsComeShuffledAndDuplicated(final FuzzedDataProvider data)
    {
        final UdpDropCounters drops = new UdpDropCounters();
        final Ipv4Reassembler reassembler =
            new Ipv4Reassembler(new ReassemblyConfig(SLOTS, SLOT_BYTES, 64, TIMEOUT_NS), drops);
        final int chunk = data.consumeInt(8, 64) * 8;
        // at least a chunk: two fragments or more
        final int size = data.consumeInt(chunk, SLOT_BYTES - 28);
        final byte[] payload = Arrays.copyOf(data.consumeBytes(size), size);
        final int datagramLength = builder.write(fragmenter.datagram(), 0, new UnsafeBuffer(payload), 0, payload.length);
        final int count = Ipv4Fragmenter.fragmentCount(datagramLength - 34, chunk);
        final List<UnsafeBuffer> fragments = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            fragments.add(cut(i, chunk));
        }
        // shuffled, then duplicates of earlier ones inserted before the last fragment fed
        final List<UnsafeBuffer> order = new ArrayList<>();
        while (!fragments.isEmpty())
        {
            order.add(fragments.remove(data.consumeInt(0, fragments.size() - 1)));
        }
        int duplicates = 0;
        while (order.size() > 1 && data.remainingBytes() > 0 && duplicates < 16)
        {
            order.add(data.consumeInt(1, order.size() - 1), order.get(data.consumeInt(0, order.size() - 2)));
            duplicates++;
        }
        int completed = Ipv4Reassembler.NOT_COMPLETE;
        for (int i = 0; i < order.size(); i++)
        {
            assertEquals(Ipv4Reassembler.NOT_COMPLETE, completed, "complete before its last fragment");
            final UnsafeBuffer fragment = order.get(i);
            assertEquals(DropReason.FRAGMENT, parser.parse(fragment, 0, fragment.capacity()));
            completed = reassembler.onFragment(fragment, 0, parser, true);
        }

        assertTrue(completed >= 0, "completed");
        assertEquals(DropReason.NONE, parser.parse(reassembler.buffer(), reassembler.frameOffset(completed),
            reassembler.frameLength(completed)));
        final byte[] received = new byte[parser.payloadLength()];
        reassembler.buffer().getBytes(parser.payloadOffset(), received);
        assertArrayEquals(payload, received);
        assertEquals(duplicates, drops.drops(DropReason.FRAG_DUPLICATE));
        assertEquals(duplicates, drops.totalDrops());
    }

    private UnsafeBuffer genuine(final byte[] payload, final int id, final int chunk, final int index)
    {
        final int length = builder.write(fragmenter.datagram(), 0, new UnsafeBuffer(payload), 0, payload.length);
        ip.wrap(fragmenter.datagram(), 14).id(id);
        final int count = Ipv4Fragmenter.fragmentCount(length - 34, chunk);
        return cut(Math.min(index, count - 1), chunk);
    }

    private UnsafeBuffer cut(final int index, final int chunk)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[14 + 20 + chunk]);
        return new UnsafeBuffer(frame, 0, fragmenter.writeFragment(fragmenter.datagram(), 0, 14, index, chunk, frame, 0));
    }

    private UnsafeBuffer arbitrary(final int id, final short flagsAndOffset, final int payloadLength)
    {
        final byte[] payload = new byte[payloadLength];
        builder.write(fragmenter.datagram(), 0, new UnsafeBuffer(payload), 0, payloadLength);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[14 + 28 + payloadLength]);
        frame.putBytes(0, fragmenter.datagram(), 0, frame.capacity());
        ip.wrap(frame, 14).id(id).flagsAndFragmentOffset(flagsAndOffset & 0xFFFF).updateChecksum();
        return frame;
    }
}
