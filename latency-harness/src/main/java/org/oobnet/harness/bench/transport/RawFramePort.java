package org.oobnet.harness.bench.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.inband.Errno;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.packet.ring.KernelDropReader;
import org.oobnet.packet.ring.PacketRingOptions;
import org.oobnet.packet.ring.PacketRingSocket;
import org.oobnet.packet.ring.RxRing;
import org.oobnet.packet.ring.TxRing;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;

/**
 * One {@code AF_PACKET} socket with TPACKET_V2 RX and TX rings on one interface, bound to
 * {@link RawFrameTransport#ETHER_TYPE}, used as either end of the raw-frame ping-pong.
 * <p>
 * Send: claim a TX frame, write the Ethernet header and the message in place, commit, one kick. Receive: poll the
 * RX ring (a status read per check, no system call) until a frame of our EtherType arrives or the timeout passes;
 * its payload is copied out (64 bytes: cheaper than keeping the ring frame across calls) and its source MAC kept
 * for the reply. When the RX ring overflowed ({@link RxRing#takeDropsDue()}) the kernel's drops are read into the
 * ring's counters ({@code PACKET_STATISTICS}: one system call per overflow, none while the ring keeps up), and
 * {@link #ringKernelDrops()} reads the rest at the measured phase's edges, for the row's books.
 * <p>
 * <b>Note:</b> one owner thread; send and receive allocate nothing. {@link #close()} unmaps the rings after the
 * owner stopped using them, then closes the socket.
 */
final class RawFramePort implements ClientEndpoint, ReflectorEndpoint, PacketFrameHandler
{
    private static final int MAX_FRAME = 1514;
    private static final int FRAME_SIZE = 2048;
    private static final long BROADCAST = EthernetHeaderFlyweight.BROADCAST;
    private static final int PAGE = 4096;
    private static final int FRAMES = 64;

    private final PacketRingSocket rings;
    private final PacketCounters counters;
    private final RxRing rx;
    private final TxRing tx;
    private final KernelDropReader kernelDrops;
    private final long ownMac;
    private final String interfaceName;
    private final IdleKind idle;
    private final long timeoutNs;
    private final ByteBuffer sendBuffer;
    private final ByteBuffer receiveBuffer;
    private final EthernetHeaderFlyweight txEthernet = new EthernetHeaderFlyweight();
    private final EthernetHeaderFlyweight rxEthernet = new EthernetHeaderFlyweight();
    private long peerMac = BROADCAST;
    private int receivedLength;

    private RawFramePort(final PacketRingSocket rings, final TransportSettings settings)
    {
        this.rings = rings;
        this.counters = rings.counters();
        this.ownMac = rings.link().mac();
        this.interfaceName = settings.interfaceName();
        this.idle = settings.idle();
        this.timeoutNs = settings.receiveTimeoutNs();
        rx = rings.rx();
        tx = rings.tx();
        kernelDrops = rings.kernelDrops();
        final int capacity = Math.min(settings.maxDatagramBytes(), MAX_FRAME - EthernetHeaderFlyweight.HEADER_LENGTH);
        sendBuffer = ByteBuffer.allocate(capacity);
        receiveBuffer = ByteBuffer.allocate(capacity);
    }

    /**
     * In-band: opens the socket, maps its rings and binds it to the interface.
     *
     * @param settings the interface, idle strategy and timeout.
     * @return the port.
     * @throws IOException naming the step that failed and its errno ({@code socket} needs CAP_NET_RAW).
     */
    static RawFramePort open(final TransportSettings settings) throws IOException
    {
        final String name = settings.interfaceName();
        if (name == null)
        {
            throw new IOException("the raw-frame transport needs an interface name");
        }
        // qdisc bypass: straight to the device; ignore outgoing: our own sends do not come back on the RX ring
        final PacketRingSocket rings = PacketRingSocket.open(new PacketRingOptions()
            .interfaceName(name)
            .etherType(RawFrameTransport.ETHER_TYPE)
            .rxRing(FRAME_SIZE, FRAMES, PAGE)
            .txRing(FRAME_SIZE, FRAMES, PAGE)
            .qdiscBypass(true)
            .ignoreOutgoing(true)
            .txMaxFrameLength(MAX_FRAME));
        return new RawFramePort(rings, settings);
    }

    @Override
    public ByteBuffer sendBuffer()
    {
        return sendBuffer;
    }

    @Override
    public void send(final int length) throws IOException
    {
        sendFrame(sendBuffer, length);
    }

    private void sendFrame(final ByteBuffer payload, final int length) throws IOException
    {
        final int frameLength = EthernetHeaderFlyweight.HEADER_LENGTH + length;
        int rc;
        while ((rc = tx.claim(frameLength)) == -Errno.EWOULDBLOCK)
        {
            // every frame still in flight: kick and wait for the kernel to hand one back
            tx.flush();
            Thread.onSpinWait();
        }
        if (rc < 0)
        {
            throw new IOException("TX claim of " + frameLength + " bytes failed: " + Errno.name(rc));
        }
        final MutableDirectBuffer frame = tx.buffer();
        final int header = txEthernet.wrap(frame, 0).putHeader(peerMac, ownMac, RawFrameTransport.ETHER_TYPE);
        frame.putBytes(header, payload.array(), 0, length);
        tx.commit(frameLength);
        if (tx.flush() < 0)
        {
            throw new IOException("TX kick failed: " + Errno.name(-tx.lastKickErrno()));
        }
    }

    @Override
    public int receive()
    {
        final long deadline = System.nanoTime() + timeoutNs;
        receivedLength = -1;
        while (true)
        {
            final int taken = rx.poll(this, 1);
            if (rx.takeDropsDue())
            {
                kernelDrops.collect();
            }
            if (taken > 0 && receivedLength >= 0)
            {
                return receivedLength;
            }
            if (System.nanoTime() - deadline > 0)
            {
                return -1;
            }
            switch (idle)
            {
                case SPIN -> Thread.onSpinWait();
                case YIELD -> Thread.yield();
                case PARK -> LockSupport.parkNanos(1_000);
            }
        }
    }

    @Override
    public void onFrame(
        final DirectBuffer buffer, final int offset, final int length, final int wireLength, final long timestampNs,
        final int vlanTci, final int ifIndex)
    {
        final EthernetHeaderFlyweight ethernet = rxEthernet.wrap(buffer, offset);
        if (length < EthernetHeaderFlyweight.HEADER_LENGTH || ethernet.outerType() != RawFrameTransport.ETHER_TYPE)
        {
            return;
        }
        final int payload = Math.min(length - EthernetHeaderFlyweight.HEADER_LENGTH, receiveBuffer.capacity());
        buffer.getBytes(offset + EthernetHeaderFlyweight.HEADER_LENGTH, receiveBuffer.array(), 0, payload);
        peerMac = ethernet.source();
        receivedLength = payload;
    }

    @Override
    public ByteBuffer receiveBuffer()
    {
        return receiveBuffer;
    }

    @Override
    public ByteBuffer buffer()
    {
        return receiveBuffer;
    }

    @Override
    public void replyToSender(final int length) throws IOException
    {
        sendFrame(receiveBuffer, length);
    }

    @Override
    public InetSocketAddress localAddress()
    {
        return InetSocketAddress.createUnresolved(interfaceName, 0);
    }

    @Override
    public long ringKernelDrops()
    {
        kernelDrops.collect();
        return counters.get(PacketCounter.KERNEL_DROPS);
    }

    @Override
    public void close()
    {
        // the owner thread is done with the rings: unmap, then close
        rings.release();
        rings.close();
    }
}
