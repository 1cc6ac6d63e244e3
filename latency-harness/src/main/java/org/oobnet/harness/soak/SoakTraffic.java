package org.oobnet.harness.soak;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.harness.env.NamespaceThread;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.packet.PacketSocketState;
import org.oobnet.packet.port.InterfaceInfo;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;

/**
 * The soak's in-process streams: the AF_OOB bus and raw frames on oob-packet from namespace A to B (veth pair five, its
 * own), one sender thread
 * for both (a fixed rate, or a burst when asked) and one receiver thread polling both, each message checked and
 * booked in its {@link StreamLedger}; and the raw packet sockets' life (opened, closed with what they still held
 * booked as drops), which the faults pause, stall and restart.
 * <p>
 * <b>Note:</b> in-band; the control methods from the soak's thread, the traffic on its own two threads.
 */
final class SoakTraffic
{
    static final int ETHER_TYPE = 0x88b5;
    // pair five's (SoakNetwork.A5_MAC, B5_MAC)
    private static final long A_MAC = 0x020b05000401L;
    private static final long B_MAC = 0x020b05000402L;
    private static final int PAYLOAD = 46;
    private static final int BUS_STREAM = 1;
    private static final int PACKET_STREAM = 2;

    private final int ratePerSecond;
    private final StreamLedger bus;
    private final StreamLedger packet;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean receiverDone = new AtomicBoolean();
    private final AtomicBoolean sendPaused = new AtomicBoolean();
    private final AtomicBoolean receiverStalled = new AtomicBoolean();
    private final AtomicInteger burst = new AtomicInteger();
    private volatile OobSocket packetSender;
    private volatile OobSocket packetReceiver;
    private KSocket packetSenderSocket;
    private KSocket packetReceiverSocket;
    private long rawTapped;
    private Thread sender;
    private Thread receiver;

    SoakTraffic(final int ratePerSecond, final StreamLedger bus, final StreamLedger packet)
    {
        this.ratePerSecond = ratePerSecond;
        this.bus = bus;
        this.packet = packet;
    }

    /** Starts the sender and the receiver threads on the bus sockets and the raw packet sockets opened. */
    void start(final OobSocket busSender, final OobSocket busReceiver)
    {
        sender = new Thread(() -> send(busSender), "soak-sender");
        receiver = new Thread(() -> receive(busReceiver), "soak-receiver");
        sender.setDaemon(true);
        receiver.setDaemon(true);
        sender.start();
        receiver.start();
    }

    void stopSending() throws InterruptedException
    {
        running.set(false);
        sender.join(5_000);
    }

    /** Once the senders stopped: waits until nothing more arrives, then stops the receiver. */
    void stopReceiving() throws InterruptedException
    {
        SoakWaits.awaitQuiet(() -> bus.received + packet.received, 500_000_000L);
        receiverDone.set(true);
        receiver.join(5_000);
    }

    void pauseSending(final boolean paused)
    {
        sendPaused.set(paused);
    }

    void stallReceiver(final boolean stalled)
    {
        receiverStalled.set(stalled);
    }

