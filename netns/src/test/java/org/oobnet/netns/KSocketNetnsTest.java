package org.oobnet.netns;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.AF_PACKET;
import static org.oobnet.inband.SocketConstants.ETH_P_802_EX1;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_RAW;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;
import static org.oobnet.inband.SocketConstants.htons;

/**
 * TCP, UDP and raw {@code AF_PACKET} through {@link KSocket} between two network namespaces joined by veth.
 */
class KSocketNetnsTest
{
    private static NetnsFixture fixture;

    @BeforeAll
    static void hosts()
    {
        fixture = NetnsFixture.create(2);
    }

    @AfterAll
    static void teardown()
    {
        if (null != fixture)
        {
            fixture.close();
        }
    }

    private static InetSocketAddress address(final int host, final int port) throws Exception
    {
        return new InetSocketAddress(InetAddress.getByName(fixture.host(host).address()), port);
    }

    @Test
    void shouldConnectAndExchangeOverTcpAcrossNamespaces() throws Exception
    {
        final KSocket listener = fixture.call(fixture.host(1), () ->
        {
            final KSocket socket = KSocket.socket(AF_INET, SOCK_STREAM, 0);
            socket.bind(address(1, 0));
            socket.listen(1);
            return socket;
        });
        final KSocket client = fixture.call(fixture.host(0), () -> KSocket.socket(AF_INET, SOCK_STREAM, 0));
        try (listener; client)
        {
            client.connect(listener.localName());
            try (KSocket server = listener.accept(0).socket())
            {
                assertEquals(address(0, client.localName().getPort()), server.peerName());
                client.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), 0);
                final ByteBuffer into = ByteBuffer.allocate(4);
                while (into.hasRemaining())
                {
                    server.recv(into, 0);
                }
                assertEquals("ping", new String(into.array(), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void shouldExchangeDatagramsAcrossNamespaces() throws Exception
    {
        final KSocket receiver = fixture.call(fixture.host(1), () ->
        {
            final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            socket.bind(address(1, 0));
            return socket;
        });
        final KSocket sender = fixture.call(fixture.host(0), () -> KSocket.socket(AF_INET, SOCK_DGRAM, 0));
        try (receiver; sender)
        {
            sender.sendTo(MemorySegment.ofArray(new byte[]{1, 2, 3}), 0, receiver.localName());
            final ByteBuffer into = ByteBuffer.allocateDirect(16);
            final InetSocketAddress from = receiver.recvFrom(into, 0);
            assertEquals(fixture.host(0).address(), from.getAddress().getHostAddress());
            assertEquals(3, into.position());
        }
    }

    @Test
    void shouldSendARawFrameFromOneNamespaceToTheOther() throws Exception
    {
        final KSocket rx = fixture.call(fixture.host(1), () -> KSocket.socket(AF_PACKET, SOCK_RAW, htons(ETH_P_802_EX1)));
        final KSocket tx = fixture.call(fixture.host(0), () -> KSocket.socket(AF_PACKET, SOCK_RAW, 0));
        try (rx; tx; Arena arena = Arena.ofConfined())
        {
            final byte[] rxMac = HexFormat.ofDelimiter(":").parseHex(fixture.host(1).mac());
            final byte[] txMac = HexFormat.ofDelimiter(":").parseHex(fixture.host(0).mac());
            assertArrayEquals(rxMac, rx.hardwareAddress(NetnsFixture.HOST_INTERFACE));
            assertArrayEquals(txMac, tx.hardwareAddress(NetnsFixture.HOST_INTERFACE));
            final int rxIndex = rx.interfaceIndex(NetnsFixture.HOST_INTERFACE);
            final int txIndex = tx.interfaceIndex(NetnsFixture.HOST_INTERFACE);
            rx.bind(SockAddr.encodeLinkLayer(rxIndex, ETH_P_802_EX1, null, arena));

            final MemorySegment frame = arena.allocate(60).fill((byte)0);
            MemorySegment.copy(rxMac, 0, frame, ValueLayout.JAVA_BYTE, 0, 6);
            MemorySegment.copy(txMac, 0, frame, ValueLayout.JAVA_BYTE, 6, 6);
            frame.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 12, (short)ETH_P_802_EX1);
            frame.set(ValueLayout.JAVA_INT_UNALIGNED, 14, 0xCAFEF00D);
            assertEquals(60, tx.sendTo(frame, 0, SockAddr.encodeLinkLayer(txIndex, ETH_P_802_EX1, rxMac, arena)));

            final MemorySegment into = arena.allocate(128);
            assertEquals(60, rx.recv(into, 0));
            assertEquals(0xCAFEF00D, into.get(ValueLayout.JAVA_INT_UNALIGNED, 14));
            assertArrayEquals(txMac, into.asSlice(6, 6).toArray(ValueLayout.JAVA_BYTE));
        }
    }
}
