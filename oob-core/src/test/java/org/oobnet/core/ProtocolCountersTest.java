package org.oobnet.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.core.counters.ProtocolCounterType;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.inband.KSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;

/**
 * The SPI that lets a protocol keep per-socket counters in the runtime's counters file.
 */
class ProtocolCountersTest
{
    @TempDir
    Path dir;

    enum TestCounter implements ProtocolCounterType
    {
        WIDGETS(1900, "widgets"),
        GADGETS(1901, "gadgets"),
        GIZMOS(1902, "gizmos");

        private final int typeId;
        private final String label;

        TestCounter(final int typeId, final String label)
        {
            this.typeId = typeId;
            this.label = label;
        }

        @Override
        public int typeId()
        {
            return typeId;
        }

        @Override
        public String label()
        {
            return label;
        }
    }

    @Test
    void shouldShowProtocolCountersInCountersFileWhenAllocated() throws Exception
    {
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir).build());
             CountersFileReader reader = CountersFileReader.open(runtime.countersPath()))
        {
            final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            final OobSocket context = OobSocket.of(socket);
            final ProtocolCounters counters = context.newProtocolCounters(TestCounter.values());
            assertNotNull(counters);
            counters.increment(TestCounter.GADGETS.ordinal());
            counters.add(TestCounter.GIZMOS.ordinal(), 40);
            counters.addAtomic(TestCounter.GIZMOS.ordinal(), 2);

            final CountersReader file = reader.counters();
            for (final TestCounter type : TestCounter.values())
            {
                final int id = counters.counter(type.ordinal()).id();
                assertEquals(type.label() + ": bus fd=" + socket.fd() + " id=" + context.id(), file.getCounterLabel(id));
                assertEquals(type.typeId(), file.getCounterTypeId(id));
                assertEquals(context.id(), file.getCounterRegistrationId(id));
                assertEquals(CountersReader.RECORD_ALLOCATED, file.getCounterState(id));
            }
            assertEquals(0, file.getCounterValue(counters.counter(TestCounter.WIDGETS.ordinal()).id()));
            assertEquals(1, file.getCounterValue(counters.counter(TestCounter.GADGETS.ordinal()).id()));
            assertEquals(42, file.getCounterValue(counters.counter(TestCounter.GIZMOS.ordinal()).id()));

            final int widgets = counters.counter(TestCounter.WIDGETS.ordinal()).id();
            socket.close();
            assertTrue(context.isDestroyed());
            assertEquals(CountersReader.RECORD_RECLAIMED, file.getCounterState(widgets), "freed at destroy");
        }
    }

    @Test
    void shouldRefuseTypeBelowProtocolRangeNamingIt() throws Exception
    {
        final ProtocolCounterType bad = new ProtocolCounterType()
        {
            @Override
            public int typeId()
            {
                return 104;
            }

            @Override
            public String label()
            {
                return "sneaky";
            }
        };
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir).build());
             KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> OobSocket.of(socket).newProtocolCounters(new ProtocolCounterType[]{ bad }));
            assertEquals("protocol=bus: typeId=104 of label=sneaky is below the protocols' range (typeId >= 1000)",
                ex.getMessage());
        }
    }

    @Test
    void shouldReuseSlotsAndLeaveNoCounterAllocatedWhenThousandSocketsOpenedAndClosed() throws Exception
    {
        // 1024 slots: a thousand sockets' 13 counters each would need 13,000 without reuse
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir).countersValuesBytes(1024 * 128).build());
             CountersFileReader reader = CountersFileReader.open(runtime.countersPath()))
        {
            final int before = allocated(reader.counters());
            int maxId = 0;
            for (int i = 0; i < 1000; i++)
            {
                try (KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0))
                {
                    final OobSocket context = OobSocket.of(socket);
                    final ProtocolCounters counters = context.newProtocolCounters(TestCounter.values());
                    assertNotNull(counters, "socket " + i + ": counters file full");
                    counters.increment(0);
                    for (int c = 0; c < counters.size(); c++)
                    {
                        maxId = Math.max(maxId, counters.counter(c).id());
                    }
                    maxId = Math.max(maxId, context.counters().hookErrors().id());
                }
            }
            assertEquals(before, allocated(reader.counters()), "allocated counters back to their start");
            assertTrue(maxId < before + 2 * 13, "slots reused: maxId=" + maxId + " before=" + before);
        }
    }

    private static int allocated(final CountersReader reader)
    {
        final List<Integer> ids = new ArrayList<>();
        reader.forEach((counterId, typeId, keyBuffer, label) -> ids.add(counterId));
        return ids.size();
    }
}
