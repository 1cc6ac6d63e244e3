package org.oobnet.inband.sys;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TpacketReqDescriptorTest
{
    @Test
    void shouldAcceptRingWhenGeometryIsConsistent()
    {
        assertDoesNotThrow(() -> TpacketReqDescriptor.checkRing(4096, 4096, 4, 2048, 8));
    }

    @Test
    void shouldNameEveryBadValueWhenGeometryIsWrong()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TpacketReqDescriptor.checkRing(4096, 5000, 0, 100, 8));
        assertEquals("blockSize=5000 must be a positive multiple of pageSize=4096; blockNr=0 must be positive; " +
            "frameSize=100 must be a multiple of 16 and at least 52", ex.getMessage());
    }

    @Test
    void shouldRejectFrameCountWhenNotBlocksTimesFramesPerBlock()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TpacketReqDescriptor.checkRing(4096, 4096, 4, 2048, 7));
        assertEquals("frameNr=7 must be blockNr * (blockSize / frameSize)=8", ex.getMessage());
    }
}
