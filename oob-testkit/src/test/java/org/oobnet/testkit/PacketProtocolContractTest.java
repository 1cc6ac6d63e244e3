package org.oobnet.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;

import org.agrona.MutableDirectBuffer;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.PacketProtocol;

/**
 * oob-packet's AF_PACKET/SOCK_RAW protocol passes the contract: sockets under test bound to veth0 of host A, a
 * receiving packet socket on the same EtherType in host B.
 */
class PacketProtocolContractTest implements OobProtocolContract
{
    private static final int ETHER_TYPE = 0x88B5;

    @Override
    public ProtocolSubject subject()
    {
        return new PacketSubject(NetnsFixture.create(2));
    }

    private static final class PacketSubject implements ProtocolSubject
    {
        private final NetnsFixture fixture;
        private KSocket receiver;

        PacketSubject(final NetnsFixture fixture)
        {
            this.fixture = fixture;
        }

        @Override
        public OobProtocol newProtocol()
        {
            return new PacketProtocol();
        }

        @Override
        public int type()
        {
            return SocketConstants.SOCK_RAW;
        }

        @Override
        public int protocolNumber()
        {
            return SocketConstants.htons(ETHER_TYPE);
        }

        @Override
        public boolean supportsShutdown()
        {
            return false; // the kernel refuses shutdown on AF_PACKET (EOPNOTSUPP): the post-hook never runs
        }

        @Override
        public <T> T inHost(final Callable<T> task) throws Exception
        {
            return fixture.call(fixture.host(0), task);
        }

        @Override
        public void onRuntimeStarted(final OobRuntime runtime) throws Exception
        {
            receiver = fixture.call(fixture.host(1), () ->
            {
                final KSocket socket = KSocket.socket(
                    SocketConstants.AF_PACKET, SocketConstants.SOCK_RAW | SocketConstants.SOCK_OOB,
                    SocketConstants.htons(ETHER_TYPE));
                bindTo(socket, fixture.host(1));
                return socket;
            });
        }

        @Override
        public void onRuntimeClosing(final OobRuntime runtime) throws Exception
        {
            if (null != receiver)
            {
                receiver.close();
            }
        }

        @Override
        public void bind(final KSocket socket) throws Exception
        {
            bindTo(socket, fixture.host(0));
        }

        @Override
        public int writeMessage(final MutableDirectBuffer buffer, final int offset, final long sequence)
        {
            // broadcast destination, a locally administered source, the EtherType, the sequence as payload
            for (int i = 0; i < 6; i++)
            {
                buffer.putByte(offset + i, (byte)0xFF);
            }
            buffer.putInt(offset + 6, 0x0200_0AFB);
            buffer.putShort(offset + 10, (short)0x0001);
            buffer.putShort(offset + 12, (short)ETHER_TYPE, java.nio.ByteOrder.BIG_ENDIAN);
            buffer.putLong(offset + 14, sequence);
            return 64;
        }

        @Override
        public void close()
        {
            fixture.close();
        }

        private static void bindTo(final KSocket socket, final NetnsFixture.Host host) throws Exception
        {
            final int ifIndex = socket.interfaceIndex(host.interfaceName());
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment ll = SockAddr.encodeLinkLayer(ifIndex, ETHER_TYPE, null, arena);
                socket.bind(ll);
            }
        }
    }
}