    /**
     * Sends {@code messages} raw frames as fast as the send ring takes them (the bus stream keeps its rate); returns
     * when they are sent, or after 2 s.
     */
    void burst(final int messages)
    {
        burst.set(messages);
        final long deadline = System.nanoTime() + 2_000_000_000L;
        while (burst.get() > 0 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000L);
        }
    }

    OobSocket packetSender()
    {
        return packetSender;
    }

    OobSocket packetReceiver()
    {
        return packetReceiver;
    }

    /** @return frames the last closed raw receiver's ring was given (see {@link #tapped}). */
    long rawTapped()
    {
        return rawTapped;
    }

    void openPacketSockets(final NamespaceThread inA, final NamespaceThread inB) throws Exception
    {
        packetReceiverSocket = inB.call(() -> openPacket(SoakNetwork.B5_INTERFACE));
        packetSenderSocket = inA.call(() -> openPacket(SoakNetwork.A5_INTERFACE));
        packetReceiver = OobSocket.of(packetReceiverSocket);
        packetSender = OobSocket.of(packetSenderSocket);
    }

    void closePacketSockets() throws Exception
    {
        final OobSocket sender = packetSender;
        final OobSocket receiver = packetReceiver;
        packetSender = null;
        // the sender's send ring drains into the TX ring, and the TX ring to the wire, before it closes
        final long deadline = System.nanoTime() + 2_000_000_000L;
        while (sender.sendQueuedBytes() > 0 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000L);
        }
        LockSupport.parkNanos(100_000_000L);
        packetSenderSocket.close();
        // read after close: what release found still queued in the send ring and in the TX ring (frames the kernel
        // still refused); a freed counter is not reused before the last reference went
        packet.dropSender(sender.counters());
        packet.dropPacketSender(PacketSocketState.of(sender).counters());
        LockSupport.parkNanos(100_000_000L);
        packetReceiver = null;
        LockSupport.parkNanos(10_000_000L);
        // the receiver thread no longer polls this socket: what the stage already queued is taken here
        final SoakMessage check = new SoakMessage();
        final OobReceiveHandler drain = (socket, buffer, offset, length) -> onFrame(check, buffer, offset, length);
        while (receiver.poll(drain, 256) > 0)
        {
            LockSupport.parkNanos(1_000L);
        }
        packetReceiverSocket.close();
        // read after close: the stage took the kernel's last RX drops as the socket left it
        final PacketCounters received = PacketSocketState.of(receiver).counters();
        rawTapped = tapped(received);
        packet.dropPacketReceiver(received);
        packet.dropReceiver(receiver.counters());
    }

    /**
     * Frames a packet socket's RX ring handed over or dropped with a reason: every frame it was given.
     *
     * @param counters the socket's (or port's) counters.
     * @return frames.
     */
    static long tapped(final PacketCounters counters)
    {
        return counters.get(PacketCounter.FRAMES_IN) + counters.get(PacketCounter.KERNEL_DROPS) +
            counters.get(PacketCounter.RUNTS) + counters.get(PacketCounter.TRUNCATED) +
            counters.get(PacketCounter.FILTER_MISSES) + counters.get(PacketCounter.RX_UNREAD_AT_CLOSE) +
            counters.get(PacketCounter.RX_STALE_DISCARDED);
    }

    static KSocket openPacket(final String interfaceName) throws Exception
    {
        final KSocket socket = KSocket.socket(SocketConstants.AF_PACKET,
            SocketConstants.SOCK_RAW | SocketConstants.SOCK_OOB, SocketConstants.htons(ETHER_TYPE));
        try (Arena arena = Arena.ofConfined())
        {
            final int ifIndex = InterfaceInfo.indexOf(interfaceName);
            final MemorySegment ll = SockAddr.encodeLinkLayer(ifIndex, ETHER_TYPE, null, arena);
            socket.bind(ll);
        }
        catch (final Exception | Error ex)
        {
            socket.close();
            throw ex;
        }
        return socket;
    }

    private void send(final OobSocket busSender)
    {
        final SoakMessage message = new SoakMessage();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final long intervalNs = 1_000_000_000L / ratePerSecond;
        long busSequence = 0;
        long packetSequence = 0;
        long nextNs = System.nanoTime();
        while (running.get())
        {
            final int burstLeft = burst.get();
            if (burstLeft == 0)
            {
                final long waitNs = nextNs - System.nanoTime();
                if (waitNs > 0)
                {
                    LockSupport.parkNanos(waitNs);
                    continue;
                }
                nextNs += intervalNs;
                final int length = message.write(frame, 0, BUS_STREAM, busSequence, PAYLOAD);
                if (busSender.offer(frame, 0, length) >= 0)
                {
                    busSequence++;
                    bus.sent = busSequence;
                }
                else
                {
                    bus.refused++;
                }
            }
            if (sendPaused.get())
            {
                continue;
            }
            final OobSocket sender = packetSender;
            if (null == sender)
            {
                continue;
            }
            frame.putLong(0, B_MAC << 16, ByteOrder.BIG_ENDIAN); // dst (6 bytes) then src
            frame.putLong(6, A_MAC << 16, ByteOrder.BIG_ENDIAN);
            frame.putShort(12, (short)ETHER_TYPE, ByteOrder.BIG_ENDIAN);
            final int length = 14 + message.write(frame, 14, PACKET_STREAM, packetSequence, PAYLOAD);
            if (sender.offer(frame, 0, length) >= 0)
            {
                packetSequence++;
                packet.sent = packetSequence;
                if (burstLeft > 0)
                {
                    burst.decrementAndGet();
                }
            }
            else
            {
                packet.refused++;
                if (burstLeft > 0)
                {
                    Thread.yield();
                }
            }
        }
    }

    private void receive(final OobSocket busReceiver)
    {
        final SoakMessage busCheck = new SoakMessage();
        final SoakMessage packetCheck = new SoakMessage();
        final OobReceiveHandler onBus = (socket, buffer, offset, length) ->
            bus.onReceived(SoakMessage.sequence(buffer, offset),
                SoakMessage.stream(buffer, offset) == BUS_STREAM && busCheck.isIntact(buffer, offset, length));
        final OobReceiveHandler onPacket = (socket, buffer, offset, length) -> onFrame(packetCheck, buffer, offset, length);
        while (!receiverDone.get())
        {
            if (receiverStalled.get())
            {
                LockSupport.parkNanos(1_000_000L);
                continue;
            }
            int work = busReceiver.poll(onBus, 256);
            final OobSocket receiver = packetReceiver;
            if (null != receiver)
            {
                work += receiver.poll(onPacket, 256);
            }
            if (0 == work)
            {
                LockSupport.parkNanos(50_000L);
            }
        }
    }

    private void onFrame(final SoakMessage check, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 14 + SoakMessage.HEADER_LENGTH ||
            (buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xffff) != ETHER_TYPE)
        {
            packet.corrupt++;
            return;
        }
        packet.onReceived(SoakMessage.sequence(buffer, offset + 14),
            SoakMessage.stream(buffer, offset + 14) == PACKET_STREAM && check.isIntact(buffer, offset + 14, length - 14));
    }
}
