package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocketEvent;
import org.oobnet.udp.frame.DropReason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connected OOB UDP socket (packet transport) whose peer's kernel answers "port unreachable": the stage reads
 * the ICMP message off the port's RX ring, raises {@code ERROR ECONNREFUSED} on the socket, and fails its next send
 * once with {@code ECONNREFUSED}, as the kernel does for a connected socket; the send after that goes out again.
 */
class IcmpUnreachableTest
{
    private static final int A_PORT = 5000;
    private static final int CLOSED_PORT = 6999;

    @Test
    void shouldReportPortUnreachableOnConnectedSocketAsEventAndOnNextSend() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
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
                socket.ksocket().connect(new InetSocketAddress(hosts.b.address(), CLOSED_PORT));
                return null;
            });
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
            assertEquals(0, UdpSockets.sendTo(socket, 0, 0, payload, 0, 32));
            UdpHosts.await(() -> 0 != error.get(), "ERROR event from B's ICMP port unreachable");
            assertEquals(Errno.ECONNREFUSED, error.get());
            assertEquals(1, UdpSockets.state(socket).fastSends(), "the first send left on the fast path");
            assertTrue(hosts.stack.ports().get(0).drops().drops(DropReason.NOT_UDP) >= 1, "the ICMP frame counted");

            // the next send reports it once; the one after goes out
            assertEquals(0, UdpSockets.sendTo(socket, 0, 0, payload, 0, 32));
            UdpHosts.await(() -> 1 == socket.counters().dropsNoPeer().get(), "the second send refused (no peer)");
            assertEquals(1, UdpSockets.state(socket).fastSends());
            assertEquals(0, UdpSockets.sendTo(socket, 0, 0, payload, 0, 32));
            UdpHosts.await(() -> 2 == UdpSockets.state(socket).fastSends(), "the third send on the fast path");
        }
    }
}
