package org.oobnet.packet.frame;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

class FlyweightTest
{
    @Test
    void shouldReadTpacket2FieldsAtKernelOffsets()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ring = arena.allocate(4096, 16);
            final long frame = 2048;
            ring.set(ValueLayout.JAVA_INT, frame, Tpacket2HeaderFlyweight.TP_STATUS_USER |
                Tpacket2HeaderFlyweight.TP_STATUS_VLAN_VALID);
            ring.set(ValueLayout.JAVA_INT, frame + 4, 1500);
            ring.set(ValueLayout.JAVA_INT, frame + 8, 1400);
            ring.set(ValueLayout.JAVA_SHORT, frame + 12, (short)66);
            ring.set(ValueLayout.JAVA_SHORT, frame + 14, (short)80);
            ring.set(ValueLayout.JAVA_INT, frame + 16, 0xfffffff0); // seconds past 2^31 stay positive
            ring.set(ValueLayout.JAVA_INT, frame + 20, 999_999_999);
            ring.set(ValueLayout.JAVA_SHORT, frame + 24, (short)0xe064);
            ring.set(ValueLayout.JAVA_SHORT, frame + 26, (short)0x8100);

            final Tpacket2HeaderFlyweight header = new Tpacket2HeaderFlyweight().wrap(ring, frame);

            assertEquals(0x11, header.lvStatus());
            assertEquals(1500, header.len());
            assertEquals(1400, header.snaplen());
            assertEquals(66, header.mac());
            assertEquals(80, header.net());
            assertEquals(0xfffffff0L, header.sec());
            assertEquals(0xfffffff0L * 1_000_000_000L + 999_999_999L, header.timestampNs());
            assertEquals(0xe064, header.vlanTci());
            assertEquals(0x8100, header.vlanTpid());

            header.soStatus(Tpacket2HeaderFlyweight.TP_STATUS_KERNEL);
            assertEquals(0, ring.get(ValueLayout.JAVA_INT, frame));
            header.len(60);
            assertEquals(60, ring.get(ValueLayout.JAVA_INT, frame + 4));
        }
    }

    @Test
    void shouldRoundTripTaggedAndUntaggedEthernetHeaders()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight().wrap(buffer, 4);

        assertEquals(14, ethernet.putHeader(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L, 0x88b5));
        assertFalse(ethernet.isTagged());
        assertEquals(0x02_00_00_00_00_02L, ethernet.destination());
        assertEquals(0x02_00_00_00_00_01L, ethernet.source());
        assertEquals(0x88b5, ethernet.etherType());
        assertEquals(EthernetHeaderFlyweight.NO_VLAN, ethernet.vlanTci());
        assertEquals((byte)0x88, buffer.getByte(4 + 12));

        assertEquals(18, ethernet.putTaggedHeader(0xff_ff_ff_ff_ff_ffL, 0x02_00_00_00_00_01L, 0x2064, 0x0800));
        assertTrue(ethernet.isTagged());
        assertEquals(0xff_ff_ff_ff_ff_ffL, ethernet.destination());
        assertEquals(0x2064, ethernet.vlanTci());
        assertEquals(0x0800, ethernet.etherType());
        assertEquals(18, ethernet.headerLength());
        assertEquals(0x8100, buffer.getShort(4 + 12, ByteOrder.BIG_ENDIAN) & 0xffff);
        assertEquals("ff:ff:ff:ff:ff:ff", EthernetHeaderFlyweight.macToString(ethernet.destination()));
        assertEquals(0x064, ethernet.vlanId());
    }

    @Test
    void shouldRoundTripMacTextAndRefuseWhenNotSixHexOctets()
    {
        assertEquals(0x02_00_0a_fb_00_01L, EthernetHeaderFlyweight.parseMac("02:00:0a:fb:00:01"));
        assertEquals("02:00:0a:fb:00:01", EthernetHeaderFlyweight.macToString(0x02_00_0a_fb_00_01L));
        assertEquals("mac=02:00:0a:fb:00 must be six hex octets separated by ':'",
            assertThrows(IllegalArgumentException.class, () -> EthernetHeaderFlyweight.parseMac("02:00:0a:fb:00"))
                .getMessage());
        assertEquals("mac=02:00:0a:fb:00:zz must be six hex octets separated by ':'",
            assertThrows(IllegalArgumentException.class, () -> EthernetHeaderFlyweight.parseMac("02:00:0a:fb:00:zz"))
                .getMessage());
    }
}
