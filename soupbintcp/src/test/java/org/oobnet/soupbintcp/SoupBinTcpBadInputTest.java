package org.oobnet.soupbintcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.KSocket;
import org.oobnet.tcp.TcpHosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.oobnet.soupbintcp.SoupBinTcpNassauInteropTest.await;

/**
 * A peer that sends what SoupBinTCP does not allow, over a raw kernel socket: each malformed packet is a named,
 * counted drop, the session ends as malformed, the peer reads the end of the stream (a clean disconnect), and the
 * stage goes on serving the next session.
 */
class SoupBinTcpBadInputTest
{
    private static final int PORT = 7400;
    // the raw peer sends no heartbeats: a 3 s timeout outlasts a loaded machine's pauses between its writes (with
    // 500 ms a session could end on the heartbeat timeout before the bad bytes were written)
    private static final SoupBinTcpSettings SETTINGS = new SoupBinTcpSettings(100, 3_000, 4096);

    @Test
    void shouldDropTooLongAndDisconnectWhenPeerSends64KbLength() throws Exception
    {
        assertServerDrops(SoupBinTcpDrop.TOO_LONG, false, new byte[] {(byte)0xFF, (byte)0xFF, 'L', 0, 0, 0});
    }

    @Test
    void shouldDropPartialPacketAndDisconnectWhenPeerSendsHalfPacketThenSilence() throws Exception
    {
        final byte[] login = loginRequest(1);
        final byte[] half = new byte[login.length / 2];
        System.arraycopy(login, 0, half, 0, half.length);
        assertServerDrops(SoupBinTcpDrop.PARTIAL_PACKET, false, half);
    }

    @Test
    void shouldDropUnknownTypeAndDisconnectWhenPeerSendsGarbageAfterLogin() throws Exception
    {
        assertServerDrops(SoupBinTcpDrop.UNKNOWN_TYPE, true, new byte[] {0, 4, 'Q', 'x', 'y', 'z'});
    }

    @Test
    void shouldDropEmptyAndDisconnectWhenPeerSendsZeroLength() throws Exception
    {
        assertServerDrops(SoupBinTcpDrop.EMPTY, true, new byte[] {0, 0, 0, 0});
    }

    @Test
    void shouldDropBadLengthWhenHeartbeatCarriesPayload() throws Exception
    {
        assertServerDrops(SoupBinTcpDrop.BAD_LENGTH, true, new byte[] {0, 2, 'R', '!'});
    }

    @Test
    void shouldDropUnexpectedTypeWhenClientSendsServerPacket() throws Exception
    {
        assertServerDrops(SoupBinTcpDrop.UNEXPECTED_TYPE, true, new byte[] {0, 1, 'H'});
    }

    @Test
    void shouldDropBadNumberWhenLoginSequenceIsNotDigits() throws Exception
    {
        final byte[] login = loginRequest(1);
        login[login.length - 1] = 'x';
        assertServerDrops(SoupBinTcpDrop.BAD_NUMBER, false, login);
    }

    @Test
    void shouldDropBadNumberAtClientWhenLoginAcceptedSequenceIsNotDigits() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel listener = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final SocketChannel peer = hosts.closeLater(listener.accept());
            final RecordingClientListener ours = new RecordingClientListener(false);
            final SoupBinTcpClient client = new SoupBinTcpClient(socket, SETTINGS, "trader", "secret", "", 1, ours);
            client.start();
            readFully(peer, 2 + 1 + SoupBinTcpDescriptor.LOGIN_REQUEST_LENGTH);
            final byte[] accepted = new byte[3 + SoupBinTcpDescriptor.LOGIN_ACCEPTED_LENGTH];
            accepted[1] = (byte)(1 + SoupBinTcpDescriptor.LOGIN_ACCEPTED_LENGTH);
            accepted[2] = SoupBinTcpDescriptor.LOGIN_ACCEPTED;
            java.util.Arrays.fill(accepted, 3, accepted.length, (byte)'?');
            peer.write(ByteBuffer.wrap(accepted));

