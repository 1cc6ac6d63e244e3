package org.oobnet.netns.testing;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetnsFixtureTest
{
    @Test
    void shouldExchangeDatagramBetweenTwoNamespacesOverVeth() throws Exception
    {
        final List<String> created;
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            created = fixture.namespaces();
            assertTrue(NetnsFixture.listNamespaces().containsAll(created), "namespaces exist while open");
            final NetnsFixture.Host a = fixture.host(0);
            final NetnsFixture.Host b = fixture.host(1);

            // Each channel is created on its host's thread, so it lives in that host's namespace.
            final DatagramChannel receiver = fixture.call(b, () ->
                DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(b.address(), 40123)));
            final DatagramChannel sender = fixture.call(a, () -> DatagramChannel.open(StandardProtocolFamily.INET));
            try (receiver; sender)
            {
                sender.send(ByteBuffer.wrap("over veth".getBytes(StandardCharsets.US_ASCII)),
                    new InetSocketAddress(b.address(), 40123));
                final ByteBuffer buffer = ByteBuffer.allocate(64);
                final InetSocketAddress from = (InetSocketAddress)receiver.receive(buffer);
                buffer.flip();
                assertEquals("over veth", StandardCharsets.US_ASCII.decode(buffer).toString());
                assertEquals(a.address(), from.getAddress().getHostAddress());
            }
        }
        final List<String> after = NetnsFixture.listNamespaces();
        for (final String ns : created)
        {
            assertFalse(after.contains(ns), ns + " removed on close");
        }
    }

    @Test
    void shouldRunCodeInsideTheHostNamespace() throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            final NetnsFixture.Host a = fixture.host(0);
            // NetworkInterface queries the kernel on each call: ask from the host's thread.
            final String seen = fixture.call(a, () ->
            {
                final NetworkInterface veth = NetworkInterface.getByName(a.interfaceName());
                assertNotNull(veth, "veth0 visible from the host's thread");
                return formatMac(veth.getHardwareAddress()) + (veth.isUp() ? " up" : " down");
            });
            assertEquals(a.mac() + " up", seen);
            // The root namespace has no such interface; the test JVM's own thread never moved.
            assertEquals(null, NetworkInterface.getByName(a.interfaceName()));
        }
    }

    @Test
    void shouldJoinThreeHostsThroughABridge() throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(3))
        {
            assertEquals(4, fixture.namespaces().size(), "three hosts and a switch");
            final NetnsFixture.Host c = fixture.host(2);
            final DatagramChannel receiver = fixture.call(c, () ->
                DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(c.address(), 40124)));
            try (receiver)
            {
                for (int i = 0; i < 2; i++)
                {
                    final NetnsFixture.Host from = fixture.host(i);
                    fixture.run(from, () ->
                    {
                        try (DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET))
                        {
                            sender.send(ByteBuffer.wrap(new byte[]{ (byte)from.index() }),
                                new InetSocketAddress(c.address(), 40124));
                        }
                    });
                    final ByteBuffer buffer = ByteBuffer.allocate(8);
                    final InetSocketAddress source = (InetSocketAddress)receiver.receive(buffer);
                    assertEquals(from.address(), source.getAddress().getHostAddress());
                    assertEquals(from.index(), buffer.get(0));
                }
            }
        }
    }

    @Test
    void shouldSurfaceTheTaskFailure() throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            final IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> fixture.run(fixture.host(0), () ->
                {
                    throw new IllegalStateException("boom");
                }));
            assertEquals("boom", thrown.getMessage());
        }
    }

    private static String formatMac(final byte[] mac)
    {
        final StringBuilder text = new StringBuilder();
        for (final byte b : mac)
        {
            if (!text.isEmpty())
            {
                text.append(':');
            }
            text.append(String.format("%02x", b & 0xff));
        }
        return text.toString();
    }
}
