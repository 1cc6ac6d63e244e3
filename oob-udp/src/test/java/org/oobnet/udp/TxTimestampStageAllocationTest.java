package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stage allocates nothing in steady state while it echoes datagrams with per-send transmit timestamps on
 * ({@link UdpOobProtocol#UDP_OOB_TX_TIMESTAMPS}), over the packet transport (TX-ring completions reaped every cycle
 * and reported); {@link KernelTxTimestampStageAllocationTest} does the kernel transport (its error queue read on
 * the stage) in a JVM of its own.
 */
class TxTimestampStageAllocationTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final int ROUND_TRIPS = 1_000;

    @Test
    void shouldNotAllocateOnStageWhenReportingTxTimestampsOverPacketTransport() throws Exception
    {
        assertStageAllocatesNothingWithTxTimestamps(UdpTransport.PACKET);
    }

    static void assertStageAllocatesNothingWithTxTimestamps(final UdpTransport transport) throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            socket.stageReceiveHandler((s, buffer, offset, length) -> s.oobSend(buffer, offset, length));
            final long[] reported = new long[2];
            UdpSockets.txTimestamps(socket.ksocket(), (s, sendId, timestampNs, source) ->
            {
                reported[0]++;
                if (timestampNs > 0 && TxTimestampSource.NONE != source)
                {
                    reported[1]++;
                }
            });
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            final InetSocketAddress target = new InetSocketAddress(hosts.a.address(), A_PORT);

            final long fewest = UdpStageAllocationTest.echoedRoundTrips(hosts, peer, target, ROUND_TRIPS);
            assertEquals(0, fewest, "bytes the stage allocated over " + ROUND_TRIPS + " echoed datagrams, " +
                "TX timestamps on, over " + transport);
            assertTrue(reported[1] >= ROUND_TRIPS, "sends with a TX timestamp: " + reported[1] + " of " + reported[0]);
        }
    }
}
