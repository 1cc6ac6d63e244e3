package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.agrona.DirectBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.testing.KernelNetStats;
import org.oobnet.netns.testing.NetnsFixture;

/**
 * Two namespaces joined by veth (or more, joined by a bridge); host A runs an OOB runtime with a {@link UdpStack}
 * on its interface, host B (and the others) only the kernel. Tests make OOB UDP sockets in A and plain kernel
 * sockets in B.
 */
final class UdpHosts implements AutoCloseable
{
    final NetnsFixture fixture;
    final NetnsFixture.Host a;
    final NetnsFixture.Host b;
    final UdpStack stack;
    final OobRuntime runtime;
    private final Path countersDir;
    private final List<KSocket> sockets = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();
    private boolean stackClosed;

    UdpHosts(final UdpTransport transport) throws Exception
    {
        this(interfaceName -> UdpStackConfig.of(transport, interfaceName));
    }

    /**
     * As {@link #UdpHosts(UdpTransport)}, with the stack's settings made for A's interface name.
     */
    UdpHosts(final Function<String, UdpStackConfig> config) throws Exception
    {
        this(config, OobConfig.IdleStrategyKind.BACKOFF);
    }

    /**
     * As {@link #UdpHosts(UdpTransport)}, with the stage's idle strategy (never spin: the machine is shared).
     */
    UdpHosts(final UdpTransport transport, final OobConfig.IdleStrategyKind idle) throws Exception
    {
        this(interfaceName -> UdpStackConfig.of(transport, interfaceName), idle);
    }

    private UdpHosts(final Function<String, UdpStackConfig> config, final OobConfig.IdleStrategyKind idle)
        throws Exception
    {
        this(config, idle, 2);
    }

    /**
     * {@code hosts} namespaces (3 or more: on a bridge); host 0 is A (the OOB stack), host 1 is B.
     */
    UdpHosts(final Function<String, UdpStackConfig> config, final int hosts) throws Exception
    {
        this(config, OobConfig.IdleStrategyKind.BACKOFF, hosts);
    }

    private UdpHosts(
        final Function<String, UdpStackConfig> config, final OobConfig.IdleStrategyKind idle, final int hosts)
        throws Exception
    {
        fixture = NetnsFixture.create(hosts);
        try
        {
            a = fixture.host(0);
            b = fixture.host(1);
            stack = fixture.call(a, () -> UdpStack.open(config.apply(a.interfaceName())));
            final ProtocolRegistry registry = new ProtocolRegistry();
            registry.register(SocketConstants.AF_INET, stack.protocol());
            countersDir = Files.createTempDirectory("oob-udp-test");
            // the default limits (socket count, counters sized from it): tests run what users get
            runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(idle)
                .countersDir(countersDir)
                .errorLogBytes(64 * 1024)
                .build(), registry);
        }
        catch (final Exception | Error ex)
        {
            fixture.close();
            throw ex;
        }
    }

    /**
     * An OOB UDP socket in A, bound to {@code address:port}.
     */
    OobSocket oobSocket(final String address, final int port) throws Exception
    {
        final KSocket socket = fixture.call(a, () ->
        {
            final KSocket s = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
            s.bind(new InetSocketAddress(address, port));
            return s;
        });
        sockets.add(socket);
        return OobSocket.of(socket);
    }

    /**
     * A kernel UDP socket in B, bound to B's address and {@code port}, closed with the hosts.
     */
    DatagramChannel kernelPeerInB(final int port) throws Exception
    {
        return closeLater(inB(() -> DatagramChannel.open().bind(new InetSocketAddress(b.address(), port))));
    }

    KSocket closeLaterSocket(final KSocket socket)
    {
        sockets.add(socket);
        return socket;
    }

    <T> T inA(final Callable<T> task) throws Exception
    {
        return fixture.call(a, task);
    }

    <T> T inB(final Callable<T> task) throws Exception
    {
        return fixture.call(b, task);
    }

    <T extends AutoCloseable> T closeLater(final T resource)
    {
        others.add(resource);
        return resource;
    }

    /**
     * Receives one record on the test thread (the socket's one consumer), with a deadline.
     */
    static Received receive(final OobSocket socket, final long timeoutMs)
    {
        final Received[] out = new Received[1];
        final int n = socket.receive((s, buffer, offset, length) -> out[0] = Received.of(buffer, offset, length), 1,
            System.nanoTime() + timeoutMs * 1_000_000L);
        return n > 0 ? out[0] : null;
    }

    static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(1);
        }
    }

    /**
     * The IPv4 datagrams (each fragment) A's kernel took in so far: {@code Ip InReceives} of A's namespace. The IP
     * stack counts a frame after the port's {@code ETH_P_ALL} tap put it in the RX ring (or counted it dropped,
     * the ring full), so once this grew by what B sent, what the ring holds and what it lost are final.
     */
    long ipReceivedInA() throws Exception
    {
        return inA(() -> KernelNetStats.snmp("Ip", "InReceives"));
    }

    /**
     * Returns once A's kernel took in {@code count} IPv4 datagrams since it had taken {@code before}
     * ({@link #ipReceivedInA}): B's sends return once the frames are handed to the veth, A's softirq may take
     * them much later on a loaded machine.
     */
    void awaitIpReceivedInA(final long before, final long count) throws Exception
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        long received;
        while ((received = ipReceivedInA() - before) < count)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for A's kernel to take in " + count + " datagrams: " +
                    received);
            }
            Thread.sleep(1);
        }
    }

    /**
     * Closes A's sockets, then the stack (its ports count what they still hold), before the runtime closes.
     */
    void closeSocketsAndStack() throws Exception
    {
        closeSockets();
        stackClosed = true;
        stack.close();
    }

    @Override
    public void close() throws Exception
    {
        try
        {
            closeSockets();
            for (final AutoCloseable other : others)
            {
                other.close();
            }
            runtime.close();
            if (!stackClosed)
            {
                stack.close();
            }
        }
        finally
        {
            fixture.close();
        }
    }

    private void closeSockets() throws Exception
    {
        for (final KSocket socket : sockets)
        {
            if (!socket.isClosed()) // a test may close its own
            {
                socket.close();
            }
        }
        sockets.clear();
    }

    record Received(int address, int port, byte[] payload)
    {
        static Received of(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] payload = new byte[length - UdpAddressHeader.LENGTH];
            buffer.getBytes(offset + UdpAddressHeader.LENGTH, payload);
            return new Received(UdpAddressHeader.address(buffer, offset), UdpAddressHeader.port(buffer, offset), payload);
        }
    }
}
