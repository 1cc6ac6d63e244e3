package org.oobnet.harness.latency.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.harness.latency.run.IdleKind;
import org.oobnet.inband.Errno;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockaddrLlDescriptor;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.ring.PacketRingMapping;
import org.oobnet.packet.ring.RingGeometry;
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
 * for the reply.
 * <p>
 * <b>Note:</b> one owner thread; send and receive allocate nothing. {@link #close()} unmaps the rings after the
 * owner stopped using them, then closes the socket.
 */
final class RawFramePort implements ClientEndpoint, ReflectorEndpoint, PacketFrameHandler
{
    private static final int ETHERNET_HEADER = 14;
    private static final int MAX_FRAME = 1514;
    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    private static final int PAGE = 4096;
    private static final int FRAMES = 64;

    private final ErrnoCapture errno;
    private final int fd;
    private final PacketRingMapping mapping;
    private final PacketCounters counters = new PacketCounters();
    private final RxRing rx;
    private final TxRing tx;
    private final long ownMac;
    private final String interfaceName;
    private final IdleKind idle;
    private final long timeoutNs;
    private final ByteBuffer sendBuffer;
    private final ByteBuffer receiveBuffer;
    private long peerMac = BROADCAST;
    private int receivedLength;

    private RawFramePort(
        final ErrnoCapture errno, final int fd, final PacketRingMapping mapping, final long ownMac,
        final TransportSettings settings)
    {
        this.errno = errno;
        this.fd = fd;
        this.mapping = mapping;
        this.ownMac = ownMac;
        this.interfaceName = settings.interfaceName();
        this.idle = settings.idle();
        this.timeoutNs = settings.receiveTimeoutNs();
        rx = new RxRing(mapping.rxRing(), mapping.rxGeometry(), counters);
        tx = new TxRing(mapping.txRing(), mapping.txGeometry(), fd, MAX_FRAME, counters, errno);
        final int capacity = Math.min(settings.maxDatagramBytes(), MAX_FRAME - ETHERNET_HEADER);
        sendBuffer = ByteBuffer.allocate(capacity);
        receiveBuffer = ByteBuffer.allocate(capacity);
    }

    /**
     * In-band: opens the socket, maps its rings and binds it to the interface.
     *
     * @param settings the interface, idle strategy and timeout.
     * @return the port.
     * @throws IOException naming the step that failed and its errno.
     */
    static RawFramePort open(final TransportSettings settings) throws IOException
    {
        final String name = settings.interfaceName();
        if (name == null)
        {
            throw new IOException("the raw-frame transport needs an interface name");
        }
        final long mac = readMac(name);
        final ErrnoCapture errno = new ErrnoCapture();
        final int fd = LibC.socket(errno, SocketConstants.AF_PACKET, SocketConstants.SOCK_RAW,
            SocketConstants.htons(RawFrameTransport.ETHER_TYPE));
        if (fd < 0)
        {
            throw new IOException("socket(AF_PACKET, SOCK_RAW) failed: " + Errno.name(fd) +
                " (needs CAP_NET_RAW)");
        }
        final StringBuilder failure = new StringBuilder();
        final RingGeometry geometry = RingGeometry.of(2048, FRAMES, PAGE, PAGE);
        // qdisc bypass: straight to the device; ignore outgoing: our own sends do not come back on the RX ring
        final PacketRingMapping mapping = PacketRingMapping.map(errno, fd, geometry, geometry, true, true, failure);
        if (mapping == null)
        {
            LibC.close(errno, fd);
            throw new IOException("cannot set up the rings on " + name + ": " + failure);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final int ifIndex = LibC.ifNameToIndex(errno, arena.allocateFrom(name));
            if (ifIndex <= 0)
            {
                throw new IOException("no interface " + name + ": " + Errno.name(ifIndex));
            }
            final MemorySegment ll = arena.allocate(SockaddrLlDescriptor.LENGTH, 4).fill((byte)0);
            ll.set(ValueLayout.JAVA_SHORT, SockaddrLlDescriptor.FAMILY_OFFSET, (short)SocketConstants.AF_PACKET);
            ll.set(ValueLayout.JAVA_SHORT, SockaddrLlDescriptor.PROTOCOL_OFFSET,
                (short)SocketConstants.htons(RawFrameTransport.ETHER_TYPE));
            ll.set(ValueLayout.JAVA_INT, SockaddrLlDescriptor.IFINDEX_OFFSET, ifIndex);
            final int rc = LibC.bind(errno, fd, ll, SockaddrLlDescriptor.LENGTH);
            if (rc < 0)
            {
                throw new IOException("bind(AF_PACKET, " + name + ") failed: " + Errno.name(rc));
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            mapping.unmap(errno);
            LibC.close(errno, fd);
            throw ex;
        }
        return new RawFramePort(errno, fd, mapping, mac, settings);
    }

    private static long readMac(final String name) throws IOException
    {
        final Path file = Path.of("/sys/class/net", name, "address");
        try
        {
            return Long.parseLong(Files.readString(file).trim().replace(":", ""), 16);
        }
        catch (final IOException | NumberFormatException ex)
        {
            throw new IOException("cannot read the MAC address of interface " + name + " from " + file + ": " +
                ex.getMessage(), ex);
        }
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
        final int frameLength = ETHERNET_HEADER + length;
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
        putMac(frame, 0, peerMac);
        putMac(frame, 6, ownMac);
        frame.putShort(12, (short)RawFrameTransport.ETHER_TYPE, ByteOrder.BIG_ENDIAN);
        frame.putBytes(ETHERNET_HEADER, payload.array(), 0, length);
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
            if (rx.poll(this, 1) > 0 && receivedLength >= 0)
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
        if (length < ETHERNET_HEADER ||
            (buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) != RawFrameTransport.ETHER_TYPE)
        {
            return;
        }
        final int payload = Math.min(length - ETHERNET_HEADER, receiveBuffer.capacity());
        buffer.getBytes(offset + ETHERNET_HEADER, receiveBuffer.array(), 0, payload);
        peerMac = getMac(buffer, offset + 6);
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

    /**
     * @return frames the kernel could not put in the RX ring, and other ring counters, for the report.
     */
    String counters()
    {
        return "frames in=" + counters.get(PacketCounter.FRAMES_IN) + " out=" + counters.get(PacketCounter.FRAMES_OUT) +
            " tx ring full=" + counters.get(PacketCounter.TX_RING_FULL);
    }

    private static void putMac(final MutableDirectBuffer frame, final int index, final long mac)
    {
        for (int i = 0; i < 6; i++)
        {
            frame.putByte(index + i, (byte)(mac >>> (8 * (5 - i))));
        }
    }

    private static long getMac(final DirectBuffer buffer, final int index)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (buffer.getByte(index + i) & 0xFF);
        }
        return mac;
    }

    @Override
    public void close()
    {
        // the owner thread is done with the rings: unmap, then close
        mapping.unmap(errno);
        LibC.close(errno, fd);
    }
}
