package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocketEvent;
import org.oobnet.netns.IpCommand;
import org.oobnet.udp.frame.DropReason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connected OOB UDP socket whose datagram draws an ICMP destination unreachable: the stage raises
 * {@code ERROR} with the errno on the socket and fails its next send once with it, as the kernel does for a
 * connected socket; the send after that goes out again. On both transports: the packet transport reads the ICMP
 * message off its port's RX ring, the kernel transport off its kernel socket's error queue ({@code IP_RECVERR}).
 * <p>
 * Port unreachable: B's kernel answers for a closed port. Host unreachable: B routes for a /32 it has an
 * {@code unreachable} route to, so its forwarding path answers.
 */
class IcmpUnreachableTest
{
    private static final int A_PORT = 5000;
    private static final int CLOSED_PORT = 6999;
    // in B's subnet, routed by A through B, unreachable in B
    private static final int UNREACHABLE_HOST = 200;

    @ParameterizedTest
    @EnumSource(UdpTransport.class)
    void shouldReportPortUnreachableOnConnectedSocketAsEventAndOnNextSend(final UdpTransport transport) throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            assertReportedOnceThenSendsAgain(hosts, transport, hosts.b.address(), Errno.ECONNREFUSED);
        }
    }

    @ParameterizedTest
    @EnumSource(UdpTransport.class)
    void shouldReportHostUnreachableOnConnectedSocketAsEventAndOnNextSend(final UdpTransport transport) throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            final String b = hosts.b.address();
            final String unreachable = b.substring(0, b.lastIndexOf('.') + 1) + UNREACHABLE_HOST;
            ExtraVethPair.ip(hosts.fixture, hosts.a, "route", "add", unreachable + "/32", "via", b);
            ExtraVethPair.ip(hosts.fixture, hosts.b, "route", "add", "unreachable", unreachable + "/32");
            IpCommand.exec(hosts.fixture.commandIn(hosts.b, List.of(IpCommand.which("sysctl"), "-q", "-w",
                "net.ipv4.conf.all.forwarding=1")));
            assertReportedOnceThenSendsAgain(hosts, transport, unreachable, Errno.EHOSTUNREACH);
        }
    }

    private static void assertReportedOnceThenSendsAgain(
        final UdpHosts hosts, final UdpTransport transport, final String peer, final int errno) throws Exception
    {
        final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
        final AtomicLong error = new AtomicLong();
        socket.eventHandler((s, event, arg, cookie) ->
        {
            if (KSocketEvent.ERROR == event)
            {
                error.set(arg);
            }
        }, null);
        hosts.inA(() ->
        {
            socket.ksocket().connect(new InetSocketAddress(peer, CLOSED_PORT));
            return null;
        });
        final UdpSocketState state = UdpSockets.state(socket);
        assertEquals(transport, state.transport());
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
        assertEquals(0, UdpSockets.sendTo(socket, 0, 0, payload, 0, 32));
        UdpHosts.await(() -> 0 != error.get(), "ERROR event from the ICMP destination unreachable");
        assertEquals(errno, error.get(), "errno " + Errno.name((int)error.get()));
        assertEquals(1, socket.counters().packetsOut().get(), "the first send went out");
        if (UdpTransport.PACKET == transport)
        {
            assertEquals(1, state.fastSends(), "the first send left on the fast path");
            assertTrue(hosts.stack.ports().get(0).drops().drops(DropReason.NOT_UDP) >= 1, "the ICMP frame counted");
        }
        else
        {
            assertEquals(1, state.kernelTransport().acceptedCount(), "the first send left through the kernel");
            assertEquals(1, state.kernelTransport().asyncErrorCount(), "one error read off the error queue");
        }

        // the next send reports it once; the one after goes out
        assertEquals(0, UdpSockets.sendTo(socket, 0, 0, payload, 0, 32));
        // oob-core counts ECONNREFUSED as no peer, other refusals as protocol drops
        UdpHosts.await(() -> 1 == socket.counters().dropsNoPeer().get() + socket.counters().dropsProtocol().get(),
            "the second send refused");
        assertEquals(Errno.ECONNREFUSED == errno ? 1 : 0, socket.counters().dropsNoPeer().get());
        assertEquals(1, socket.counters().packetsOut().get());
        assertEquals(0, UdpSockets.sendTo(socket, 0, 0, payload, 0, 32));
        UdpHosts.await(() -> 2 == socket.counters().packetsOut().get(), "the third send went out");
        if (UdpTransport.KERNEL == transport)
        {
            UdpHosts.await(() -> 2 == state.kernelTransport().acceptedCount(), "the third send through the kernel");
        }
    }
}
