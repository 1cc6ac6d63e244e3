package org.oobnet.packet.ring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RingGeometryTest
{
    @Test
    void shouldMatchKernelHeaderConstants()
    {
        assertEquals(52, RingGeometry.TPACKET2_HDRLEN);
        assertEquals(66, RingGeometry.RX_MAC_OFFSET);
        assertEquals(32, RingGeometry.TX_DATA_OFFSET);
        assertEquals(80, RingGeometry.MIN_FRAME_SIZE);
    }

    @Test
    void shouldLayFramesOutPerBlockWhenBlockNotMultipleOfFrame()
    {
        final RingGeometry geometry = RingGeometry.of(1536, 6, 4096, 4096);

        assertEquals(2, geometry.framesPerBlock());
        assertEquals(3, geometry.blockCount());
        assertEquals(3 * 4096, geometry.ringBytes());
        assertEquals(0, geometry.frameOffset(0));
        assertEquals(1536, geometry.frameOffset(1));
        assertEquals(4096, geometry.frameOffset(2));
        assertEquals(2 * 4096 + 1536, geometry.frameOffset(5));
        assertEquals(1536 - 66, geometry.maxRxFrameBytes());
        assertEquals(1536 - 32, geometry.maxTxFrameBytes());
    }

    @Test
    void shouldReportEveryRuleBrokenTogether()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RingGeometry.of(72, 0, 5000, 4096));

        assertEquals("invalid ring geometry: " +
            "blockSize=5000 must be a positive multiple of the page size 4096; " +
            "frameSize=72 must be a multiple of TPACKET_ALIGNMENT 16; " +
            "frameSize=72 must be at least 80 (larger than TPACKET2_HDRLEN 52 plus an Ethernet header); " +
            "frameCount=0 must be positive", e.getMessage());
    }

    @Test
    void shouldNameFramesPerBlockWhenFrameCountDoesNotFill()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RingGeometry.of(1360, 100, 4096, 4096));

        assertEquals("invalid ring geometry: frameCount=100 must be a multiple of framesPerBlock=3 " +
            "(blockSize=4096 / frameSize=1360): frameCount = framesPerBlock x blockCount", e.getMessage());
    }

    @Test
    void shouldRejectBlockLargerThanMaxOrderAndFrameLargerThanBlock()
    {
        assertEquals("invalid ring geometry: blockSize=8388608 must be at most 4194304 " +
                "(page size 4096 << MAX_PAGE_ORDER 10)",
            assertThrows(IllegalArgumentException.class, () -> RingGeometry.of(2048, 8, 8 << 20, 4096)).getMessage());
        assertEquals("invalid ring geometry: frameSize=8192 must not exceed blockSize=4096",
            assertThrows(IllegalArgumentException.class, () -> RingGeometry.of(8192, 8, 4096, 4096)).getMessage());
    }
}
