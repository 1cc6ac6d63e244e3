package org.oobnet.harness.soak;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.oobnet.core.OobSocket;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.udp.PacketPort;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.transport.KernelBusyPollTransport;

/**
 * The books of one {@link UdpSoakPeer}: its three streams' ledgers, what each side counts as the sockets close
 * (the transports' and sockets' drops, the ports' drops by reason) and the {@code RESULT} the parent reads.
 * <p>
 * <b>Note:</b> in-band; the ledgers are written by the peer's traffic thread while it runs, the rest by the peer's
 * own thread after it stopped.
 */
final class UdpPeerBooks
{
    final StreamLedger packet = new StreamLedger("udp-packet", true);
    final StreamLedger kernel = new StreamLedger("udp-kernel", true);
    final StreamLedger mcast = new StreamLedger("udp-mcast", true);
    private long kernelAccepted;
    private long packetTapped;

    /** The sender's books at the end: what the kernel refused and what release found still queued. */
    void accountSender(final UdpSoakSockets sockets) throws ErrnoException
    {
        final OobSocket packetOob = sockets.packetOob();
        final OobSocket kernelOob = sockets.kernelOob();
        final OobSocket mcastOob = sockets.mcastOob();
        final KernelBusyPollTransport transport = UdpSockets.state(kernelOob).kernelTransport();
        kernel.drop("sender: refused by the kernel (sendmmsg)", null == transport ? 0 : transport.sendErrorCount());
        kernelAccepted = null == transport ? 0 : transport.acceptedCount();
        final long inband = UdpSockets.state(packetOob).inbandSends();
        sockets.packet().close();
        sockets.kernel().close();
        // read after close: what release found still queued
        packet.dropSender(packetOob.counters());
        kernel.dropSender(kernelOob.counters());
        if (inband > 0)
        {
            // not a drop, but beyond this soak's books: a message that took the kernel's path may be lost uncounted
            packet.note("sent through the kernel's in-band path (route or neighbour cache miss)", inband);
        }
        sockets.mcast().close();
        mcast.dropSender(mcastOob.counters());
    }

    /** The receiver's books at the end: the transports' and sockets' drops. */
    void accountReceiver(final UdpSoakSockets sockets, final long leaves) throws ErrnoException
    {
        final OobSocket packetOob = sockets.packetOob();
        final OobSocket kernelOob = sockets.kernelOob();
        final OobSocket mcastOob = sockets.mcastOob();
        final KernelBusyPollTransport transport = UdpSockets.state(kernelOob).kernelTransport();
        kernel.drop("receiver: truncated", null == transport ? 0 : transport.truncatedCount());
        kernel.drop("receiver: kernel socket buffer full (SO_MEMINFO drops)", kernelSocketDrops(sockets.kernel()));
        sockets.packet().close();
        sockets.kernel().close();
        // the packet transport's port counts every datagram its socket could not take (receive-full: the ring was
        // full, the socket not on the stage, or shut for reading), so that socket's own drops are not added again
        packet.note("of receive-full, the socket's receive ring was full", packetOob.counters().dropsRingFull().get());
        kernel.dropReceiver(kernelOob.counters());
        sockets.mcast().close();
        mcast.note("of receive-full, the socket's receive ring was full", mcastOob.counters().dropsRingFull().get());
        mcast.note("times the receiver left the group and joined it again under traffic", leaves);
    }

    /**
     * After the runtime closed: the ports count at close what their TX rings still held and their RX rings' last
     * drops; each pair's port carries one stream.
     */
    void accountPorts(final List<PacketPort> ports, final String packetInterface, final boolean sender)
    {
        for (final PacketPort port : ports)
        {
            final boolean pairOne = packetInterface.equals(port.name());
            final StreamLedger ledger = pairOne ? packet : mcast;
            if (sender)
            {
                ledger.dropPacketSender(port.packetCounters());
            }
            else
            {
                if (pairOne)
                {
                    packetTapped += SoakTraffic.tapped(port.packetCounters());
                }
                ledger.dropPacketReceiver(port.packetCounters());
                for (final DropReason reason : DropReason.values())
                {
                    if (reason != DropReason.NONE)
                    {
                        ledger.drop("receiver: " + reason.label(), port.drops().drops(reason));
                    }
                }
            }
        }
    }

    /**
     * The {@code RESULT} line's fields after the stage's own ({@code stageAlive}, {@code stageErrors},
     * {@code stalls}).
     */
    void putResult(final Map<String, Object> result, final ProcessResources before, final ProcessResources after)
    {
        result.put("descriptors", List.of(before.descriptors(), after.descriptors()));
        result.put("socketMappings", List.of(before.socketMappings(), after.socketMappings()));
        result.put("streams", List.of(PeerResult.of(packet), PeerResult.of(kernel), PeerResult.of(mcast)));
        result.put("kernelAccepted", kernelAccepted);
        result.put("packetTapped", packetTapped);
    }

    // the kernel's drops on the kernel transport's socket (its receive buffer was full: the stage fell behind)
    private static long kernelSocketDrops(final KSocket socket)
    {
        try
        {
            return UdpSockets.kernelReceiveDrops(socket);
        }
        catch (final ErrnoException ex)
        {
            throw new IllegalStateException("getsockopt(SO_MEMINFO) on the kernel transport's socket: " +
                ex.getMessage(), ex);
        }
    }

    /** One stream's books as the child reports them. */
    record PeerResult(String stream, long sent, long refused, long received, long corrupt, long duplicates,
        long reordered, Map<String, Long> drops, Map<String, Long> notes, String gaps)
    {
        static PeerResult of(final StreamLedger ledger)
        {
            return new PeerResult(ledger.name, ledger.sent, ledger.refused, ledger.received, ledger.corrupt,
                ledger.duplicates, ledger.reordered, ledger.drops, ledger.notes, ledger.gaps(8));
        }
    }
}
