package org.oobnet.packet.ring;

import org.agrona.DirectBuffer;

/**
 * Takes one received frame as a zero-copy view of the mmap'd RX ring frame, with the metadata the kernel wrote.
 * <p>
 * The view is valid only during the call: the frame goes back to the kernel right after it returns. Copy what
 * must outlive the call.
 * <b>Note:</b> runs on the OOB stage: must not block, allocate or log.
 */
@FunctionalInterface
public interface PacketFrameHandler
{
    /** {@code vlanTci} when the device did not strip a VLAN tag. */
    int NO_VLAN = -1;

    /**
     * One frame.
     *
     * @param buffer      the view, the Ethernet header at {@code offset}.
     * @param offset      where the frame starts in the view.
     * @param length      bytes of the frame present ({@code tp_snaplen}).
     * @param wireLength  the frame's length on the wire ({@code tp_len}).
     * @param timestampNs the kernel's receive time, ns since the epoch ({@code tp_sec}, {@code tp_nsec}).
     * @param vlanTci     the VLAN TCI the device stripped, or {@link #NO_VLAN}.
     * @param ifIndex     the receiving interface.
     */
    void onFrame(DirectBuffer buffer, int offset, int length, int wireLength, long timestampNs, int vlanTci,
        int ifIndex);
}
