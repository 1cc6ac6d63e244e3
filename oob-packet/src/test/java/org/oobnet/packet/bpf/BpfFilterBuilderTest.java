package org.oobnet.packet.bpf;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.packet.testing.TestFrames;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.oobnet.packet.testing.TestFrames.ipv4;

class BpfFilterBuilderTest
{
    private static final long DST_MAC = 0x02_00_00_00_00_02L;
    private static final long SRC_MAC = 0x02_00_00_00_00_01L;
    private static final int PRIVATE_ETHER_TYPE = 0x88b5;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
    private final BpfInterpreter interpreter = new BpfInterpreter();

    @Test
    void shouldRejectEveryFrameWhenAcceptNothing()
    {
        final int length = TestFrames.udpFrame(frame, DST_MAC, SRC_MAC, ipv4("10.251.0.1"), ipv4("10.251.0.2"),
            1000, 2000, new byte[64]);

        assertEquals(0, interpreter.run(BpfFilterBuilder.acceptNothing(), frame, 0, length));
        assertEquals(1, BpfFilterBuilder.acceptNothing().length());
    }

    @Test
    void shouldAcceptEveryFrameWhenNoCondition()
    {
        final BpfProgram program = BpfFilterBuilder.filter().build();
        final int length = TestFrames.ethernet(frame, 0, DST_MAC, SRC_MAC, -1, PRIVATE_ETHER_TYPE) + 46;

        assertEquals(length, interpreter.run(program, frame, 0, length));
    }

    @Test
    void shouldMatchEtherTypeBehindInFrameVlanTag()
    {
        final BpfProgram program = BpfFilterBuilder.filter().etherType(PRIVATE_ETHER_TYPE).build();

        final int tagged = TestFrames.ethernet(frame, 0, DST_MAC, SRC_MAC, 7, PRIVATE_ETHER_TYPE) + 46;
        assertEquals(tagged, interpreter.run(program, frame, 0, tagged));

        final int other = TestFrames.ethernet(frame, 0, DST_MAC, SRC_MAC, -1, 0x88b6) + 46;
        assertEquals(0, interpreter.run(program, frame, 0, other));
    }

    @Test
    void shouldMatchVlanWhenTagInFrameOrStrippedByDevice()
    {
        final BpfProgram program = BpfFilterBuilder.filter().vlan(100).etherType(PRIVATE_ETHER_TYPE).build();

        final int inFrame = TestFrames.ethernet(frame, 0, DST_MAC, SRC_MAC, 0x2000 | 100, PRIVATE_ETHER_TYPE) + 46;
        assertEquals(inFrame, interpreter.metadata(PRIVATE_ETHER_TYPE, false, 0, 1, 0).run(program, frame, 0, inFrame));

        final int untagged = TestFrames.ethernet(frame, 0, DST_MAC, SRC_MAC, -1, PRIVATE_ETHER_TYPE) + 46;
        assertEquals(0, interpreter.metadata(PRIVATE_ETHER_TYPE, false, 0, 1, 0).run(program, frame, 0, untagged));
        assertEquals(untagged,
            interpreter.metadata(PRIVATE_ETHER_TYPE, true, 0xe000 | 100, 1, 0).run(program, frame, 0, untagged));
        assertEquals(0,
            interpreter.metadata(PRIVATE_ETHER_TYPE, true, 101, 1, 0).run(program, frame, 0, untagged));
    }

