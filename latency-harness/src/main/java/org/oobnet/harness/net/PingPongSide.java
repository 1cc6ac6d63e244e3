package org.oobnet.harness.net;

import net.openhft.affinity.Affinity;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockaddrInDescriptor;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketProtocol;
import org.oobnet.packet.PacketSocketState;
import org.oobnet.packet.port.InterfaceInfo;
import org.oobnet.packet.ring.PacketFrameHandler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.oobnet.inband.SocketConstants.*;

/**
 * One side of the raw-frame ping-pong benchmark, run as its own process inside a network namespace by
 * {@link PacketPingPong}: {@code oob-ping}, {@code oob-echo} (OOB packet sockets, the stage spinning on the RX
 * ring), {@code udp-ping}, {@code udp-echo} (a kernel UDP socket, one thread spinning on
 * {@code recv(MSG_DONTWAIT)}). Ping sides print one {@code RESULT} line; echo sides print {@code READY} and run
 * until their standard input closes (or a safety timeout), so no spinner outlives the run.
 * <p>
 * <b>Note:</b> a process entry point; each side spins exactly one thread, pinned to its CPU.
 */
public final class PingPongSide
{
    static final int ETHER_TYPE = 0x88b5;
    static final int UDP_PORT = 40700;
    private static final long LOSS_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long SAFETY_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);

    private PingPongSide()
    {
    }

    /**
     * {@code role cpu interface ownMac peerMac ownIp peerIp warmup samples payload}.
     *
     * @param args as above; MACs as hex, IPs dotted.
     * @throws Exception on setup failure (the orchestrator reports the process's stderr).
     */
    public static void main(final String[] args) throws Exception
    {
        final String role = args[0];
        final int cpu = Integer.parseInt(args[1]);
        final String ifName = args[2];
        final long ownMac = Long.parseLong(args[3], 16);
        final long peerMac = Long.parseLong(args[4], 16);
        final int ownIp = ipv4(args[5]);
        final int peerIp = ipv4(args[6]);
        final int warmup = Integer.parseInt(args[7]);
        final int samples = Integer.parseInt(args[8]);
        final int payload = Integer.parseInt(args[9]);

        final Thread safety = new Thread(() ->
        {
            try
            {
                Thread.sleep(SAFETY_TIMEOUT_MS);
                System.err.println("pingpong " + role + ": safety timeout, exiting");
                Runtime.getRuntime().halt(4);
            }
            catch (final InterruptedException ignore)
            {
                // the run ended first
            }
        }, "pingpong-safety");
        safety.setDaemon(true);
        safety.start();

        switch (role)
        {
            case "oob-echo", "oob-ping" -> runOob(role.equals("oob-ping"), cpu, ifName, ownMac, peerMac, warmup,
                samples, payload);
            case "udp-echo", "udp-ping" -> runUdp(role.equals("udp-ping"), cpu, ownIp, peerIp, warmup, samples,
                payload);
            default -> throw new IllegalArgumentException("role=" + role + " must be oob-ping, oob-echo, udp-ping or udp-echo");
        }
        System.exit(0);
    }

    private static void runOob(
        final boolean ping, final int cpu, final String ifName, final long ownMac, final long peerMac,
        final int warmup, final int samples, final int payload) throws Exception
    {
        final PacketConfig config = PacketConfig.fromProperties(Map.of(
            PacketConfig.QDISC_BYPASS_KEY, "true", PacketConfig.INTERFACES_KEY, ifName));
        final ProtocolRegistry registry = new ProtocolRegistry().register(AF_PACKET, new PacketProtocol(config));
        final OobRuntime runtime = OobRuntime.start(OobConfig.builder()
            .stageCpu(cpu)
            .idleStrategy(OobConfig.IdleStrategyKind.SPIN)
            .countersDir(Files.createTempDirectory("oobnet-pingpong"))
            .build(), registry);
        try (KSocket socket = KSocket.socket(AF_PACKET, SOCK_RAW | SOCK_OOB, SocketConstants.htons(ETHER_TYPE)))
        {
            try (Arena arena = Arena.ofConfined())
            {
                socket.bind(SockAddr.encodeLinkLayer(
                    InterfaceInfo.indexOf(ErrnoCapture.current(), ifName), ETHER_TYPE, null, arena));
            }
            final OobSocket oob = OobSocket.of(socket);
            if (!ping)
            {
                PacketSocketState.of(oob).frameHandler(new OobEcho(oob));
                System.out.println("READY");
                System.out.flush();
                while (System.in.read() != -1)
                {
                    // until the orchestrator closes our input
                }
                return;
            }

            final OobPing pinger = new OobPing(oob, ownMac, peerMac, warmup, samples, payload);
            PacketSocketState.of(oob).frameHandler(pinger);
            runtime.addTask(pinger, OobTask.Schedule.EVERY_CYCLE);
            while (!pinger.done)
            {
                Thread.sleep(10);
            }
            runtime.removeTask(pinger);
            printResult("oob", pinger.histogram, pinger.lost, runtime.counters().stalls().get());
        }
        finally
        {
            runtime.close();
        }
    }

    private static void runUdp(
        final boolean ping, final int cpu, final int ownIp, final int peerIp, final int warmup, final int samples,
        final int payload) throws Exception
    {
        final ErrnoCapture errno = new ErrnoCapture();
        final int fd = LibC.socket(errno, AF_INET, SOCK_DGRAM, 0);
        if (fd < 0)
        {
            throw new IllegalStateException("socket(AF_INET, SOCK_DGRAM) failed: " + org.oobnet.inband.Errno.name(fd));
        }
        final Arena arena = Arena.ofShared();
        final MemorySegment own = sockaddrIn(arena, ownIp, ping ? 0 : UDP_PORT);
        final MemorySegment peer = sockaddrIn(arena, peerIp, UDP_PORT);
        if (LibC.bind(errno, fd, own, SockaddrInDescriptor.LENGTH) < 0)
        {
            throw new IllegalStateException("bind failed: " + org.oobnet.inband.Errno.name(-errno.errno()));
        }
        final MemorySegment buffer = arena.allocate(2048, 64);
        final MemorySegment from = arena.allocate(SockaddrInDescriptor.LENGTH, 8);
        final MemorySegment fromLength = arena.allocate(ValueLayout.JAVA_INT);
        try
        {
            if (!ping)
            {
                final UdpEcho echo = new UdpEcho(cpu, fd, buffer, from, fromLength);
                final Thread spinner = new Thread(echo, "udp-echo");
                spinner.start();
                System.out.println("READY");
                System.out.flush();
                while (System.in.read() != -1)
                {
                    // until the orchestrator closes our input
                }
                echo.running = false;
                spinner.join();
                return;
            }

            final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            final long[] lost = new long[1];
            final Thread spinner = new Thread(() ->
            {
                Affinity.setAffinity(cpu);
                final ErrnoCapture e = new ErrnoCapture();
                // like the OOB side: a lost round trip is counted and retried, so exactly `samples` are recorded
                for (int i = 0; i < warmup + samples; )
                {
                    buffer.set(ValueLayout.JAVA_INT, 0, i);
                    final long t0 = System.nanoTime();
                    LibC.sendtoCritical(e, fd, buffer, payload, 0, peer, SockaddrInDescriptor.LENGTH);
                    while (true)
                    {
                        fromLength.set(ValueLayout.JAVA_INT, 0, SockaddrInDescriptor.LENGTH);
                        final long n = LibC.recvfromCritical(e, fd, buffer, 2048, MSG_DONTWAIT, from, fromLength);
                        final long now = System.nanoTime();
                        if (n > 0 && buffer.get(ValueLayout.JAVA_INT, 0) == i)
                        {
                            if (i >= warmup)
                            {
                                histogram.recordValue(now - t0);
                            }
                            i++;
                            break;
                        }
                        if (now - t0 > LOSS_TIMEOUT_NS)
                        {
                            lost[0]++;
                            break;
                        }
                    }
                }
            }, "udp-ping");
            spinner.start();
            spinner.join();
            printResult("udp", histogram, lost[0], 0);
        }
        finally
        {
            LibC.close(errno, fd);
        }
    }

    private static void printResult(final String path, final Histogram h, final long lost, final long stalls)
    {
        System.out.printf("RESULT path=%s count=%d min=%d p50=%d p90=%d p99=%d p999=%d max=%d mean=%.0f lost=%d stalls=%d%n",
            path, h.getTotalCount(), h.getMinValue(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
            h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h.getMean(), lost, stalls);
        System.out.flush();
    }

    private static MemorySegment sockaddrIn(final Arena arena, final int ip, final int port)
    {
        final MemorySegment sin = arena.allocate(SockaddrInDescriptor.LENGTH, 4).fill((byte)0);
        sin.set(ValueLayout.JAVA_SHORT, SockaddrInDescriptor.FAMILY_OFFSET, (short)AF_INET);
        sin.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), SockaddrInDescriptor.PORT_OFFSET,
            (short)port);
        sin.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), SockaddrInDescriptor.ADDR_OFFSET, ip);
        return sin;
    }

    static int ipv4(final String dotted)
    {
        final String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8) |
            Integer.parseInt(p[3]);
    }

    // stage: answer each frame with the same frame, MAC addresses swapped, from the TX ring (zero copy)
    private static final class OobEcho implements PacketFrameHandler
    {
        private final OobSocket socket;

        OobEcho(final OobSocket socket)
        {
            this.socket = socket;
        }

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length, final int wireLength,
            final long timestampNs, final int vlanTci, final int ifIndex)
        {
            if (socket.oobClaim(length) == 0)
            {
                final MutableDirectBuffer out = socket.claim().buffer();
                final int at = socket.claim().offset();
                out.putBytes(at, buffer, offset + 6, 6);
                out.putBytes(at + 6, buffer, offset, 6);
                out.putBytes(at + 12, buffer, offset + 12, length - 12);
                socket.oobCommit();
            }
        }
    }

    // stage: one frame in flight; the reply's handler records the round trip and sends the next ping
    private static final class OobPing implements PacketFrameHandler, OobTask
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        private final OobSocket socket;
        private final long ownMac;
        private final long peerMac;
        private final int warmup;
        private final int total;
        private final int length;
        private int sequence;
        private int count;
        private boolean inFlight;
        private long sentNs;
        long lost;
        volatile boolean done;

        OobPing(final OobSocket socket, final long ownMac, final long peerMac, final int warmup, final int samples,
            final int payload)
        {
            this.socket = socket;
            this.ownMac = ownMac;
            this.peerMac = peerMac;
            this.warmup = warmup;
            this.total = warmup + samples;
            this.length = 14 + payload;
        }

        @Override
        public int doWork(final long nowNs)
        {
            if (done)
            {
                return 0;
            }
            if (!inFlight)
            {
                send();
                return 1;
            }
            if (System.nanoTime() - sentNs > LOSS_TIMEOUT_NS)
            {
                lost++;
                inFlight = false;
            }
            return 0;
        }

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length, final int wireLength,
            final long timestampNs, final int vlanTci, final int ifIndex)
        {
            final long now = System.nanoTime();
            if (!inFlight || buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN) != sequence)
            {
                return;
            }
            if (count >= warmup)
            {
                histogram.recordValue(now - sentNs);
            }
            count++;
            inFlight = false;
            if (count >= total)
            {
                done = true;
                return;
            }
            send();
        }

        private void send()
        {
            final long start = System.nanoTime();
            if (socket.oobClaim(length) != 0)
            {
                return;
            }
            final MutableDirectBuffer out = socket.claim().buffer();
            final int at = socket.claim().offset();
            out.putShort(at, (short)(peerMac >>> 32), ByteOrder.BIG_ENDIAN);
            out.putInt(at + 2, (int)peerMac, ByteOrder.BIG_ENDIAN);
            out.putShort(at + 6, (short)(ownMac >>> 32), ByteOrder.BIG_ENDIAN);
            out.putInt(at + 8, (int)ownMac, ByteOrder.BIG_ENDIAN);
            out.putShort(at + 12, (short)ETHER_TYPE, ByteOrder.BIG_ENDIAN);
            out.putInt(at + 14, ++sequence, ByteOrder.BIG_ENDIAN);
            socket.oobCommit();
            sentNs = start;
            inFlight = true;
        }
    }

    // one thread, pinned, spinning on recv(MSG_DONTWAIT) and echoing with sendto
    private static final class UdpEcho implements Runnable
    {
        private final int cpu;
        private final int fd;
        private final MemorySegment buffer;
        private final MemorySegment from;
        private final MemorySegment fromLength;
        volatile boolean running = true;

        UdpEcho(final int cpu, final int fd, final MemorySegment buffer, final MemorySegment from,
            final MemorySegment fromLength)
        {
            this.cpu = cpu;
            this.fd = fd;
            this.buffer = buffer;
            this.from = from;
            this.fromLength = fromLength;
        }

        @Override
        public void run()
        {
            Affinity.setAffinity(cpu);
            final ErrnoCapture errno = new ErrnoCapture();
            while (running)
            {
                fromLength.set(ValueLayout.JAVA_INT, 0, SockaddrInDescriptor.LENGTH);
                final long n = LibC.recvfromCritical(errno, fd, buffer, 2048, MSG_DONTWAIT, from, fromLength);
                if (n > 0)
                {
                    LibC.sendtoCritical(errno, fd, buffer, n, 0, from, SockaddrInDescriptor.LENGTH);
                }
            }
        }
    }
}
