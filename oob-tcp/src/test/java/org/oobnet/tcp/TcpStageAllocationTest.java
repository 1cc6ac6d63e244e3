package org.oobnet.tcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.junit.jupiter.api.Test;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.testing.SteadyStateAllocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stage allocates nothing in steady state while it receives a TCP stream and echoes it (send from the stage
 * receive handler), polling and flushing the connection's device every cycle.
 */
class TcpStageAllocationTest
{
    private static final int PORT = 7200;
    private static final int ROUND_TRIPS = 1_000;

    @Test
    void shouldNotAllocateOnStageWhenEchoingStream() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            socket.stageReceiveHandler((s, buffer, offset, length) -> s.oobSend(buffer, offset, length));
            assertEquals(0, TcpOobProtocol.start(socket));
            final SocketChannel peer = hosts.closeLater(server.accept());
            final long stageId = hosts.runtime.stageThread().threadId();
            final ByteBuffer out = ByteBuffer.allocate(64);
            final ByteBuffer in = ByteBuffer.allocate(64);

            final long fewest = SteadyStateAllocation.ofThread(stageId, () ->
            {
                try
                {
                    for (int i = 0; i < ROUND_TRIPS; i++)
                    {
                        out.clear();
                        in.clear();
                        peer.write(out);
                        while (in.hasRemaining())
                        {
                            peer.read(in);
                        }
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertEquals(0, fewest, "bytes the stage allocated over " + ROUND_TRIPS + " echoed 64-byte messages");
        }
    }
}
