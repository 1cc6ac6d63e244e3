package org.oobnet.soupbintcp;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.paritytrading.nassau.soupbintcp.SoupBinTCP;
import com.paritytrading.nassau.soupbintcp.SoupBinTCPClient;
import com.paritytrading.nassau.soupbintcp.SoupBinTCPServer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.StageCommand;
import org.oobnet.inband.KSocket;
import org.oobnet.tcp.TcpHosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our SoupBinTCP sessions on the stage against Nassau's (com.paritytrading.nassau:nassau-core), across two
 * namespaces: exact message books both ways, sequence recovery at login, a server that drops the connection
 * mid-session and one that stops heartbeating.
 */
class SoupBinTcpNassauInteropTest
{
    private static final int PORT = 7300;
    private static final int MESSAGES = 200;
    private static final SoupBinTcpSettings FAST = new SoupBinTcpSettings(100, 3_000, 4096);
    // Nassau heartbeats every second, a fixed interval: our timeout is longer

    @Test
    void shouldExchangeExactBooksWhenOurClientLogsIntoNassauServer() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel listener = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final NassauPeer server = hosts.closeLater(NassauPeer.server(listener.accept()));
            final RecordingClientListener ours = new RecordingClientListener(true);
            final SoupBinTcpClient client = new SoupBinTcpClient(socket, SoupBinTcpSettings.DEFAULTS, "trader",
                "secret", "", 1, ours);
            client.start();
            await(() -> ours.status.contains("accepted 1"), "our client logged in");
            assertEquals(List.of("login trader 1"), server.status);

            for (int i = 1; i <= MESSAGES; i++)
            {
                final String message = "TICK " + i;
                server.run(session -> ((SoupBinTCPServer)session).send(NassauPeer.ascii(message)));
            }
            await(() -> server.messages.size() >= MESSAGES, MESSAGES + " orders at Nassau");