    @Test
    void shouldMatchUdpPortBehindIpv4Options()
    {
        final BpfProgram program = BpfFilterBuilder.filter()
            .ipv4Destination(ipv4("10.251.0.2")).udpDestinationPort(4242).build();

        int at = TestFrames.ethernet(frame, 0, DST_MAC, SRC_MAC, -1, 0x0800);
        at += TestFrames.ipv4(frame, at, 17, ipv4("10.251.0.1"), ipv4("10.251.0.2"), 8 + 10, 3, 0);
        at += TestFrames.udp(frame, at, 9, 4242, 10);
        assertEquals(at + 10, interpreter.run(program, frame, 0, at + 10));

        frame.putShort(at - 6, (short)4243, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(0, interpreter.run(program, frame, 0, at + 10));
    }

    @Test
    void shouldRejectLaterFragmentsWhenMatchingUdpPort()
    {
        final BpfProgram program = BpfFilterBuilder.filter().udpDestinationPort(4242).build();

        int at = TestFrames.ethernet(frame, 0, DST_MAC, SRC_MAC, -1, 0x0800);
        at += TestFrames.ipv4(frame, at, 17, ipv4("10.251.0.1"), ipv4("10.251.0.2"), 18, 0, 185);
        at += TestFrames.udp(frame, at, 9, 4242, 10);

        assertEquals(0, interpreter.run(program, frame, 0, at + 10));
    }

    @Test
    void shouldAcceptListedIpv4ProtocolsAndTheirLaterFragmentsOnly()
    {
        final BpfProgram program = BpfFilterBuilder.filter()
            .ipv4Protocols(BpfFilterBuilder.IPPROTO_UDP, BpfFilterBuilder.IPPROTO_ICMP).build();
        final int src = ipv4("10.251.0.1");
        final int dst = ipv4("10.251.0.2");

        assertEquals(60, interpreter.run(program, frame, 0, ipv4Frame(-1, 17, 0, 0)), "UDP");
        assertEquals(60, interpreter.run(program, frame, 0, ipv4Frame(-1, 1, 0, 0)), "ICMP");
        assertEquals(60, interpreter.run(program, frame, 0, ipv4Frame(-1, 17, 2, 185)), "UDP, later fragment");
        assertEquals(64, interpreter.run(program, frame, 0, ipv4Frame(100, 17, 0, 0)), "UDP behind an 802.1Q tag");
        assertEquals(0, interpreter.run(program, frame, 0, ipv4Frame(-1, 6, 0, 0)), "TCP");
        assertEquals(0, interpreter.run(program, frame, 0, ipv4Frame(-1, 6, 0, 0x2000 | 185)), "TCP fragment");
        assertEquals(0, interpreter.run(program, frame, 0, ipv4Frame(-1, 253, 0, 0)), "experimental protocol");
        assertEquals(0, interpreter.run(program, frame, 0, ipv4Frame(100, 6, 0, 0)), "TCP behind an 802.1Q tag");

        final int arp = TestFrames.ethernet(frame, 0, DST_MAC, SRC_MAC, -1, 0x0806) + 46;
        frame.putByte(23, (byte)17);
        assertEquals(0, interpreter.run(program, frame, 0, arp), "ARP with 17 where IPv4 has its protocol");

        TestFrames.udpFrame(frame, DST_MAC, SRC_MAC, src, dst, 1, 2, new byte[16]);
        assertEquals(0, interpreter.run(program, frame, 0, 23), "cut before the protocol");
        assertEquals(24, interpreter.run(program, frame, 0, 24), "cut after it: the stage counts it a runt");
    }

    @Test
    void shouldMatchOneProtocolInTheSmallestProgram()
    {
        final BpfProgram program = BpfFilterBuilder.filter().ipv4Protocols(BpfFilterBuilder.IPPROTO_UDP).build();

        // ldx #12; ldh [12]; jeq 0x8100; ldx #16; ja; ldh [x+0]; jeq 0x800; ldb [x+11]; jeq 17; ret 262144; ret 0
        assertEquals(11, program.length(), program.toString());
        assertEquals(BpfOpcodes.BPF_LD | BpfOpcodes.BPF_B | BpfOpcodes.BPF_IND, program.code(7));
        assertEquals(11, program.k(7));
        assertEquals(17, program.k(8));
        assertEquals(0, program.jt(8), "equal: on to accept");
        assertEquals(1, program.jf(8), "else: reject");
        assertEquals(BpfFilterBuilder.ACCEPT_SNAP_BYTES, program.k(9));
        assertEquals(0, program.k(10));
    }

    @Test
    void shouldMatchUdpPortWhenProtocolsAreUdpOnly()
    {
        final BpfProgram program = BpfFilterBuilder.filter()
            .ipv4Protocols(BpfFilterBuilder.IPPROTO_UDP).udpDestinationPort(2).build();

        final int length = TestFrames.udpFrame(frame, DST_MAC, SRC_MAC, ipv4("10.251.0.1"), ipv4("10.251.0.2"), 1, 2,
            new byte[16]);
        assertEquals(length, interpreter.run(program, frame, 0, length));
    }

    @Test
    void shouldNameConflictWhenProtocolsBesideUdpAndUdpPortSet()
    {
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> BpfFilterBuilder.filter().ipv4Protocols(17, 1).udpDestinationPort(4242).build());

        assertEquals("ipv4Protocols=[17, 1] conflicts with udpDestinationPort=4242, which matches protocol=17 only",
            e.getMessage());
        assertEquals("etherType=0x88b5 conflicts with IPv4 conditions, which need etherType=0x0800",
            assertThrows(IllegalStateException.class,
                () -> BpfFilterBuilder.filter().etherType(PRIVATE_ETHER_TYPE).ipv4Protocols(17).build()).getMessage());
    }

