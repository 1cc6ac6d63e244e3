package org.oobnet.example.seqmsg;

import java.lang.foreign.Arena;
import java.util.concurrent.Callable;

import org.agrona.MutableDirectBuffer;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.testkit.OobProtocolContract;
import org.oobnet.testkit.ProtocolSubject;

/**
 * seqmsg passes the SDK's contract: the socket under test lives in host A of two namespaces, a subscriber on the
 * same stream in host B receives what it sends.
 */
// tag::contract[]
class SeqMsgProtocolContractTest implements OobProtocolContract
{
    @Override
    public ProtocolSubject subject()
    {
        return new SeqMsgSubject(NetnsFixture.create(2));
    }

    private static final class SeqMsgSubject implements ProtocolSubject
    {
        private final NetnsFixture fixture;
        private KSocket subscriber;

        SeqMsgSubject(final NetnsFixture fixture)
        {
            this.fixture = fixture;
        }

        @Override
        public OobProtocol newProtocol()
        {
            return new SeqMsgProtocol(SeqMsgConfig.defaults());
        }

        @Override
        public int type()
        {
            return SeqMsgProtocol.SOCK_SEQPACKET;
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
            subscriber = fixture.call(fixture.host(1), () ->
            {
                final KSocket socket = KSocket.socket(
                    OobRuntime.AF_OOB, SeqMsgProtocol.SOCK_SEQPACKET | SocketConstants.SOCK_OOB, 0);
                bindTo(socket, fixture.host(1));
                // a consumer on the stage that keeps up: the subscriber never asks for messages again
                OobSocket.of(socket).stageReceiveHandler((s, buffer, offset, length) -> { });
                return socket;
            });
        }

        @Override
        public void onRuntimeClosing(final OobRuntime runtime) throws Exception
        {
            if (null != subscriber)
            {
                subscriber.close();
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
            buffer.putLong(offset, sequence);
            return 64;
        }

        @Override
        public void close()
        {
            fixture.close();
        }

        private static void bindTo(final KSocket socket, final NetnsFixture.Host host) throws Exception
        {
            try (Arena arena = Arena.ofConfined())
            {
                socket.bind(SeqMsgAddress.encode(host.interfaceName(), 7, arena));
            }
        }
    }
}
// end::contract[]
