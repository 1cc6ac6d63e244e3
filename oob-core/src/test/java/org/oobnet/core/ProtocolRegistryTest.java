package org.oobnet.core;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.core.bus.OobBusProtocol;
import org.oobnet.inband.Errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolRegistryTest
{
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_RAW = 3;

    @Test
    void shouldGiveEprotonosupportWhenFamilyHasNoProtocol()
    {
        final OobProtocol[] found = new OobProtocol[1];
        assertEquals(-Errno.EPROTONOSUPPORT, new ProtocolRegistry().lookup(AF_INET, SOCK_DGRAM, 0, found));
        assertEquals(-Errno.EAFNOSUPPORT, new ProtocolRegistry().lookup(64, SOCK_DGRAM, 0, found));
    }

    @Test
    void shouldGiveFirstProtocolsErrnoWhenNoneMatches()
    {
        final ProtocolRegistry registry = new ProtocolRegistry()
            .register(AF_INET, new RecordingProtocol(AF_INET, SOCK_DGRAM));
        final OobProtocol[] found = new OobProtocol[1];
        assertEquals(-Errno.EPROTOTYPE, registry.lookup(AF_INET, SOCK_RAW, 0, found));
    }

    @Test
    void shouldPickFirstMatchingProtocolWithExplicitAheadOfDiscovered()
    {
        final ProtocolRegistry registry = new ProtocolRegistry();
        assertEquals(1, registry.discover(getClass().getClassLoader()));
        assertEquals(0, registry.discover(getClass().getClassLoader()), "discovery is idempotent");
        final OobProtocol discovered = registry.protocols(OobRuntime.AF_OOB).getFirst();
        assertTrue(discovered instanceof OobBusProtocol);

        final RecordingProtocol dgram = new RecordingProtocol(OobRuntime.AF_OOB, SOCK_DGRAM);
        final RecordingProtocol raw = new RecordingProtocol(OobRuntime.AF_OOB, SOCK_RAW);
        registry.register(OobRuntime.AF_OOB, dgram).register(OobRuntime.AF_OOB, raw);
        assertEquals(List.of(dgram, raw, discovered), registry.protocols(OobRuntime.AF_OOB));

        final OobProtocol[] found = new OobProtocol[1];
        assertEquals(0, registry.lookup(OobRuntime.AF_OOB, SOCK_DGRAM, 0, found));
        assertSame(dgram, found[0], "the explicit registration overrides the discovered bus");
        assertEquals(0, registry.lookup(OobRuntime.AF_OOB, SOCK_RAW, 0, found));
        assertSame(raw, found[0]);

        assertTrue(registry.unregister(OobRuntime.AF_OOB, dgram));
        assertEquals(0, registry.lookup(OobRuntime.AF_OOB, SOCK_DGRAM, 0, found));
        assertSame(discovered, found[0], "the discovered bus serves again once the override is gone");
    }

    @Test
    void shouldRejectDuplicateAndOutOfRangeRegistrations()
    {
        final RecordingProtocol protocol = new RecordingProtocol(AF_INET, SOCK_DGRAM);
        final ProtocolRegistry registry = new ProtocolRegistry().register(AF_INET, protocol);
        assertEquals("protocol=recording is already registered for family=2",
            assertThrows(IllegalArgumentException.class, () -> registry.register(AF_INET, protocol)).getMessage());
        assertEquals("family=64 must be in 0..63",
            assertThrows(IllegalArgumentException.class, () -> registry.register(64, protocol)).getMessage());
    }
}
