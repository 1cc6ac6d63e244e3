package org.oobnet.udp;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stage allocates nothing in steady state while it receives, validates, demultiplexes and answers UDP
 * datagrams (an echo in the stage receive handler), over either transport.
 */
class UdpStageAllocationTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final int ROUND_TRIPS = 3_000;

    @ParameterizedTest
    @EnumSource(UdpTransport.class)
    void shouldNotAllocateOnStageWhenEchoingTraffic(final UdpTransport transport) throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            socket.stageReceiveHandler((s, buffer, offset, length) -> s.oobSend(buffer, offset, length));
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            final InetSocketAddress target = new InetSocketAddress(hosts.a.address(), A_PORT);
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long stageId = hosts.runtime.stageThread().threadId();

            long fewest = Long.MAX_VALUE;
            for (int round = 0; round < 30 && fewest > 0; round++)
            {
                final long before = threads.getThreadAllocatedBytes(stageId);
                hosts.inB(() ->
                {
                    final ByteBuffer out = ByteBuffer.allocate(64);
                    final ByteBuffer in = ByteBuffer.allocate(2048);
                    for (int i = 0; i < ROUND_TRIPS; i++)
                    {
                        out.clear();
                        in.clear();
                        peer.send(out, target);
                        peer.receive(in);
                        assertEquals(64, in.position());
                    }
                    return null;
                });
                final long allocated = threads.getThreadAllocatedBytes(stageId) - before;
                if (round >= 3)
                {
                    fewest = Math.min(fewest, allocated);
                }
            }
            assertEquals(0, fewest, "bytes the stage allocated over " + ROUND_TRIPS + " echoed datagrams");
        }
    }
}