    @Test
    void shouldNameProtocolWhenOutOfRangeOrNone()
    {
        assertEquals("ipv4Protocols=[17, 256] has protocol=256, must be in 0..255",
            assertThrows(IllegalArgumentException.class,
                () -> BpfFilterBuilder.filter().ipv4Protocols(17, 256)).getMessage());
        assertEquals("ipv4Protocols=[-1] has protocol=-1, must be in 0..255",
            assertThrows(IllegalArgumentException.class,
                () -> BpfFilterBuilder.filter().ipv4Protocols(-1)).getMessage());
        assertEquals("ipv4Protocols must name at least one protocol",
            assertThrows(IllegalArgumentException.class, () -> BpfFilterBuilder.filter().ipv4Protocols()).getMessage());
    }

    // an IPv4 frame of protocol with 16 payload bytes (60 bytes untagged, 64 tagged), IPv4 options and fragment field
    private int ipv4Frame(final int vlanId, final int protocol, final int optionWords, final int fragmentField)
    {
        frame.setMemory(0, 128, (byte)0);
        int at = TestFrames.ethernet(frame, 0, DST_MAC, SRC_MAC, vlanId, 0x0800);
        at += TestFrames.ipv4(frame, at, protocol, ipv4("10.251.0.1"), ipv4("10.251.0.2"), 26 - 4 * optionWords,
            optionWords, fragmentField);
        return at + 26 - 4 * optionWords;
    }

    @Test
    void shouldMatchMulticastGroupOnMacAndAddress()
    {
        final int group = ipv4("239.1.2.3");
        final BpfProgram program = BpfFilterBuilder.filter().multicastGroup(group).build();
        final long groupMac = 0x01_00_5e_01_02_03L;

        final int length = TestFrames.udpFrame(frame, groupMac, SRC_MAC, ipv4("10.251.0.1"), group, 1, 2, new byte[8]);
        assertEquals(length, interpreter.run(program, frame, 0, length));

        TestFrames.putMac(frame, 0, 0x01_00_5e_01_02_04L);
        assertEquals(0, interpreter.run(program, frame, 0, length));
    }

    @Test
    void shouldRejectFrameShorterThanEthernetHeader()
    {
        final BpfProgram program = BpfFilterBuilder.filter().build();

        assertEquals(0, interpreter.run(program, frame, 0, 13));
    }

    @Test
    void shouldNameConflictWhenEtherTypeIsNotIpv4ButUdpPortSet()
    {
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> BpfFilterBuilder.filter().etherType(PRIVATE_ETHER_TYPE).udpDestinationPort(1).build());

