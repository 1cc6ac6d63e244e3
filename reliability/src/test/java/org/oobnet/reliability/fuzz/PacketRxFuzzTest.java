package org.oobnet.reliability.fuzz;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.packet.bpf.BpfFilterBuilder;
import org.oobnet.packet.bpf.BpfInterpreter;
import org.oobnet.packet.bpf.BpfProgram;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.packet.frame.Tpacket2HeaderFlyweight;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.ring.RingGeometry;
import org.oobnet.packet.ring.RxRing;
import org.oobnet.packet.stats.PacketCounters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes oob-packet's receive side: the TPACKET_V2 frame header fields of an RX slot ({@code tp_len},
 * {@code tp_snaplen}, {@code tp_mac}, status), the frame bytes behind them, the Ethernet/VLAN flyweight and the
 * BPF interpreter that re-checks the socket's filter. The slot lives in native memory made here (not a kernel
 * mapping) so that any header value can be written; the handler checks the view it is given lies inside the
 * slot before reading a byte of it, so an escape is an assertion failure and not a read of foreign memory.
 */
class PacketRxFuzzTest
{
    private static final int PAGE = 4096;
    private static final RingGeometry GEOMETRY = RingGeometry.of(2048, 4, PAGE, PAGE);
    private static final MemorySegment RING = Arena.global().allocate(GEOMETRY.ringBytes(), PAGE);
    private static final BpfProgram FILTER = BpfFilterBuilder.filter()
        .etherType(BpfFilterBuilder.ETH_P_IP).ipv4Destination(0x0afb_0001).udpDestinationPort(7000).build();

    private final PacketCounters counters = new PacketCounters();
    private final RxRing rx = new RxRing(RING, GEOMETRY, counters);
    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldHandOnlyViewsInsideTheSlotWhenFrameHeaderFieldsAreArbitrary(final FuzzedDataProvider data)
    {
        final int slot = rx.index();
        final long slotStart = RING.address() + GEOMETRY.frameOffset(slot);
        final long slotEnd = slotStart + GEOMETRY.frameSize();
        final MemorySegment frame = RING.asSlice(GEOMETRY.frameOffset(slot), GEOMETRY.frameSize());
        final int status = Tpacket2HeaderFlyweight.TP_STATUS_USER | (data.consumeInt() & ~1);
        final int len = data.consumeBoolean() ? data.consumeInt() : data.consumeInt(0, 2100);
        final int snaplen = data.consumeBoolean() ? data.consumeInt() : data.consumeInt(0, 2100);
        final short mac = data.consumeBoolean() ? data.consumeShort() : (short)data.consumeInt(0, 2100);
        final boolean verify = data.consumeBoolean();
        final byte[] bytes = data.consumeRemainingAsBytes();
        frame.fill((byte)0);
        MemorySegment.copy(bytes, 0, frame, ValueLayout.JAVA_BYTE, RingGeometry.RX_MAC_OFFSET,
            Math.min(bytes.length, GEOMETRY.frameSize() - RingGeometry.RX_MAC_OFFSET));
        frame.set(ValueLayout.JAVA_INT, Tpacket2HeaderFlyweight.LEN_OFFSET, len);
        frame.set(ValueLayout.JAVA_INT, Tpacket2HeaderFlyweight.SNAPLEN_OFFSET, snaplen);
        frame.set(ValueLayout.JAVA_SHORT, Tpacket2HeaderFlyweight.MAC_OFFSET, mac);
        frame.set(ValueLayout.JAVA_INT, Tpacket2HeaderFlyweight.STATUS_OFFSET, status);
        rx.verifyFilter(verify ? FILTER : null);

        final int[] delivered = new int[1];
        final PacketFrameHandler handler = (buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex) ->
        {
            final long viewStart = buffer.addressOffset() + offset;
            if (viewStart < slotStart || viewStart + length > slotEnd || length < 0)
            {
                fail("view outside its slot: start=" + (viewStart - slotStart) + " length=" + length +
                    " slot=" + GEOMETRY.frameSize() + " tp_len=" + len + " tp_snaplen=" + snaplen +
                    " tp_mac=" + (mac & 0xffff));
            }
            readEthernet(buffer, offset, length);
            delivered[0]++;
        };
        assertEquals(1, rx.poll(handler, 1));
        assertEquals(Tpacket2HeaderFlyweight.TP_STATUS_KERNEL,
            frame.get(ValueLayout.JAVA_INT, Tpacket2HeaderFlyweight.STATUS_OFFSET), "slot given back to the kernel");
        assertTrue(delivered[0] <= 1);
    }

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldNeverReadOutsideTheFrameWhenBpfRunsOnArbitraryFrames(final FuzzedDataProvider data)
    {
        final BpfFilterBuilder builder = BpfFilterBuilder.filter();
        if (data.consumeBoolean())
        {
            builder.vlan(data.consumeInt(0, 4095));
        }
        if (data.consumeBoolean())
        {
            builder.etherType(BpfFilterBuilder.ETH_P_IP);
            if (data.consumeBoolean())
            {
                builder.ipv4Destination(data.consumeInt());
            }
            if (data.consumeBoolean())
            {
                builder.udpDestinationPort(data.consumeInt(0, 65535));
            }
        }
        else if (data.consumeBoolean())
        {
            builder.multicastGroup(0xe000_0000 | data.consumeInt(0, 0x0fff_ffff));
        }
        final BpfProgram program = builder.build();
        final byte[] frame = data.consumeRemainingAsBytes();
        // exactly the frame's bytes: a read past them is an IndexOutOfBoundsException from the bounds check
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int kept = new BpfInterpreter().metadata(0x0800, false, 0, 1, 0).run(program, buffer, 0, frame.length);
        assertTrue(kept >= 0 && kept <= Math.max(frame.length, 0), "kept=" + kept + " length=" + frame.length);
        readEthernet(buffer, 0, frame.length);
    }

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldValidateOrRunWhenBpfProgramIsArbitrary(final FuzzedDataProvider data)
    {
        final int count = data.consumeInt(1, 16);
        final long[] instructions = new long[count];
        for (int i = 0; i < count; i++)
        {
            instructions[i] = BpfProgram.encode(
                data.consumeInt(0, 0xffff), data.consumeInt(0, 255), data.consumeInt(0, 255), data.consumeInt());
        }
        final BpfProgram program;
        try
        {
            program = BpfProgram.of(instructions);
        }
        catch (final IllegalArgumentException refused)
        {
            assertTrue(refused.getMessage().startsWith("invalid BPF program: "), refused.getMessage());
            return;
        }
        final byte[] frame = data.consumeRemainingAsBytes();
        final int kept = new BpfInterpreter().run(program, new UnsafeBuffer(frame), 0, frame.length);
        assertTrue(kept >= 0, "kept=" + kept);
    }

    private void readEthernet(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < EthernetHeaderFlyweight.HEADER_LENGTH)
        {
            return;
        }
        ethernet.wrap(buffer, offset);
        ethernet.destination();
        ethernet.source();
        if (ethernet.isTagged() && length < EthernetHeaderFlyweight.TAGGED_HEADER_LENGTH)
        {
            return;
        }
        final int type = ethernet.etherType();
        assertTrue(type >= 0 && type <= 0xffff, "etherType=" + type);
        assertTrue(ethernet.headerLength() <= length, "headerLength=" + ethernet.headerLength() + " length=" + length);
        if (ethernet.isTagged())
        {
            assertTrue(ethernet.vlanTci() >= 0 && ethernet.vlanTci() <= 0xffff, "vlanTci");
        }
    }
}
