package org.oobnet.udp.demux;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.Errno;
import org.oobnet.inband.testing.SteadyStateAllocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemuxTableTest
{
    private static final int LOCAL = 0x0AFB0001;
    private static final int OTHER = 0x0AFB0005;
    private static final int PEER = 0x0AFB0002;

    private final DemuxTable<String> table = new DemuxTable<>();

    @Test
    void shouldPreferExactBindingOverWildcard()
    {
        assertEquals(0, table.bind(DemuxTable.ANY_ADDRESS, 5000, "any", false));
        assertEquals(0, table.bind(LOCAL, 5000, "exact", false));
        assertEquals("exact", table.lookup(LOCAL, 5000, PEER, 1));
        assertEquals("any", table.lookup(OTHER, 5000, PEER, 1));
        assertNull(table.lookup(LOCAL, 5001, PEER, 1));
        assertTrue(table.unbind(LOCAL, 5000, "exact"));
        assertEquals("any", table.lookup(LOCAL, 5000, PEER, 1));
    }

    @Test
    void shouldRefuseSecondBindingWhenNotSharedByBoth()
    {
        assertEquals(0, table.bind(LOCAL, 5000, "a", true));
        assertEquals(-Errno.EADDRINUSE, table.bind(LOCAL, 5000, "b", false));
        assertEquals(0, table.bind(LOCAL, 6000, "c", false));
        assertEquals(-Errno.EADDRINUSE, table.bind(LOCAL, 6000, "d", true));
        assertEquals(-Errno.EINVAL, table.bind(LOCAL, 0, "e", false));
    }

    @Test
    void shouldSpreadFlowsOverReusePortGroupAndKeepEachFlowOnOneMember()
    {
        table.bind(LOCAL, 5000, "a", true);
        table.bind(LOCAL, 5000, "b", true);
        table.bind(LOCAL, 5000, "c", true);
        final Set<String> seen = new HashSet<>();
        for (int port = 1; port < 200; port++)
        {
            final String member = table.lookup(LOCAL, 5000, PEER, port);
            assertEquals(member, table.lookup(LOCAL, 5000, PEER, port), "a flow sticks to one member");
            seen.add(member);
        }
        assertEquals(Set.of("a", "b", "c"), seen);
        assertTrue(table.unbind(LOCAL, 5000, "b"));
        assertFalse(table.unbind(LOCAL, 5000, "b"));
        for (int port = 1; port < 200; port++)
        {
            assertFalse("b".equals(table.lookup(LOCAL, 5000, PEER, port)));
        }
    }

    @Test
    void shouldVisitExactAndWildcardMembersForGroupDelivery()
    {
        final int group = 0xEFFB0001;
        table.bind(group, 7000, "g1", true);
        table.bind(group, 7000, "g2", true);
        table.bind(DemuxTable.ANY_ADDRESS, 7000, "any", false);
        final List<String> visited = new ArrayList<>();
        assertEquals(3, table.forEachMember(group, 7000, visited::add));
        assertEquals(List.of("g1", "g2", "any"), visited);
    }

    @Test
    void shouldLookupWithoutAllocating()
    {
        for (int i = 1; i <= 32; i++)
        {
            table.bind(LOCAL, 5000 + i, "s" + i, false);
        }
        final int[] found = new int[1];
        final long allocated = SteadyStateAllocation.ofCallingThread(() ->
        {
            for (int i = 0; i < 200_000; i++)
            {
                found[0] += null != table.lookup(LOCAL, 5000 + (i & 63), PEER, i) ? 1 : 0;
            }
        });
        assertEquals(0, allocated, "allocated bytes over 200k lookups");
        assertTrue(found[0] > 0);
    }
}
