package org.oobnet.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.oobnet.core.OobSocket;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * Test helpers for multicast: membership options on a socket (the C structs built as a C caller would), a python3
 * sender in a namespace (a real third-party kernel sender), and counting what a socket received.
 */
final class MulticastGroups
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final ValueLayout.OfInt NETWORK_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MulticastGroups()
    {
    }

    /** {@code ip_mreq} {group, interface address}. */
    static void membership(final KSocket socket, final int name, final String group, final String interfaceAddress)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mreq = arena.allocate(8, 4);
            mreq.set(NETWORK_INT, 0, Ipv4Flyweight.parseAddress(group));
            mreq.set(NETWORK_INT, 4, Ipv4Flyweight.parseAddress(interfaceAddress));
            socket.setOption(SocketConstants.SOL_IP, name, mreq);
        }
    }

    /** {@code ip_mreq_source} {group, interface address, source}. */
    static void sourceMembership(
        final KSocket socket, final int name, final String group, final String interfaceAddress, final String source)
        throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mreq = arena.allocate(12, 4);
            mreq.set(NETWORK_INT, 0, Ipv4Flyweight.parseAddress(group));
            mreq.set(NETWORK_INT, 4, Ipv4Flyweight.parseAddress(interfaceAddress));
            mreq.set(NETWORK_INT, 8, Ipv4Flyweight.parseAddress(source));
            socket.setOption(SocketConstants.SOL_IP, name, mreq);
        }
    }

    /** {@code IP_MULTICAST_IF} by interface address ({@code in_addr}). */
    static void multicastInterface(final KSocket socket, final String interfaceAddress) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(4, 4);
            address.set(NETWORK_INT, 0, Ipv4Flyweight.parseAddress(interfaceAddress));
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_IF, address);
        }
    }

    /**
     * Sends {@code count} datagrams from a python3 process in {@code host}'s namespace, each payload
     * {@code tag:index}, out of the host's interface, loop off; returns once python exited 0.
     */
    static void pythonSend(
        final NetnsFixture fixture, final NetnsFixture.Host host, final String group, final int port, final String tag,
        final int count) throws Exception
    {
        final String script = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)",
            "for i in range(int(sys.argv[5])):",
            "    s.sendto(('%s:%d' % (sys.argv[4], i)).encode(), (sys.argv[2], int(sys.argv[3])))");
        final List<String> command = new ArrayList<>(List.of("python3", "-c", script, host.address(), group,
            Integer.toString(port), tag, Integer.toString(count)));
        final Process process = new ProcessBuilder(fixture.commandIn(host, command)).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("python3 sender timed out");
        }
        final String output = new String(process.getInputStream().readAllBytes());
        if (0 != process.exitValue())
        {
            throw new AssertionError("python3 sender exit=" + process.exitValue() + ": " + output);
        }
    }

    /**
     * Drains a socket's receive ring: until {@code expected} payloads came (within 10 s: a loaded machine may keep
     * the stage off its CPU for longer than any quiet gap), then until it stays empty for {@code quietMs}, so that
     * one too many shows. The payloads, as text.
     */
    static List<String> drain(final OobSocket socket, final int expected, final long quietMs)
    {
        final List<String> payloads = new ArrayList<>();
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (payloads.size() < expected && System.nanoTime() - deadline < 0)
        {
            final UdpHosts.Received received = UdpHosts.receive(socket, quietMs);
            if (null != received)
            {
                payloads.add(new String(received.payload()));
            }
        }
        while (true)
        {
            final UdpHosts.Received received = UdpHosts.receive(socket, quietMs);
            if (null == received)
            {
                return payloads;
            }
            payloads.add(new String(received.payload()));
        }
    }

    /**
     * Drains a kernel socket (in the caller's namespace) as {@link #drain(OobSocket, int, long)} does: the payloads,
     * as text, each checked to come from {@code source} unless it is null.
     */
    static List<String> drain(final DatagramChannel channel, final String source, final int expected,
        final long quietMs) throws java.io.IOException, InterruptedException
    {
        final List<String> payloads = new ArrayList<>();
        channel.configureBlocking(false);
        final long deadline = System.nanoTime() + DEADLINE_NS;
        long quietSince = System.nanoTime();
        while (payloads.size() < expected ? System.nanoTime() - deadline < 0 :
            System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(quietMs))
        {
            final ByteBuffer in = ByteBuffer.allocate(256);
            final InetSocketAddress from = (InetSocketAddress)channel.receive(in);
            if (null == from)
            {
                Thread.sleep(5);
                continue;
            }
            if (null != source && !source.equals(from.getAddress().getHostAddress()))
            {
                throw new AssertionError("datagram from " + from + ", expected " + source);
            }
            payloads.add(new String(in.array(), 0, in.position()));
            quietSince = System.nanoTime();
        }
        return payloads;
    }

    /** How many payloads start with {@code tag + ":"}. */
    static long count(final List<String> payloads, final String tag)
    {
        return payloads.stream().filter(payload -> payload.startsWith(tag + ":")).count();
    }
}
