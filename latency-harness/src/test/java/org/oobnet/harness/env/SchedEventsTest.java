package org.oobnet.harness.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Lines of a tracefs {@code trace} file as the kernel writes them: headers skipped, events parsed (task names with
 * spaces, with and without the flags column), lost-event notes counted as lost, anything else counted as malformed.
 */
class SchedEventsTest
{
    @Test
    void shouldParseEventsCountLostOnesAndCountMalformedLinesWithoutThrowing()
    {
        final SchedEvents events = new SchedEvents();
        List.of(
            "# tracer: nop",
            "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
            "",
            " C1 CompilerThre-5551    [000] d..2.   301.040407: sched_switch: prev_comm=C1 CompilerThre " +
                "prev_pid=5551 prev_prio=120 prev_state=S ==> next_comm=java next_pid=5532 next_prio=120",
            "          <idle>-0       [001]   302.000001: sched_switch: prev_comm=swapper/1 prev_pid=0 " +
                "prev_prio=120 prev_state=R+ ==> next_comm=oob-stage next_pid=77 next_prio=-51",
            "CPU:1 [LOST 42 EVENTS]",
            "   java-5532 [000] d..2.   301.04: sched_switch: prev_comm=java prev_pid=5532",
            "garbage").forEach(events);

        assertEquals(2, events.events().size());
        assertEquals(new SchedSwitch(301_040_407_000L, 0, "C1 CompilerThre", 5551, "S", "java", 5532),
            events.events().get(0));
        final SchedSwitch second = events.events().get(1);
        assertEquals(new SchedSwitch(302_000_001_000L, 1, "swapper/1", 0, "R+", "oob-stage", 77), second);
        assertTrue(second.preempted());
        assertEquals(42, events.lost());
        assertEquals(2, events.malformed());
        assertEquals("   java-5532 [000] d..2.   301.04: sched_switch: prev_comm=java prev_pid=5532",
            events.firstMalformed());
    }

    @Test
    void shouldRejectAPidPastIntsRange()
    {
        assertNull(SchedSwitch.parse(" a-1 [000] d..2. 1.000001: sched_switch: prev_comm=a prev_pid=99999999999 " +
            "prev_prio=120 prev_state=R ==> next_comm=b next_pid=2 next_prio=120"));
    }
}