            final List<String> ticks = new ArrayList<>();
            final List<String> orders = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++)
            {
                ticks.add(i + " TICK " + i);
                orders.add("ORDER " + i);
            }
            assertEquals(ticks, ours.messages);
            assertEquals(orders, server.messages);
            assertNull(server.failure());

            // logout: Nassau hears it, our session ends cleanly
            socket.runtime().callOnStage(stageCommand(client::logout));
            await(() -> server.status.contains("logout"), "Nassau got the logout");
            // the stage marks the end right after the logout went out
            await(() -> SoupBinTcpEnd.LOGOUT == client.end(), "our session ended on the logout");
            client.close();
        }
    }

    @Test
    void shouldExchangeExactBooksAndRecoverWhenNassauClientLogsIntoOurServer() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final KSocket listener = hosts.listenInA(PORT);
            final SequencedStore store = new SequencedStore(1 << 20, 10_000);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            // half the book before any login: recovered at login
            for (int i = 1; i <= MESSAGES / 2; i++)
            {
                store.append(message, 0, message.putStringWithoutLengthAscii(0, "TICK " + i));
            }
            final List<String> unsequenced = new java.util.concurrent.CopyOnWriteArrayList<>();
            final List<String> serverStatus = new java.util.concurrent.CopyOnWriteArrayList<>();
            final SoupBinTcpServerListener serverListener = new SoupBinTcpServerListener()
            {
                @Override
                public void onLoggedIn(final SoupBinTcpServer server, final long firstSequenceNumber)
                {
                    serverStatus.add("logged in " + firstSequenceNumber);
                }

                @Override
                public void onUnsequencedData(final SoupBinTcpServer server, final org.agrona.DirectBuffer buffer,
                    final int offset, final int length)
                {
                    unsequenced.add(buffer.getStringWithoutLengthAscii(offset, length));
                }

                @Override
                public void onEnded(final SoupBinTcpServer server, final SoupBinTcpEnd how)
                {
                    serverStatus.add("ended " + how);
                }
            };

            final NassauPeer nassau = hosts.closeLater(NassauPeer.client(hosts.inB(() ->
                SocketChannel.open(new InetSocketAddress(hosts.a.address(), PORT)))));
            final SoupBinTcpServer server = new SoupBinTcpServer(OobSocket.of(listener.accept(0).socket()),
                SoupBinTcpSettings.DEFAULTS, store, "trader", "secret", "SESSION1", serverListener);
            server.start();
            nassau.run(session -> ((SoupBinTCPClient)session).login(loginRequest("trader", "secret", "SESSION1", 1)));
            await(() -> nassau.status.contains("accepted SESSION1 1"), "Nassau logged in at 1");

            // the other half live, appended and sent from the stage
            server.socket().runtime().callOnStage(stageCommand(() ->
            {
                final UnsafeBuffer live = new UnsafeBuffer(new byte[64]);
                for (int i = MESSAGES / 2 + 1; i <= MESSAGES; i++)
                {
                    server.sendSequenced(live, 0, live.putStringWithoutLengthAscii(0, "TICK " + i));
                }
            }));
            for (int i = 1; i <= MESSAGES; i++)
            {
                final String order = "ORDER " + i;
                nassau.run(session -> ((SoupBinTCPClient)session).send(NassauPeer.ascii(order)));
            }
            await(() -> nassau.messages.size() >= MESSAGES && unsequenced.size() >= MESSAGES, "both books full");
            final List<String> ticks = new ArrayList<>();
            final List<String> orders = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++)
            {
                ticks.add("TICK " + i);
                orders.add("ORDER " + i);
            }
            assertEquals(ticks, nassau.messages);
            assertEquals(orders, unsequenced);
            assertEquals(List.of("logged in 1"), serverStatus);

            // Nassau logs out; a second Nassau client recovers from 151
            nassau.run(session -> ((SoupBinTCPClient)session).logout());
            await(() -> serverStatus.contains("ended LOGOUT"), "our server ended on the logout");
            await(nassau::sawEndOfStream, "Nassau saw the connection end");
            server.close();

            final NassauPeer second = hosts.closeLater(NassauPeer.client(hosts.inB(() ->
                SocketChannel.open(new InetSocketAddress(hosts.a.address(), PORT)))));
            final SoupBinTcpServer recovery = new SoupBinTcpServer(OobSocket.of(listener.accept(0).socket()),
                SoupBinTcpSettings.DEFAULTS, store, "trader", "secret", "SESSION1", serverListener);
            recovery.start();
            second.run(session -> ((SoupBinTCPClient)session).login(loginRequest("trader", "secret", "", 151)));
            await(() -> second.messages.size() >= 50, "the recovered messages");
            assertEquals(ticks.subList(150, MESSAGES), second.messages);
            assertTrue(second.status.contains("accepted SESSION1 151"), second.status.toString());
            recovery.close();
        }
    }

    @Test
    void shouldEndDisconnectedWhenNassauServerDropsMidSession() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel listener = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final NassauPeer server = NassauPeer.server(listener.accept());
            final RecordingClientListener ours = new RecordingClientListener(false);
            final SoupBinTcpClient client = new SoupBinTcpClient(socket, FAST, "trader", "secret", "", 1, ours);
            client.start();
            await(() -> ours.status.contains("accepted 1"), "our client logged in");
            for (int i = 1; i <= 10; i++)
            {
                final String message = "TICK " + i;
                server.run(session -> ((SoupBinTCPServer)session).send(NassauPeer.ascii(message)));
            }
            await(() -> ours.messages.size() == 10, "10 messages");
            server.close();

            await(() -> ours.status.contains("ended DISCONNECTED"), "our session ended");
            assertEquals(SoupBinTcpEnd.DISCONNECTED, client.end());
            assertEquals(List.of("accepted 1", "ended DISCONNECTED"), ours.status);
            client.close();
        }
    }

    @Test
    void shouldEndOnHeartbeatTimeoutWhenNassauServerStopsHeartbeating() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel listener = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final NassauPeer server = hosts.closeLater(NassauPeer.server(listener.accept()));
            final RecordingClientListener ours = new RecordingClientListener(false);
            final SoupBinTcpClient client = new SoupBinTcpClient(socket, FAST, "trader", "secret", "", 1, ours);
            client.start();
            await(() -> ours.status.contains("accepted 1"), "our client logged in");
            // Nassau's heartbeats keep us alive past the timeout...
            Thread.sleep(FAST.heartbeatTimeoutMs() + 1_000);
            assertEquals(SoupBinTcpEnd.NONE, client.end());
            assertTrue(client.counters().get(SoupBinTcpCounters.HEARTBEATS_IN) >= 1, "Nassau heartbeats arrived");
            // ...until it stops sending them
            server.stopHeartbeats();
            await(() -> ours.status.contains("ended HEARTBEAT_TIMEOUT"), "our session timed out");
            await(server::sawEndOfStream, "Nassau saw our disconnect");
            client.close();
        }
    }

    static SoupBinTCP.LoginRequest loginRequest(final String username, final String password, final String session,
        final long sequenceNumber)
    {
        final SoupBinTCP.LoginRequest request = new SoupBinTCP.LoginRequest();
        request.setUsername(username);
        request.setPassword(password);
        request.setRequestedSession(session);
        request.setRequestedSequenceNumber(sequenceNumber);
        return request;
    }

    static StageCommand stageCommand(final Runnable onStage)
    {
        return new StageCommand()
        {
            @Override
            protected int execute(final OobStage stage, final long nowNs)
            {
                onStage.run();
                return 0;
            }
        };
    }

    static void await(final BooleanSupplier condition, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }
}
