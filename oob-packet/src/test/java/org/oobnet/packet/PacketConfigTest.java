package org.oobnet.packet;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PacketConfigTest
{
    @Test
    void shouldUseDefaultsWhenNoKeys()
    {
        final PacketConfig config = PacketConfig.fromProperties(Map.of());

        assertEquals(PacketConfig.defaults(), config);
        assertEquals(128, config.rxGeometry().blockCount());
        assertTrue(config.isEnabled("veth0"));
    }

    @Test
    void shouldParseKeysAndInterfaces()
    {
        final PacketConfig config = PacketConfig.fromProperties(Map.of(
            PacketConfig.RX_FRAMES_KEY, "64", PacketConfig.RX_FRAME_SIZE_KEY, "1024",
            PacketConfig.TX_FRAMES_KEY, "0", PacketConfig.QDISC_BYPASS_KEY, "true",
            PacketConfig.INTERFACES_KEY, "veth0, veth1"));

        assertEquals(64, config.rxFrames());
        assertEquals(16, config.rxGeometry().blockCount());
        assertNull(config.txGeometry());
        assertTrue(config.qdiscBypass());
        assertTrue(config.isEnabled("veth1"));
        assertFalse(config.isEnabled("eth0"));
    }

    @Test
    void shouldReportEveryBadKeyTogether()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PacketConfig.fromProperties(Map.of(
                PacketConfig.RX_FRAMES_KEY, "many", PacketConfig.QDISC_BYPASS_KEY, "yes")));

        assertEquals("invalid packet configuration: packet.rx.frames=many must be an integer; " +
            "packet.qdisc-bypass=yes must be true or false", e.getMessage());
    }

    @Test
    void shouldReportRingRulesOfBothRingsTogether()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PacketConfig.fromProperties(Map.of(
                PacketConfig.RX_FRAME_SIZE_KEY, "100", PacketConfig.TX_BLOCK_SIZE_KEY, "6000",
                PacketConfig.RX_BATCH_LIMIT_KEY, "0")));

        assertEquals("invalid packet configuration: " +
            "packet.rx: frameSize=100 must be a multiple of TPACKET_ALIGNMENT 16; " +
            "packet.tx: blockSize=6000 must be a positive multiple of the page size 4096; " +
            "packet.rx.batch-limit=0 must be positive", e.getMessage());
    }

    @Test
    void shouldParseMulticastGroupsAndNameBadOnes()
    {
        final PacketConfig config = PacketConfig.fromProperties(Map.of(
            PacketConfig.MULTICAST_GROUPS_KEY, "239.1.2.3, 224.0.0.251"));
        assertEquals(java.util.List.of(0xef010203, 0xe00000fb), config.multicastGroups());
        assertEquals(0x01_00_5e_01_02_03L, PacketConfig.multicastMac(0xef810203));

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PacketConfig.fromProperties(Map.of(PacketConfig.MULTICAST_GROUPS_KEY, "10.251.0.1,239.x.1.1")));
        assertEquals("invalid packet configuration: " +
            "packet.multicast-groups=10.251.0.1 must be an IPv4 address in 224.0.0.0/4; " +
            "packet.multicast-groups=239.x.1.1 must be an IPv4 address in 224.0.0.0/4", e.getMessage());
    }
}
