package org.oobnet.testkit;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

import org.agrona.MutableDirectBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;

/**
 * oob-udp's AF_INET/SOCK_DGRAM protocol (packet transport) passes the contract: sockets under test in host A,
 * bound to an ephemeral port and connected to a plain kernel UDP socket in host B.
 */
class UdpOobProtocolContractTest implements OobProtocolContract
{
    private static final int PEER_PORT = 47_001;

    @Override
    public ProtocolSubject subject()
    {
        return new UdpSubject(NetnsFixture.create(2));
    }

    private static final class UdpSubject implements ProtocolSubject
    {
        private final NetnsFixture fixture;
        private UdpStack stack;
        private KSocket peer;

        UdpSubject(final NetnsFixture fixture)
        {
            this.fixture = fixture;
        }

        @Override
        public OobProtocol newProtocol()
        {
            try
            {
                if (null == stack)
                {
                    stack = fixture.call(fixture.host(0), () ->
                        UdpStack.open(UdpStackConfig.of(UdpTransport.PACKET, fixture.host(0).interfaceName())));
                }
                return stack.protocol();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public int type()
        {
            return SocketConstants.SOCK_DGRAM;
        }

        @Override
        public int protocolNumber()
        {
            return 0;
        }

        @Override
        public <T> T inHost(final Callable<T> task) throws Exception
        {
            return fixture.call(fixture.host(0), task);
        }

        @Override
        public void onRuntimeStarted(final OobRuntime runtime) throws Exception
        {
            peer = fixture.call(fixture.host(1), () ->
            {
                final KSocket socket = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
                socket.bind(new InetSocketAddress(fixture.host(1).address(), PEER_PORT));
                return socket;
            });
        }

        @Override
        public void onRuntimeClosing(final OobRuntime runtime) throws Exception
        {
            if (null != peer)
            {
                peer.close();
            }
        }

        @Override
        public void bind(final KSocket socket) throws Exception
        {
            socket.bind(new InetSocketAddress(fixture.host(0).address(), 0));
        }

        @Override
        public boolean supportsConnect()
        {
            return true;
        }

        @Override
        public void connect(final KSocket socket) throws Exception
        {
            socket.connect(new InetSocketAddress(fixture.host(1).address(), PEER_PORT));
        }

        @Override
        public int writeMessage(final MutableDirectBuffer buffer, final int offset, final long sequence)
        {
            UdpAddressHeader.write(buffer, offset, 0, 0); // 0: the connected peer
            buffer.putLong(offset + UdpAddressHeader.LENGTH, sequence);
            return UdpAddressHeader.LENGTH + 56;
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
