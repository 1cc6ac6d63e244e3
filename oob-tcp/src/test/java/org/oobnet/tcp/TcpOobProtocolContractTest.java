package org.oobnet.tcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.agrona.MutableDirectBuffer;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.testkit.OobProtocolContract;
import org.oobnet.testkit.ProtocolSubject;

/**
 * oob-tcp's AF_INET/SOCK_STREAM protocol passes the protocol contract: sockets under test in host A, bound to an
 * ephemeral port and connected (in-band, blocking) to a kernel listener in host B whose connections a thread
 * drains.
 */
class TcpOobProtocolContractTest implements OobProtocolContract
{
    private static final int PEER_PORT = 47_101;

    @Override
    public ProtocolSubject subject()
    {
        return new TcpSubject(NetnsFixture.create(2));
    }

    private static final class TcpSubject implements ProtocolSubject
    {
        private final NetnsFixture fixture;
        private ServerSocketChannel listener;
        private Thread drainer;

        TcpSubject(final NetnsFixture fixture)
        {
            this.fixture = fixture;
        }

        @Override
        public OobProtocol newProtocol()
        {
            return new TcpOobProtocol();
        }

        @Override
        public int type()
        {
            return SocketConstants.SOCK_STREAM;
        }

        @Override
        public int protocolNumber()
        {
            return 0;
        }

        @Override
        public <T> T inHost(final java.util.concurrent.Callable<T> task) throws Exception
        {
            return fixture.call(fixture.host(0), task);
        }

        @Override
        public void onRuntimeStarted(final OobRuntime runtime) throws Exception
        {
            listener = fixture.call(fixture.host(1), () ->
                ServerSocketChannel.open().bind(new InetSocketAddress(fixture.host(1).address(), PEER_PORT)));
            drainer = Thread.ofPlatform().daemon().name("tcp-contract-peer").start(this::drain);
        }

        // accepts every connection and reads it to its end, so that sends never stall on the peer
        private void drain()
        {
            try
            {
                while (true)
                {
                    final SocketChannel connection = listener.accept();
                    Thread.ofPlatform().daemon().start(() ->
                    {
                        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
                        try (connection)
                        {
                            while (connection.read(in.clear()) >= 0)
                            {
                                Thread.onSpinWait();
                            }
                        }
                        catch (final Exception ignored)
                        {
                            // reset by the socket under test's close
                        }
                    });
                }
            }
            catch (final Exception ignored)
            {
                // the listener closed
            }
        }

        @Override
        public void onRuntimeClosing(final OobRuntime runtime) throws Exception
        {
            if (null != listener)
            {
                listener.close();
                drainer.join(5_000);
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
            buffer.putLong(offset, sequence);
            return 64;
        }

        @Override
        public void close()
        {
            fixture.close();
        }
    }
}