            await(() -> !ours.status.isEmpty(), "the client's end");
            assertEquals(SoupBinTcpEnd.MALFORMED_PACKET, client.end());
            assertEquals(1, client.counters().drops(SoupBinTcpDrop.BAD_NUMBER));
            assertEquals(List.of("ended MALFORMED_PACKET"), ours.status);
            assertEndOfStream(peer);
            client.close();
        }
    }

    // a server session gets `bad` (after a good login when `login`): one drop of `reason`, then a clean end; then
    // a good session on the same stage still logs in
    private static void assertServerDrops(final SoupBinTcpDrop reason, final boolean login, final byte[] bad)
        throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final KSocket listener = hosts.listenInA(PORT);
            final SequencedStore store = new SequencedStore(4096, 16);
            final List<String> ends = new CopyOnWriteArrayList<>();
            final SoupBinTcpServerListener recorder = new SoupBinTcpServerListener()
            {
                @Override
                public void onLoggedIn(final SoupBinTcpServer server, final long firstSequenceNumber)
                {
                }

                @Override
                public void onUnsequencedData(final SoupBinTcpServer server, final DirectBuffer buffer,
                    final int offset, final int length)
                {
                }

                @Override
                public void onEnded(final SoupBinTcpServer server, final SoupBinTcpEnd how)
                {
                    ends.add(how.name());
                }
            };

            final SocketChannel peer = hosts.closeLater(hosts.inB(() ->
                SocketChannel.open(new InetSocketAddress(hosts.a.address(), PORT))));
            final SoupBinTcpServer server = new SoupBinTcpServer(OobSocket.of(listener.accept(0).socket()), SETTINGS,
                store, "trader", "secret", "SESSION1", recorder);
            server.start();
            if (login)
            {
                peer.write(ByteBuffer.wrap(loginRequest(1)));
                final byte[] accepted = readFully(peer, 3 + SoupBinTcpDescriptor.LOGIN_ACCEPTED_LENGTH);
                assertEquals(SoupBinTcpDescriptor.LOGIN_ACCEPTED, accepted[2]);
            }
            peer.write(ByteBuffer.wrap(bad));

            // the listener hears of the end right after end() shows it
            await(() -> !ends.isEmpty(), "the session's end");
            assertEquals(SoupBinTcpEnd.MALFORMED_PACKET, server.end());
            assertEquals(1, server.counters().drops(reason), reason.label());
            assertEquals(List.of("MALFORMED_PACKET"), ends);
            assertEndOfStream(peer);
            server.close();

            // the stage is unaffected: the next client logs in
            final SocketChannel good = hosts.closeLater(hosts.inB(() ->
                SocketChannel.open(new InetSocketAddress(hosts.a.address(), PORT))));
            final SoupBinTcpServer next = new SoupBinTcpServer(OobSocket.of(listener.accept(0).socket()), SETTINGS,
                store, "trader", "secret", "SESSION1", recorder);
            next.start();
            good.write(ByteBuffer.wrap(loginRequest(1)));
            final byte[] accepted = readFully(good, 3 + SoupBinTcpDescriptor.LOGIN_ACCEPTED_LENGTH);
            final byte[] expected = ("  SESSION1" + " ".repeat(19) + "1").getBytes();
            final byte[] payload = new byte[SoupBinTcpDescriptor.LOGIN_ACCEPTED_LENGTH];
            System.arraycopy(accepted, 3, payload, 0, payload.length);
            assertEquals(SoupBinTcpDescriptor.LOGIN_ACCEPTED, accepted[2]);
            assertArrayEquals(expected, payload);
            next.close();
        }
    }

    static byte[] loginRequest(final long sequenceNumber)
    {
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[3 + SoupBinTcpDescriptor.LOGIN_REQUEST_LENGTH]);
        packet.putShort(0, (short)(1 + SoupBinTcpDescriptor.LOGIN_REQUEST_LENGTH), java.nio.ByteOrder.BIG_ENDIAN);
        packet.putByte(2, SoupBinTcpDescriptor.LOGIN_REQUEST);
        AsciiFields.putLeft(packet, 3 + SoupBinTcpDescriptor.LOGIN_USERNAME_OFFSET, 6, "trader".getBytes());
        AsciiFields.putLeft(packet, 3 + SoupBinTcpDescriptor.LOGIN_PASSWORD_OFFSET, 10, "secret".getBytes());
        AsciiFields.putRight(packet, 3 + SoupBinTcpDescriptor.LOGIN_SESSION_OFFSET, 10, new byte[0]);
        AsciiFields.putNumber(packet, 3 + SoupBinTcpDescriptor.LOGIN_SEQUENCE_OFFSET, 20, sequenceNumber);
        return packet.byteArray();
    }

    static byte[] readFully(final SocketChannel channel, final int length) throws Exception
    {
        final ByteBuffer in = ByteBuffer.allocate(length);
        while (in.hasRemaining())
        {
            if (channel.read(in) < 0)
            {
                throw new AssertionError("end of stream after " + in.position() + " of " + length + " bytes");
            }
        }
        return in.array();
    }

    // the peer reads the end of the stream (FIN) within seconds, after any heartbeats still in flight (10 s: a session
    // that ends on the 3 s heartbeat timeout, on a loaded machine)
    static void assertEndOfStream(final SocketChannel channel) throws Exception
    {
        channel.configureBlocking(false);
        final ByteBuffer in = ByteBuffer.allocate(4096);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            in.clear();
            final int n = channel.read(in);
            if (n < 0)
            {
                return;
            }
            if (0 == n)
            {
                Thread.sleep(2);
            }
        }
        throw new AssertionError("no end of stream");
    }
}
