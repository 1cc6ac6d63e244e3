package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.testing.SteadyStateAllocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stage allocates nothing in steady state while it receives, validates, demultiplexes and answers UDP
 * datagrams (an echo in the stage receive handler), over the packet transport; {@link KernelStageAllocationTest}
 * does the same for the kernel transport in its own JVM (one JIT profile per transport: after the other
 * transport's run, C2 may take longer than the time limit to recompile the stage on this loaded machine).
 */
class UdpStageAllocationTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final int ROUND_TRIPS = 1_000;

    @Test
    void shouldNotAllocateOnStageWhenEchoingTrafficOverPacketTransport() throws Exception
    {
        assertStageAllocatesNothing(UdpTransport.PACKET);
    }

    static void assertStageAllocatesNothing(final UdpTransport transport) throws Exception
    {
        assertStageAllocatesNothing(transport, false);
    }

    /**
     * @param connected whether the OOB socket is connected to the peer (a connected kernel-transport socket also
     *                  reads its error queue on the stage).
     */
    static void assertStageAllocatesNothing(final UdpTransport transport, final boolean connected) throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            socket.stageReceiveHandler((s, buffer, offset, length) -> s.oobSend(buffer, offset, length));
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            if (connected)
            {
                hosts.inA(() ->
                {
                    socket.ksocket().connect(new InetSocketAddress(hosts.b.address(), B_PORT));
                    return null;
                });
            }
            final InetSocketAddress target = new InetSocketAddress(hosts.a.address(), A_PORT);

            final long fewest = echoedRoundTrips(hosts, peer, target, ROUND_TRIPS);
            assertEquals(0, fewest, "bytes the stage allocated over " + ROUND_TRIPS + " echoed datagrams");
        }
    }

    /**
     * The fewest bytes the stage allocated over rounds of {@code count} round trips from {@code peer} (in B) to
     * {@code target}, each answered with a 64-byte datagram.
     */
    static long echoedRoundTrips(
        final UdpHosts hosts, final DatagramChannel peer, final InetSocketAddress target, final int count)
        throws Exception
    {
        return SteadyStateAllocation.ofThread(hosts.runtime.stageThread().threadId(), () ->
        {
            try
            {
                hosts.inB(() ->
                {
                    final ByteBuffer out = ByteBuffer.allocate(64);
                    final ByteBuffer in = ByteBuffer.allocate(2048);
                    for (int i = 0; i < count; i++)
                    {
                        out.clear();
                        in.clear();
                        peer.send(out, target);
                        peer.receive(in);
                        assertEquals(64, in.position());
                    }
                    return null;
                });
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
    }
}
