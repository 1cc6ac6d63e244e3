package org.oobnet.inband.sys;

/**
 * Layout of {@code struct tpacket2_hdr}: the TPACKET_V2 frame header at the start of every ring frame (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   4  tp_status
 *     4   4  tp_len
 *     8   4  tp_snaplen
 *    12   2  tp_mac
 *    14   2  tp_net
 *    16   4  tp_sec
 *    20   4  tp_nsec
 *    24   2  tp_vlan_tci
 *    26   2  tp_vlan_tpid
 *    28   4  tp_padding
 *    32       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class Tpacket2HdrDescriptor
{
    /** {@code tp_status}: ownership and flags: {@code TP_STATUS_*}; read with acquire, write with release. */
    public static final int STATUS_OFFSET = 0;
    /** {@code tp_len}: original packet length. */
    public static final int LEN_OFFSET = 4;
    /** {@code tp_snaplen}: bytes captured in the frame. */
    public static final int SNAPLEN_OFFSET = 8;
    /** {@code tp_mac}: offset of the link-layer header from the frame start. */
    public static final int MAC_OFFSET = 12;
    /** {@code tp_net}: offset of the network header from the frame start. */
    public static final int NET_OFFSET = 14;
    /** {@code tp_sec}: timestamp seconds. */
    public static final int SEC_OFFSET = 16;
    /** {@code tp_nsec}: timestamp nanoseconds. */
    public static final int NSEC_OFFSET = 20;
    /** {@code tp_vlan_tci}: VLAN tag control information. */
    public static final int VLAN_TCI_OFFSET = 24;
    /** {@code tp_vlan_tpid}: VLAN tag protocol identifier. */
    public static final int VLAN_TPID_OFFSET = 26;
    /** {@code tp_padding}: padding. */
    public static final int PADDING_OFFSET = 28;
    /** {@code sizeof(struct tpacket2_hdr)}. */
    public static final int LENGTH = 32;

    /** {@code TPACKET2_HDRLEN}: the aligned header plus a {@code sockaddr_ll}. */
    public static final int HDRLEN = 32 + SockaddrLlDescriptor.LENGTH;
    /** TX frames: where the packet data starts, {@code TPACKET_ALIGN(sizeof(struct tpacket2_hdr))}, when
     * {@code PACKET_TX_HAS_OFF} is off. */
    public static final int TX_DATA_OFFSET = 32;

    /** RX {@code tp_status}: the frame belongs to the kernel. */
    public static final int TP_STATUS_KERNEL = 0;
    /** RX {@code tp_status}: the frame belongs to user space. */
    public static final int TP_STATUS_USER = 1;
    /** RX {@code tp_status}: the packet was truncated to the frame. */
    public static final int TP_STATUS_COPY = 1 << 1;
    /** RX {@code tp_status}: packets were dropped since the last statistics read. */
    public static final int TP_STATUS_LOSING = 1 << 2;
    /** RX {@code tp_status}: checksum not ready (outgoing, offloaded). */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** RX {@code tp_status}: {@code tp_vlan_tci} is valid. */
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    /** RX {@code tp_status}: {@code tp_vlan_tpid} is valid. */
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    /** RX {@code tp_status}: checksum validated. */
    public static final int TP_STATUS_CSUM_VALID = 1 << 7;
    /** RX {@code tp_status}: {@code tp_sec/tp_nsec} is the skb's software timestamp. */
    public static final int TP_STATUS_TS_SOFTWARE = 1 << 29;
    /** RX {@code tp_status}: {@code tp_sec/tp_nsec} is the NIC's raw hardware timestamp. */
    public static final int TP_STATUS_TS_RAW_HARDWARE = 1 << 31;
    /** TX {@code tp_status}: the frame is free for user space. */
    public static final int TP_STATUS_AVAILABLE = 0;
    /** TX {@code tp_status}: user space filled the frame; send it on the next kick. */
    public static final int TP_STATUS_SEND_REQUEST = 1;
    /** TX {@code tp_status}: the kernel is sending the frame. */
    public static final int TP_STATUS_SENDING = 1 << 1;
    /** TX {@code tp_status}: the kernel refused the frame (with {@code PACKET_LOSS}). */
    public static final int TP_STATUS_WRONG_FORMAT = 1 << 2;

    private Tpacket2HdrDescriptor()
    {
    }
}
