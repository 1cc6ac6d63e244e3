package org.oobnet.udp;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.core.counters.CountersPrinter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oobnet stat} shows the stage and each device it polls, from the counters file: A's packet port with its
 * sockets, health, frames and drops by reason.
 */
class StatDevicesTest
{
    private static final int PORT = 5100;

    @Test
    void shouldShowStageAndPortDeviceWithFramesAndDropsWhenTrafficArrives() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), PORT);
            final DatagramChannel peer = hosts.closeLater(hosts.inB(DatagramChannel::open));
            hosts.inB(() -> peer.send(ByteBuffer.wrap(new byte[16]), new InetSocketAddress(hosts.a.address(), PORT)));
            // one to a port nobody bound: counted by the device as a drop by reason
            hosts.inB(() -> peer.send(ByteBuffer.wrap(new byte[16]), new InetSocketAddress(hosts.a.address(), PORT + 1)));
            assertNotNull(UdpHosts.receive(socket, 10_000), "datagram received");
            final String device = "  device " + hosts.a.interfaceName() + ":";
            final List<String>[] lines = new List[1];
            UdpHosts.await(() ->
            {
                lines[0] = stat(hosts);
                final String line = find(lines[0], device);
                // stat reads counter by counter while the stage refreshes them: the first refresh after the port
                // came can be read half (sockets=0 before it, drops=1 after it); wait for a line that has both
                return null != line && line.contains(" drops-unknown-port=1") && line.contains(" sockets=1 ");
            }, "the device's counters refreshed");
            final String stage = find(lines[0], "stage cpu=" + hosts.runtime.stageCpu());
            assertNotNull(stage, String.join("\n", lines[0]));
            assertTrue(stage.contains(" sockets=1 devices=1"), stage);
            assertTrue(stage.contains(" allocated-bytes="), stage);
            final String line = find(lines[0], device);
            assertTrue(line.startsWith(device + " sockets=1 health=up "), line);
            assertTrue(line.contains(" frames-in="), line);
            assertEquals(1, hosts.stack.ports().get(0).drops().drops(org.oobnet.udp.frame.DropReason.UNKNOWN_PORT),
                "the port's own count");
        }
    }

    private static List<String> stat(final UdpHosts hosts)
    {
        final StringWriter text = new StringWriter();
        try (CountersFileReader reader = CountersFileReader.open(hosts.runtime.countersPath());
            PrintWriter out = new PrintWriter(text))
        {
            new CountersPrinter(out, out).printCounters(reader);
        }
        return text.toString().lines().toList();
    }

    private static String find(final List<String> lines, final String prefix)
    {
        for (final String line : lines)
        {
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
        return null;
    }
}
