package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.testing.SteadyStateAllocation;
import org.oobnet.packet.stats.PacketCounter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stage allocates nothing in steady state while it reassembles datagrams a kernel fragmented and sends them back
 * fragmented itself (a 9000-byte echo in the stage receive handler over a 1500-byte MTU: 7 fragments each way).
 */
class FragmentStageAllocationTest
{
    private static final int A_PORT = 5200;
    private static final int B_PORT = 6200;
    private static final int SIZE = 9_000;
    private static final int ROUND_TRIPS = 300;

    @Test
    void shouldNotAllocateOnStageWhenReassemblingAndFragmenting() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final AtomicInteger lastRc = new AtomicInteger();
            socket.stageReceiveHandler((s, buffer, offset, length) -> lastRc.set(s.oobSend(buffer, offset, length)));
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
            {
                final DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT));
                channel.configureBlocking(false);
                return channel;
            }));
            final InetSocketAddress target = new InetSocketAddress(hosts.a.address(), A_PORT);

            final long fewest = SteadyStateAllocation.ofThread(hosts.runtime.stageThread().threadId(), () ->
            {
                try
                {
                    hosts.inB(() ->
                    {
                        final ByteBuffer out = ByteBuffer.allocate(SIZE);
                        final ByteBuffer in = ByteBuffer.allocate(65536);
                        for (int i = 0; i < ROUND_TRIPS; i++)
                        {
                            out.clear();
                            in.clear();
                            peer.send(out, target);
                            final long deadline = System.nanoTime() + 5_000_000_000L;
                            while (null == peer.receive(in))
                            {
                                if (System.nanoTime() - deadline > 0)
                                {
                                    throw new AssertionError("echo " + i + " lost: port " +
                                        hosts.stack.ports().get(0) + " rc " + lastRc.get());
                                }
                                Thread.onSpinWait();
                            }
                            assertEquals(SIZE, in.position());
                        }
                        return null;
                    });
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });

            assertEquals(0, fewest, "bytes the stage allocated over " + ROUND_TRIPS + " fragmented echoes");
            final PacketPort port = hosts.stack.ports().get(0);
            final long framesOut = port.packetCounters().get(PacketCounter.FRAMES_OUT);
            assertTrue(framesOut >= 7L * ROUND_TRIPS, "the echoes left fragmented by the stage: frames out=" + framesOut);
            assertEquals(0, port.drops().totalDrops(), port.drops().toString());
        }
    }
}
