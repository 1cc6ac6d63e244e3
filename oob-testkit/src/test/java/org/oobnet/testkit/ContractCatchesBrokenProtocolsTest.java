package org.oobnet.testkit;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobSocket;
import org.oobnet.core.bus.OobBusProtocol;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kit's own tests can fail: protocols with the mistakes the kit looks for are caught.
 */
class ContractCatchesBrokenProtocolsTest
{
    /** Keeps what the broken protocol allocates reachable, so no escape analysis removes the allocation. */
    static volatile Object sink;

    @Test
    void shouldFailAllocationCheckWhenSendAllocates()
    {
        final OobProtocolContract contract = new OobProtocolContract()
        {
            @Override
            public ProtocolSubject subject()
            {
                return new AllocatingSubject();
            }

            @Override
            public long steadyStateLimitNs()
            {
                return 2_000_000_000L;
            }
        };
        final AssertionFailedError error = assertThrows(
            AssertionFailedError.class, contract::shouldAllocateNothingOnStageWhenTrafficFlows);
        assertTrue(error.getMessage().contains("bytes allocated by the stage thread"), error.getMessage());
    }

    static final class AllocatingSubject extends OobBusProtocolContractTest.BusSubject
    {
        @Override
        public OobProtocol newProtocol()
        {
            return new ForwardingProtocol(new OobBusProtocol())
            {
                @Override
                public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
                {
                    sink = new byte[length];
                    return super.send(socket, buffer, offset, length);
                }
            };
        }
    }

    @Test
    void shouldFailLeakCheckWhenDestroyForgetsWhatAttachOpened()
    {
        final OobProtocolContract contract = () -> new OobBusProtocolContractTest.BusSubject()
        {
            @Override
            public OobProtocol newProtocol()
            {
                return new ForwardingProtocol(new OobBusProtocol())
                {
                    @Override
                    public int attach(final OobSocket socket)
                    {
                        try
                        {
                            // a descriptor per socket that nothing ever closes
                            sink = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
                        }
                        catch (final Exception ex)
                        {
                            throw new IllegalStateException(ex);
                        }
                        return super.attach(socket);
                    }
                };
            }
        };
        final AssertionError error = assertThrows(
            AssertionError.class, contract::shouldFailSocketWithHookErrnoAndLeakNothingWhenAttachFails);
        assertTrue(error.getMessage().contains("open descriptors back to"), error.getMessage());
    }
}
