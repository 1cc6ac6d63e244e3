package org.oobnet.moldudp64;

import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.agrona.MutableDirectBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.moldudp64.stage.MoldUdp64ProtocolConfig;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.testkit.OobProtocolContract;
import org.oobnet.testkit.ProtocolSubject;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * The MoldUDP64 feed socket passes the contract kit. The socket under test publishes (the kit's traffic goes
 * through its {@code send} hook) from host A to two lines, kernel UDP sockets in host B; its OOB UDP child socket
 * comes from oob-udp's protocol, registered under {@code AF_INET} once the kit's runtime runs.
 */
class MoldUdp64ProtocolContractTest implements OobProtocolContract
{
    private static final int LINE_A_PORT = 47_101;
    private static final int LINE_B_PORT = 47_102;
    private static final int FIRST_REQUEST_PORT = 47_200;

    @Override
    public ProtocolSubject subject()
    {
        return new FeedSubject(NetnsFixture.create(2));
    }

    private static final class FeedSubject implements ProtocolSubject
    {
        private final NetnsFixture fixture;
        private final List<KSocket> lines = new ArrayList<>();
        private UdpStack stack;
        private int nextRequestPort = FIRST_REQUEST_PORT;

        FeedSubject(final NetnsFixture fixture)
        {
            this.fixture = fixture;
        }

        @Override
        public OobProtocol newProtocol()
        {
            final MoldUdp64ProtocolConfig defaults = MoldUdp64ProtocolConfig.defaults();
            return new MoldUdp64Protocol(new MoldUdp64ProtocolConfig(defaults.transport(), defaults.packetCapacity(),
                defaults.heartbeatIntervalNs(), 1024, defaults.recovery()));
        }

        @Override
        public int type()
        {
            return MoldUdp64Protocol.SOCK_DGRAM;
        }

        @Override
        public int protocolNumber()
        {
            return MoldUdp64Protocol.IPPROTO_MOLDUDP64;
        }

        @Override
        public <T> T inHost(final Callable<T> task) throws Exception
        {
            return fixture.call(fixture.host(0), task);
        }

        // tag::register[]
        @Override
        public void onRuntimeStarted(final OobRuntime runtime) throws Exception
        {
            // the feed socket stacks on OOB UDP sockets: the kit's registry holds only the protocol under test
            if (null == stack)
            {
                stack = fixture.call(fixture.host(0), () ->
                    UdpStack.open(UdpStackConfig.of(UdpTransport.PACKET, fixture.host(0).interfaceName())));
            }
            runtime.registry().register(SocketConstants.AF_INET, stack.protocol());
            for (final int port : new int[]{ LINE_A_PORT, LINE_B_PORT })
            {
                lines.add(fixture.call(fixture.host(1), () ->
                {
                    final KSocket line = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
                    line.bind(new InetSocketAddress(fixture.host(1).address(), port));
                    return line;
                }));
            }
        }
        // end::register[]

        @Override
        public void onRuntimeClosing(final OobRuntime runtime) throws Exception
        {
            for (final KSocket line : lines)
            {
                line.close();
            }
            lines.clear();
        }

        @Override
        public void bind(final KSocket socket) throws Exception
        {
            final int peer = Ipv4Flyweight.parseAddress(fixture.host(1).address());
            final MoldUdp64Address address = MoldUdp64Address.publish(
                Ipv4Flyweight.parseAddress(fixture.host(0).address()), nextRequestPort++, "CONTRACT",
                new int[]{ peer, peer }, new int[]{ LINE_A_PORT, LINE_B_PORT });
            try (Arena arena = Arena.ofConfined())
            {
                socket.bind(address.encode(arena));
            }
        }

        @Override
        public int writeMessage(final MutableDirectBuffer buffer, final int offset, final long sequence)
        {
            buffer.putLong(offset, sequence);
            return 32;
        }

        @Override
        public void close()
        {
            try
            {
                if (null != stack)
                {
                    stack.close();
                }
            }
            finally
            {
                fixture.close();
            }
        }
    }
}
