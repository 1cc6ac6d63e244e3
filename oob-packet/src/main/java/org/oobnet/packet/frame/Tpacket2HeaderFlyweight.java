package org.oobnet.packet.frame;

import org.oobnet.inband.sys.Tpacket2HdrDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Flyweight over the {@code struct tpacket2_hdr} at the start of one PACKET_MMAP ring frame.
 * <pre>
 *  0               4               8               12      14      16
 * +---------------+---------------+---------------+-------+-------+
 * |   tp_status   |    tp_len     |  tp_snaplen   |tp_mac |tp_net |
 * +---------------+---------------+-------+-------+-------+-------+
 * |    tp_sec     |    tp_nsec    |vlan_tci|vlan_tpid| padding[4] |
 * +---------------+---------------+-------+-------+---------------+
 * 16              20              24      26      28              32
 * </pre>
 * {@code tp_status} is the handshake with the kernel: read it with {@link #lvStatus()} (acquire) before any other
 * field, hand the frame back with {@link #soStatus(int)} (release) after the last read or write of the frame.
 * <p>
 * Offsets and status bits are inband-stack's {@link Tpacket2HdrDescriptor}, the one definition of the layout.
 * <p>
 * <b>Note:</b> not thread safe; re-wrapped per frame by the one thread that owns the ring (the OOB stage).
 */
public final class Tpacket2HeaderFlyweight
{
    /** Offset of {@code tp_status}. */
    public static final int STATUS_OFFSET = Tpacket2HdrDescriptor.STATUS_OFFSET;
    /** Offset of {@code tp_len}: the frame's length on the wire. */
    public static final int LEN_OFFSET = Tpacket2HdrDescriptor.LEN_OFFSET;
    /** Offset of {@code tp_snaplen}: bytes of the frame in the ring. */
    public static final int SNAPLEN_OFFSET = Tpacket2HdrDescriptor.SNAPLEN_OFFSET;
    /** Offset of {@code tp_mac}: where the Ethernet header starts, from the frame's start. */
    public static final int MAC_OFFSET = Tpacket2HdrDescriptor.MAC_OFFSET;
    /** Offset of {@code tp_net}: where the network header starts. */
    public static final int NET_OFFSET = Tpacket2HdrDescriptor.NET_OFFSET;
    /** Offset of {@code tp_sec}. */
    public static final int SEC_OFFSET = Tpacket2HdrDescriptor.SEC_OFFSET;
    /** Offset of {@code tp_nsec}. */
    public static final int NSEC_OFFSET = Tpacket2HdrDescriptor.NSEC_OFFSET;
    /** Offset of {@code tp_vlan_tci}. */
    public static final int VLAN_TCI_OFFSET = Tpacket2HdrDescriptor.VLAN_TCI_OFFSET;
    /** Offset of {@code tp_vlan_tpid}. */
    public static final int VLAN_TPID_OFFSET = Tpacket2HdrDescriptor.VLAN_TPID_OFFSET;
    /** {@code sizeof(struct tpacket2_hdr)}. */
    public static final int LENGTH = Tpacket2HdrDescriptor.LENGTH;

    /** RX: the frame belongs to the kernel. */
    public static final int TP_STATUS_KERNEL = Tpacket2HdrDescriptor.TP_STATUS_KERNEL;
    /** RX: the frame belongs to user space. */
    public static final int TP_STATUS_USER = Tpacket2HdrDescriptor.TP_STATUS_USER;
    /** RX: the frame was truncated (longer than the slot). */
    public static final int TP_STATUS_COPY = Tpacket2HdrDescriptor.TP_STATUS_COPY;
    /** RX: the kernel dropped frames since the last one (ring full). */
    public static final int TP_STATUS_LOSING = Tpacket2HdrDescriptor.TP_STATUS_LOSING;
    /** RX: {@code tp_vlan_tci} is valid. */
    public static final int TP_STATUS_VLAN_VALID = Tpacket2HdrDescriptor.TP_STATUS_VLAN_VALID;
    /** RX: {@code tp_vlan_tpid} is valid. */
    public static final int TP_STATUS_VLAN_TPID_VALID = Tpacket2HdrDescriptor.TP_STATUS_VLAN_TPID_VALID;
    /** TX: the frame is free for user space. */
    public static final int TP_STATUS_AVAILABLE = Tpacket2HdrDescriptor.TP_STATUS_AVAILABLE;
    /** TX: user space filled the frame; the next {@code send} sends it. */
    public static final int TP_STATUS_SEND_REQUEST = Tpacket2HdrDescriptor.TP_STATUS_SEND_REQUEST;
    /** TX: the kernel is sending the frame. */
    public static final int TP_STATUS_SENDING = Tpacket2HdrDescriptor.TP_STATUS_SENDING;
    /** TX: the kernel refused the frame (bad length); user space must recycle it. */
    public static final int TP_STATUS_WRONG_FORMAT = Tpacket2HdrDescriptor.TP_STATUS_WRONG_FORMAT;
    /** {@code tp_status}: {@code tp_sec/tp_nsec} is the skb's software timestamp (RX, or a completed TX frame). */
    public static final int TP_STATUS_TS_SOFTWARE = Tpacket2HdrDescriptor.TP_STATUS_TS_SOFTWARE;
    /** {@code tp_status}: {@code tp_sec/tp_nsec} is the NIC's raw hardware timestamp (RX, or a completed TX frame). */
    public static final int TP_STATUS_TS_RAW_HARDWARE = Tpacket2HdrDescriptor.TP_STATUS_TS_RAW_HARDWARE;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    /**
     * Point at the header of the frame at {@code offset} in {@code segment}.
     *
     * @param segment the mapped ring.
     * @param offset  the frame's offset in the ring, 16-byte aligned.
     * @return this.
     */
    public Tpacket2HeaderFlyweight wrap(final MemorySegment segment, final long offset)
    {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /**
     * The segment currently wrapped.
     *
     * @return the ring segment.
     */
    public MemorySegment segment()
    {
        return segment;
    }

    /**
     * The frame's offset in the segment.
     *
     * @return the offset given to {@link #wrap}.
     */
    public long offset()
    {
        return offset;
    }

    /**
     * Load {@code tp_status} with acquire semantics.
     *
     * @return the status bits.
     */
    public int lvStatus()
    {
        // acquire: pairs with the kernel's smp_wmb() before it publishes TP_STATUS_USER (RX) or AVAILABLE (TX);
        // the frame's other fields are read after this load.
        return (int)INT.getAcquire(segment, offset + STATUS_OFFSET);
    }

    /**
     * Store {@code tp_status} with release semantics.
     *
     * @param status {@link #TP_STATUS_KERNEL} to return an RX frame, {@link #TP_STATUS_SEND_REQUEST} to send a TX one.
     */
    public void soStatus(final int status)
    {
        // release: every read (RX) or write (TX) of the frame happens before the kernel may see the new status;
        // pairs with the kernel's smp_rmb() after its read of tp_status.
        INT.setRelease(segment, offset + STATUS_OFFSET, status);
    }

    /**
     * {@code tp_len}.
     *
     * @return the frame's length on the wire.
     */
    public int len()
    {
        return segment.get(ValueLayout.JAVA_INT, offset + LEN_OFFSET);
    }

    /**
     * Set {@code tp_len} (TX: bytes to send from {@code TX_DATA_OFFSET}).
     *
     * @param length frame length.
     * @return this.
     */
    public Tpacket2HeaderFlyweight len(final int length)
    {
        segment.set(ValueLayout.JAVA_INT, offset + LEN_OFFSET, length);
        return this;
    }

    /**
     * {@code tp_snaplen}.
     *
     * @return bytes of the frame present in the ring.
     */
    public int snaplen()
    {
        return segment.get(ValueLayout.JAVA_INT, offset + SNAPLEN_OFFSET);
    }

    /**
     * {@code tp_mac}.
     *
     * @return offset of the Ethernet header from the frame's start.
     */
    public int mac()
    {
        return segment.get(ValueLayout.JAVA_SHORT, offset + MAC_OFFSET) & 0xffff;
    }

    /**
     * {@code tp_net}.
     *
     * @return offset of the network header from the frame's start.
     */
    public int net()
    {
        return segment.get(ValueLayout.JAVA_SHORT, offset + NET_OFFSET) & 0xffff;
    }

    /**
     * {@code tp_sec}.
     *
     * @return the kernel's receive timestamp, seconds.
     */
    public long sec()
    {
        return segment.get(ValueLayout.JAVA_INT, offset + SEC_OFFSET) & 0xffff_ffffL;
    }

    /**
     * {@code tp_nsec}.
     *
     * @return the kernel's receive timestamp, nanoseconds within the second.
     */
    public int nsec()
    {
        return segment.get(ValueLayout.JAVA_INT, offset + NSEC_OFFSET);
    }

    /**
     * The receive timestamp as nanoseconds since the epoch.
     *
     * @return {@code tp_sec * 1e9 + tp_nsec}.
     */
    public long timestampNs()
    {
        return sec() * 1_000_000_000L + nsec();
    }

    /**
     * {@code tp_vlan_tci}, valid when the status has {@link #TP_STATUS_VLAN_VALID}.
     *
     * @return the VLAN TCI the device stripped.
     */
    public int vlanTci()
    {
        return segment.get(ValueLayout.JAVA_SHORT, offset + VLAN_TCI_OFFSET) & 0xffff;
    }

    /**
     * {@code tp_vlan_tpid}, valid when the status has {@link #TP_STATUS_VLAN_TPID_VALID}.
     *
     * @return the VLAN TPID the device stripped.
     */
    public int vlanTpid()
    {
        return segment.get(ValueLayout.JAVA_SHORT, offset + VLAN_TPID_OFFSET) & 0xffff;
    }
}
