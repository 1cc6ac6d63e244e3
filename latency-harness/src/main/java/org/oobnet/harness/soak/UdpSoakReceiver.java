package org.oobnet.harness.soak;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * The receiving side of a {@link UdpSoakPeer} (namespace B): checks every message of the three streams into their
 * ledgers, stops polling for a {@code stall}, and leaves the multicast group for {@value UdpSoakPeer#LEFT_MS} ms every
 * {@value UdpSoakPeer#JOINED_MS} ms under traffic (B's port counts what arrives meanwhile as not joined).
 * <p>
 * <b>Note:</b> in-band; the commands from the peer's thread, the traffic on {@code soak-udp-receiver}, the
 * membership changes on {@code soak-udp-membership}.
 */
final class UdpSoakReceiver implements UdpPeerSide
{
    private final UdpPeerBooks books;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final int group = Ipv4Flyweight.parseAddress(UdpSoakPeer.MCAST_GROUP);
    private final int mcastAddress = Ipv4Flyweight.parseAddress(SoakNetwork.B4_ADDRESS);
    private long leaves;
    private Thread traffic;
    private Thread membership;

    UdpSoakReceiver(final UdpPeerBooks books)
    {
        this.books = books;
    }

    @Override
    public void bind(final UdpSoakSockets sockets) throws Exception
    {
        sockets.packet().bind(new InetSocketAddress(SoakNetwork.B_ADDRESS, UdpSoakPeer.PACKET_PORT));
        sockets.kernel().bind(new InetSocketAddress(SoakNetwork.B2_ADDRESS, UdpSoakPeer.KERNEL_PORT));
        sockets.mcast().bind(new InetSocketAddress(UdpSoakPeer.MCAST_GROUP, UdpSoakPeer.MCAST_PORT));
        UdpSockets.membership(sockets.mcast(), true, group, mcastAddress, 0);
    }

    @Override
    public void start(final UdpSoakSockets sockets)
    {
        final OobSocket packet = sockets.packetOob();
        final OobSocket kernel = sockets.kernelOob();
        final OobSocket mcast = sockets.mcastOob();
        membership = new Thread(() -> leaveAndJoin(sockets.mcast()), "soak-udp-membership");
        membership.setDaemon(true);
        traffic = new Thread(() -> receive(packet, kernel, mcast), "soak-udp-receiver");
        traffic.setDaemon(true);
        traffic.start();
        membership.start();
    }

    @Override
    public void command(final String command, final long argument)
    {
        if (!"stall".equals(command))
        {
            throw new IllegalArgumentException("command=" + command + " is the sender's; the receiver takes stall MS");
        }
        stalled.set(true);
        LockSupport.parkNanos(argument * 1_000_000L);
        stalled.set(false);
    }

    @Override
    public void stop(final UdpSoakSockets sockets, final UdpPeerBooks books) throws Exception
    {
        SoakWaits.awaitQuiet(() -> books.packet.received + books.kernel.received + books.mcast.received, 300_000_000L);
        running.set(false);
        traffic.join(5_000);
        membership.join(5_000);
        books.accountReceiver(sockets, leaves);
    }

    private void receive(final OobSocket packetSocket, final OobSocket kernelSocket, final OobSocket mcastSocket)
    {
        final SoakMessage check = new SoakMessage();
        final OobReceiveHandler onPacket = (socket, buffer, offset, length) ->
            onRecord(books.packet, UdpSoakPeer.PACKET_STREAM, check, buffer, offset, length);
        final OobReceiveHandler onKernel = (socket, buffer, offset, length) ->
            onRecord(books.kernel, UdpSoakPeer.KERNEL_STREAM, check, buffer, offset, length);
        final OobReceiveHandler onMcast = (socket, buffer, offset, length) ->
            onRecord(books.mcast, UdpSoakPeer.MCAST_STREAM, check, buffer, offset, length);
        while (running.get())
        {
            if (stalled.get())
            {
                LockSupport.parkNanos(1_000_000L);
                continue;
            }
            final int work = packetSocket.poll(onPacket, 256) + kernelSocket.poll(onKernel, 256) +
                mcastSocket.poll(onMcast, 256);
            if (0 == work)
            {
                LockSupport.parkNanos(50_000L);
            }
        }
        // what the stage already queued is taken before the books are read
        while (packetSocket.poll(onPacket, 256) + kernelSocket.poll(onKernel, 256) + mcastSocket.poll(onMcast, 256) > 0)
        {
            Thread.onSpinWait();
        }
    }

    // membership churn under traffic: out of the group for LEFT_MS every JOINED_MS, back in at the end
    private void leaveAndJoin(final KSocket socket)
    {
        try
        {
            while (running.get())
            {
                LockSupport.parkNanos(UdpSoakPeer.JOINED_MS * 1_000_000L);
                UdpSockets.membership(socket, false, group, mcastAddress, 0);
                leaves++;
                LockSupport.parkNanos(UdpSoakPeer.LEFT_MS * 1_000_000L);
                UdpSockets.membership(socket, true, group, mcastAddress, 0);
            }
        }
        catch (final ErrnoException ex)
        {
            throw new IllegalStateException("soak multicast membership: " + ex.getMessage(), ex);
        }
    }

    private static void onRecord(final StreamLedger ledger, final int stream, final SoakMessage check,
        final DirectBuffer buffer, final int offset, final int length)
    {
        final int message = offset + UdpAddressHeader.LENGTH;
        if (length < UdpAddressHeader.LENGTH + SoakMessage.HEADER_LENGTH)
        {
            ledger.corrupt++;
            return;
        }
        ledger.onReceived(SoakMessage.sequence(buffer, message),
            SoakMessage.stream(buffer, message) == stream && check.isIntact(buffer, message, length - UdpAddressHeader.LENGTH));
    }
}
