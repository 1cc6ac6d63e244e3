package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.oobnet.packet.bpf.BpfFilterBuilder;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.ring.PacketRingOptions;
import org.oobnet.packet.ring.PacketRingSocket;
import org.oobnet.packet.ring.RxRing;
import org.oobnet.soupbintcp.SoupBinTcpDescriptor;

/**
 * The exchange's per-segment kernel RX time of each order: a TPACKET_V2 RX ring on the exchange's interface (IPv4 to
 * the exchange's address, its own sends ignored) whose frame headers carry the kernel's receive time of every TCP
 * segment, parsed down to the SoupBinTCP orders it carries and written as each order's
 * {@link TickStamps#ORDER_TAP_RX}; {@link #chooseKernelRx} then picks each order's {@link TickStamps#ORDER_KERNEL_RX}.
 * <p>
 * Why the order socket's {@code SCM_TIMESTAMPING} is not enough: for a stream the kernel gives one stamp per
 * {@code recvmsg}, the last segment's (a segment merged into the one still queued before it keeps the newer stamp).
 * When the exchange reads late, an order still unread when the next arrived carries the next order's time, a tick
 * period after its own: that, not the trader, was the milliseconds of {@code order_out} and {@code wire} at p99
 * (BENCHMARKS.md "Session 12 — t2t ms p99"). The tap's time is taken per segment whenever the exchange reads, but
 * later in the receive path than the socket's (after veth's backlog: 1-3 us later at p50 on the project's machines),
 * so it stands in only where the socket's stamp is not the order's own.
 * <p>
 * A segment is parsed from its first payload byte as whole SoupBinTCP packets (each order goes out in its own send,
 * so a segment starts at a packet); a packet cut by the segment's end ends the parse ({@link #unparsed}). A
 * retransmitted order keeps its first time.
 * <p>
 * <b>Note:</b> opened in-band; {@link #drain} by one thread at a time (the tick thread, then the main thread once
 * the tick thread is done).
 */
final class OrderTap implements PacketFrameHandler, AutoCloseable
{
    // a frame holds the headers and a few orders; the ring holds several seconds of orders at 1 kHz between drains
    private static final int FRAME_SIZE = 512;
    private static final int FRAMES = 4096;
    private static final int BLOCK_SIZE = 64 * 1024;
    private static final int ETHERNET_HEADER_LENGTH = 14;
    private static final int IPPROTO_TCP = 6;

    private final PacketRingSocket rings;
    private final RxRing rx;
    private final int orderPort;
    private TickStamps stamps;
    private long segments;
    private long orders;
    private long unparsed;

    private OrderTap(final PacketRingSocket rings, final int orderPort)
    {
        this.rings = rings;
        this.rx = rings.rx();
        this.orderPort = orderPort;
    }

    /**
     * In-band, before the trader connects (in the exchange's namespace).
     *
     * @param interfaceName the exchange's interface.
     * @param address       the exchange's IPv4 address (the orders' destination).
     * @param orderPort     the exchange's SoupBinTCP port.
     * @return the tap.
     * @throws IOException naming the step that failed (the ring needs CAP_NET_RAW).
     */
    static OrderTap open(final String interfaceName, final String address, final int orderPort) throws IOException
    {
        final InetAddress inet = InetAddress.getByName(address);
        if (!(inet instanceof Inet4Address))
        {
            throw new IllegalArgumentException("address=" + address + " is not IPv4: the order tap filters IPv4");
        }
        final byte[] b = inet.getAddress();
        final int host = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        // ignore outgoing: the ticks the exchange sends are not copied to the ring
        final PacketRingSocket rings = PacketRingSocket.open(new PacketRingOptions()
            .interfaceName(interfaceName)
            .etherType(BpfFilterBuilder.ETH_P_IP)
            .filter(BpfFilterBuilder.filter().ipv4Destination(host).build())
            .rxRing(FRAME_SIZE, FRAMES, BLOCK_SIZE)
            .ignoreOutgoing(true));
        return new OrderTap(rings, orderPort);
    }

