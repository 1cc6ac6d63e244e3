package org.oobnet.soupbintcp;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import com.paritytrading.nassau.soupbintcp.SoupBinTCPServer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.testing.SteadyStateAllocation;
import org.oobnet.tcp.TcpHosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.oobnet.soupbintcp.SoupBinTcpNassauInteropTest.await;

/**
 * The stage allocates nothing in steady state while our SoupBinTCP client receives sequenced messages from
 * Nassau's server and answers each with an unsequenced one from the stage (the tick-to-trade loop's shape),
 * heartbeats and timers included.
 */
class SoupBinTcpStageAllocationTest
{
    private static final int PORT = 7500;
    private static final int MESSAGES = 500;

    @Test
    void shouldNotAllocateOnStageWhenAnsweringSequencedWithUnsequenced() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel listener = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final NassauPeer server = hosts.closeLater(NassauPeer.server(listener.accept()));
            final SoupBinTcpClient client = new SoupBinTcpClient(socket, new SoupBinTcpSettings(50, 5_000, 4096),
                "trader", "secret", "", 1, new Answering());
            client.start();
            await(client::isLoggedIn, "logged in");
            final long stageId = hosts.runtime.stageThread().threadId();

            final long fewest = SteadyStateAllocation.ofThread(stageId, () ->
            {
                final int before = server.messages.size();
                for (int i = 0; i < MESSAGES; i++)
                {
                    server.run(session -> ((SoupBinTCPServer)session).send(NassauPeer.ascii("TICK 0123456789")));
                }
                try
                {
                    await(() -> server.messages.size() >= before + MESSAGES, "the orders");
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertEquals(0, fewest, "bytes the stage allocated over " + MESSAGES + " ticks answered with orders");
            client.close();
        }
    }

    // stage: answers each tick with an order, from a buffer made once
    private static final class Answering implements SoupBinTcpClientListener
    {
        private final UnsafeBuffer order = new UnsafeBuffer(new byte[16]);

        @Override
        public void onLoginAccepted(final SoupBinTcpClient client, final long nextSequenceNumber)
        {
        }

        @Override
        public void onLoginRejected(final SoupBinTcpClient client, final byte reason)
        {
        }

        @Override
        public void onSequencedData(final SoupBinTcpClient client, final long sequenceNumber,
            final DirectBuffer buffer, final int offset, final int length)
        {
            order.putLong(0, sequenceNumber);
            order.putLong(8, buffer.getLong(offset));
            client.sendUnsequenced(order, 0, 16);
        }

        @Override
        public void onEnded(final SoupBinTcpClient client, final SoupBinTcpEnd how)
        {
        }
    }
}
