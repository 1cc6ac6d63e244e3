package org.oobnet.testkit;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.MutableDirectBuffer;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.core.bus.OobBusProtocol;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;

/**
 * oob-core's AF_OOB bus passes the contract: each socket under test binds to a fresh name and connects to a sink
 * endpoint the subject opens once the runtime runs.
 */
class OobBusProtocolContractTest implements OobProtocolContract
{
    @Override
    public ProtocolSubject subject()
    {
        return new BusSubject();
    }

    static class BusSubject implements ProtocolSubject
    {
        private static final String SINK = "contract-sink";

        private final Arena arena = Arena.ofShared();
        private final AtomicInteger names = new AtomicInteger();
        private KSocket sink;

        @Override
        public OobProtocol newProtocol()
        {
            return new OobBusProtocol();
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
        public void onRuntimeStarted(final OobRuntime runtime) throws Exception
        {
            sink = KSocket.socket(OobRuntime.AF_OOB, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
            sink.bind(OobBusAddress.encode(SINK, arena));
        }

        @Override
        public void onRuntimeClosing(final OobRuntime runtime) throws Exception
        {
            if (null != sink)
            {
                sink.close();
            }
        }

        @Override
        public void bind(final KSocket socket) throws Exception
        {
            socket.bind(OobBusAddress.encode("contract-" + names.incrementAndGet(), arena));
        }

        @Override
        public boolean supportsConnect()
        {
            return true;
        }

        @Override
        public void connect(final KSocket socket) throws Exception
        {
            socket.connect(OobBusAddress.encode(SINK, arena));
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
            arena.close();
        }
    }
}