    /**
     * Every segment the ring holds, each order's time into {@code stamps} (when it has none yet).
     *
     * @param stamps the exchange's times.
     * @return frames taken.
     */
    int drain(final TickStamps stamps)
    {
        this.stamps = stamps;
        int taken = 0;
        int n;
        while ((n = rx.poll(this, FRAMES)) > 0)
        {
            taken += n;
        }
        return taken;
    }

    @Override
    public void onFrame(
        final DirectBuffer buffer, final int offset, final int length, final int wireLength, final long timestampNs,
        final int vlanTci, final int ifIndex)
    {
        final int ip = offset + ETHERNET_HEADER_LENGTH;
        final int end = offset + length;
        if (ip + 20 > end || (buffer.getByte(ip) & 0xf0) != 0x40 || buffer.getByte(ip + 9) != IPPROTO_TCP)
        {
            return;
        }
        final int tcp = ip + (buffer.getByte(ip) & 0x0f) * 4;
        if (tcp + 20 > end || (buffer.getShort(tcp + 2, ByteOrder.BIG_ENDIAN) & 0xffff) != orderPort)
        {
            return;
        }
        final int payloadEnd = Math.min(end, ip + (buffer.getShort(ip + 2, ByteOrder.BIG_ENDIAN) & 0xffff));
        int packet = tcp + ((buffer.getByte(tcp + 12) & 0xf0) >> 4) * 4;
        if (packet >= payloadEnd)
        {
            return; // a pure ACK
        }
        segments++;
        while (packet < payloadEnd)
        {
            final int lengthField = packet + SoupBinTcpDescriptor.PAYLOAD_OFFSET <= payloadEnd ?
                buffer.getShort(packet, ByteOrder.BIG_ENDIAN) & 0xffff : 0;
            final int next = packet + SoupBinTcpDescriptor.LENGTH_FIELD_LENGTH + lengthField;
            if (lengthField < 1 || next > payloadEnd)
            {
                unparsed++;
                return;
            }
            final int payload = packet + SoupBinTcpDescriptor.PAYLOAD_OFFSET;
            if (SoupBinTcpDescriptor.UNSEQUENCED_DATA == buffer.getByte(packet + SoupBinTcpDescriptor.TYPE_OFFSET) &&
                T2tMessages.isOrder(buffer, payload, lengthField - 1))
            {
                final long tick = T2tMessages.orderTick(buffer, payload);
                if (stamps.get(tick, TickStamps.ORDER_TAP_RX) == 0)
                {
                    stamps.put(tick, TickStamps.ORDER_TAP_RX, timestampNs);
                    orders++;
                }
            }
            packet = next;
        }
    }

    /**
     * In-band, once the run ended: each order's kernel RX time, its socket stamp where that is its own, else the
     * tap's. A socket stamp equal to the next order's is not: one read returned both and the stamp is the later
     * segment's (the last order of a read keeps its own).
     *
     * @param stamps the exchange's times.
     */
    static void chooseKernelRx(final TickStamps stamps)
    {
        for (int tick = 1; tick <= stamps.ticks(); tick++)
        {
            final long socket = stamps.get(tick, TickStamps.ORDER_SOCKET_RX);
            final boolean own = socket != 0 && socket != stamps.get(tick + 1, TickStamps.ORDER_SOCKET_RX);
            stamps.put(tick, TickStamps.ORDER_KERNEL_RX, own ? socket : stamps.get(tick, TickStamps.ORDER_TAP_RX));
        }
    }

    /** @return TCP segments with payload to the order port seen. */
    long segments()
    {
        return segments;
    }

    /** @return orders stamped (first sight of each). */
    long orders()
    {
        return orders;
    }

    /** @return segments whose payload ended inside a SoupBinTCP packet (the rest of that segment not stamped). */
    long unparsed()
    {
        return unparsed;
    }

    @Override
    public void close()
    {
        rings.release();
        rings.close();
    }
}
