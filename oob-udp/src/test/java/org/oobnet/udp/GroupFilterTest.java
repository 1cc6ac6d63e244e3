package org.oobnet.udp;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.Errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The membership filter's RFC 3678 rules, as Linux applies them: any-source joins exclude blocked sources,
 * source-specific joins include only theirs, memberships are per interface, and the last included source leaving
 * leaves the group.
 */
class GroupFilterTest
{
    private static final int G1 = 0xEFFB0001;
    private static final int G2 = 0xEFFB0002;
    private static final int S1 = 0x0AFB0001;
    private static final int S2 = 0x0AFB0002;
    private static final int IF1 = 2;
    private static final int IF2 = 3;

    @Test
    void shouldAcceptAnySourceExceptBlockedOnTheJoinedInterfaceOnly()
    {
        final int[] errno = {0};
        GroupFilter filter = GroupFilter.EMPTY.join(G1, IF1);
        assertTrue(filter.accepts(G1, S1, IF1));
        assertFalse(filter.accepts(G1, S1, IF2), "another interface");
        assertFalse(filter.accepts(G2, S1, IF1), "another group");
        filter = filter.changeSource(G1, IF1, S1, false, true, errno);
        assertFalse(filter.accepts(G1, S1, IF1), "blocked");
        assertTrue(filter.accepts(G1, S2, IF1));
        assertNull(filter.join(G1, IF1), "joined twice");
        assertNull(filter.changeSource(G1, IF1, S2, true, true, errno), "a source-specific add on an any-source join");
        assertEquals(Errno.EINVAL, errno[0]);
        filter = filter.changeSource(G1, IF1, S1, false, false, errno);
        assertTrue(filter.accepts(G1, S1, IF1), "unblocked");
        assertEquals(0, filter.leave(G1, IF1).memberships());
    }

    @Test
    void shouldAcceptOnlyIncludedSourcesAndLeaveWithTheLastOne()
    {
        final int[] errno = {0};
        GroupFilter filter = GroupFilter.EMPTY.changeSource(G1, IF1, S1, true, true, errno);
        assertEquals(1, filter.memberships());
        assertTrue(filter.accepts(G1, S1, IF1));
        assertFalse(filter.accepts(G1, S2, IF1));
        filter = filter.changeSource(G1, IF1, S2, true, true, errno);
        assertTrue(filter.accepts(G1, S2, IF1));
        assertNull(filter.changeSource(G1, IF1, S2, true, true, errno), "the same source twice");
        assertEquals(Errno.EADDRNOTAVAIL, errno[0]);
        filter = filter.changeSource(G1, IF1, S1, true, false, errno);
        assertFalse(filter.accepts(G1, S1, IF1));
        filter = filter.changeSource(G1, IF1, S2, true, false, errno);
        assertEquals(0, filter.memberships(), "the last source left: so did the group");
        assertNull(filter.leave(G1, IF1));
        assertNull(GroupFilter.EMPTY.changeSource(G1, IF1, S1, false, true, errno), "a block without a join");
        assertEquals(Errno.EINVAL, errno[0]);
    }
}
