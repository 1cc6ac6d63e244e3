package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.SocketConstants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stage allocates nothing in steady state on the multicast receive path: group datagrams from a kernel sender
 * filtered by the socket's memberships (source-specific and any-source entries), their RX timestamp read in the
 * stage receive handler, each answered unicast to its sender.
 */
class MulticastStageAllocationTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final String GROUP = "239.251.2.1";
    private static final int ROUND_TRIPS = 1_000;

    @Test
    void shouldNotAllocateOnStageWhenFilteringAndTimestampingGroupTraffic() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket("0.0.0.0", A_PORT);
            final long[] stamped = new long[1];
            socket.stageReceiveHandler((s, buffer, offset, length) ->
            {
                if (UdpSockets.rxTimestampNs(s) > 0 && RxTimestampSource.SOFTWARE == UdpSockets.rxTimestampSource(s))
                {
                    stamped[0]++;
                }
                s.oobSend(buffer, offset, length);
            });
            hosts.inA(() ->
            {
                // entries the filter walks past before the one that matches
                for (int i = 2; i < 6; i++)
                {
                    MulticastGroups.membership(socket.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP, "239.251.2." + i,
                        hosts.a.address());
                }
                MulticastGroups.sourceMembership(socket.ksocket(), SocketConstants.IP_ADD_SOURCE_MEMBERSHIP, GROUP,
                    hosts.a.address(), hosts.b.address());
                return null;
            });
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
            {
                final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName(hosts.b.interfaceName()));
                return channel.bind(new InetSocketAddress(hosts.b.address(), B_PORT));
            }));
            final InetSocketAddress target = new InetSocketAddress(GROUP, A_PORT);
            final long fewest = UdpStageAllocationTest.echoedRoundTrips(hosts, peer, target, ROUND_TRIPS);
            assertEquals(0, fewest, "bytes the stage allocated over " + ROUND_TRIPS + " group datagrams answered");
            assertTrue(stamped[0] >= ROUND_TRIPS, "datagrams with a software RX timestamp: " + stamped[0]);
        }
    }
}