        assertEquals("etherType=0x88b5 conflicts with IPv4 conditions, which need etherType=0x0800", e.getMessage());
    }

    @Test
    void shouldNameValueWhenArgumentsOutOfRange()
    {
        assertEquals("vlanId=4096 must be in 0..4095",
            assertThrows(IllegalArgumentException.class, () -> BpfFilterBuilder.filter().vlan(4096)).getMessage());
        assertEquals("multicastGroup=10.251.0.1 must be in 224.0.0.0/4",
            assertThrows(IllegalArgumentException.class,
                () -> BpfFilterBuilder.filter().multicastGroup(ipv4("10.251.0.1"))).getMessage());
        assertEquals("etherType=0x5dc must be in 0x0600..0xffff",
            assertThrows(IllegalArgumentException.class, () -> BpfFilterBuilder.filter().etherType(1500)).getMessage());
    }

    /**
     * Property: over seeded random frames (tagged in the frame, tagged by the device, untagged; IPv4 with options,
     * fragments, other protocols; truncated anywhere) and random filters, the program accepts exactly the frames
     * an independent Java predicate over the frame's fields accepts.
     */
    @Test
    void shouldAgreeWithReferencePredicateWhenRandomFramesAndFilters()
    {
        final long seed = Long.getLong("oobnet.seed", System.nanoTime());
        System.out.println("BpfFilterBuilderTest seed=" + seed);
        final Random random = new Random(seed);
        final int[] etherTypes = { 0x0800, PRIVATE_ETHER_TYPE, 0x86dd, 0x0806 };
        final int[] addresses = { ipv4("10.251.0.1"), ipv4("10.251.0.2"), ipv4("239.1.2.3"), ipv4("239.129.2.3") };
        final int[] ports = { 53, 4242, 4243 };
        int accepted = 0;

        for (int round = 0; round < 20_000; round++)
        {
            final BpfFilterBuilder builder = BpfFilterBuilder.filter();
            final int fVlan = random.nextInt(3) == 0 ? random.nextInt(3) : -1;
            final int fPort = random.nextInt(3) == 0 ? ports[random.nextInt(ports.length)] : -1;
            final int fAddress = random.nextInt(3) == 0 ? addresses[random.nextInt(addresses.length)] : 0;
            final boolean fMulticast = fAddress != 0 && (fAddress >>> 28) == 0xe && random.nextBoolean();
            final int[] protocolSets = { 17, 1, 6 };
            final int[] fProtocols = random.nextInt(3) != 0 ? null : fPort >= 0 ? new int[]{ 17 } :
                random.nextBoolean() ? new int[]{ protocolSets[random.nextInt(3)] } : new int[]{ 17, 1 };
            final boolean ipv4Conditions = fPort >= 0 || fAddress != 0 || null != fProtocols;
            final int fEtherType = ipv4Conditions ? (random.nextBoolean() ? 0x0800 : -1) :
                (random.nextBoolean() ? etherTypes[random.nextInt(etherTypes.length)] : -1);
            if (fVlan >= 0)
            {
                builder.vlan(fVlan);
            }
            if (fEtherType >= 0)
            {
                builder.etherType(fEtherType);
            }
            if (fMulticast)
            {
                builder.multicastGroup(fAddress);
            }
            else if (fAddress != 0)
            {
                builder.ipv4Destination(fAddress);
            }
            if (null != fProtocols)
            {
                builder.ipv4Protocols(fProtocols);
            }
            if (fPort >= 0)
            {
                builder.udpDestinationPort(fPort);
            }
            final BpfProgram program = builder.build();

            // The frame.
            final int tagMode = random.nextInt(3); // 0 none, 1 in frame, 2 stripped by the device
            final int vlan = random.nextInt(3);
            final int etherType = etherTypes[random.nextInt(etherTypes.length)];
            final int dst = addresses[random.nextInt(addresses.length)];
            final int protocol = random.nextInt(4) == 0 ? 6 : random.nextInt(4) == 0 ? 1 : 17;
            final int optionWords = random.nextInt(3);
            final int fragment = random.nextInt(4) == 0 ? 1 + random.nextInt(100) : (random.nextBoolean() ? 0x4000 : 0);
            final int port = ports[random.nextInt(ports.length)];
            final long dstMac = random.nextBoolean() ?
                0x01_00_5e_00_00_00L | (dst & 0x7fffff) : 0x02_00_00_00_00_02L;

            frame.setMemory(0, 256, (byte)random.nextInt());
            int at = TestFrames.ethernet(frame, 0, dstMac, SRC_MAC, tagMode == 1 ? (0x6000 | vlan) : -1, etherType);
            final int l3 = at;
            int ihl = 0;
            if (etherType == 0x0800)
            {
                ihl = TestFrames.ipv4(frame, at, protocol, ipv4("10.251.0.1"), dst, 8 + 16, optionWords, fragment);
                at += ihl;
                at += TestFrames.udp(frame, at, 1, port, 16);
            }
            final int fullLength = Math.max(at + 16, 60);
            final int length = random.nextInt(5) == 0 ? random.nextInt(fullLength) : fullLength;

            // The reference predicate, from the frame's fields, not from its bytes.
            boolean match = true;
            int needed = 14;
            if (fVlan >= 0)
            {
                match = tagMode != 0 && vlan == fVlan;
                needed = Math.max(needed, tagMode == 1 ? 16 : 14);
            }
            final int matchEtherType = fEtherType >= 0 ? fEtherType : (ipv4Conditions ? 0x0800 : -1);
            if (matchEtherType >= 0)
            {
                match &= etherType == matchEtherType;
                needed = Math.max(needed, l3);
            }
            if (fMulticast)
            {
                match &= dstMac == (0x01_00_5e_00_00_00L | (fAddress & 0x7fffff));
            }
            if (fAddress != 0)
            {
                match &= dst == fAddress;
                needed = Math.max(needed, l3 + 20);
            }
            if (null != fProtocols)
            {
                boolean listed = false;
                for (final int p : fProtocols)
                {
                    listed |= p == protocol;
                }
                match &= listed;
                needed = Math.max(needed, l3 + 10);
            }
            if (fPort >= 0)
            {
                match &= protocol == 17 && (fragment & 0x1fff) == 0 && port == fPort;
                needed = Math.max(needed, l3 + ihl + 4);
            }
            final boolean expected = match && length >= needed;

            interpreter.metadata(etherType, tagMode == 2, 0xa000 | vlan, 1, 0);
            final int kept = interpreter.run(program, frame, 0, length);
            if (expected != (kept > 0) || (kept > 0 && kept != length))
            {
                fail("seed=" + seed + " round=" + round + " expected=" + expected + " kept=" + kept + " length=" +
                    length + " tagMode=" + tagMode + " vlan=" + vlan + " etherType=0x" +
                    Integer.toHexString(etherType) + " filter vlan=" + fVlan + " etherType=" + fEtherType +
                    " address=" + fAddress + " multicast=" + fMulticast + " port=" + fPort + " protocols=" +
                    Arrays.toString(fProtocols) + "\n" + program);
            }
            accepted += expected ? 1 : 0;
        }
        assertTrue(accepted > 500, "too few accepted frames to mean anything: " + accepted);
    }
}
