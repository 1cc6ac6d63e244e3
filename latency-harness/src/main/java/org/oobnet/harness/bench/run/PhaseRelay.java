package org.oobnet.harness.bench.run;

import java.io.IOException;

import org.oobnet.harness.env.ChildJvm;

/**
 * Tells a reflector process when the measuring client's measured phase begins and ends, so that the reflector's
 * hops cover the same frames as the client's: the client prints {@value #BEGIN} and {@value #END} (a stage pinger
 * around its {@code StagePhase}, the C floor client around its measured loop), the parent relays them to the
 * reflector's standard input as {@value #HOPS_BEGIN} and {@value #HOPS_END}, and the reflector prints its hops
 * ({@code HopLines}) at the end.
 * <p>
 * <b>Note:</b> {@link #relay} on the thread reading the client's output; the strings are shared with
 * {@code floor.c}, which spells them too.
 */
public final class PhaseRelay
{
    /** The client's line: its measured phase begins. */
    public static final String BEGIN = "PHASE measured begin";
    /** The client's line: its measured phase ended. */
    public static final String END = "PHASE measured end";
    /** The reflector's command: start timing hops (anew). */
    public static final String HOPS_BEGIN = "hops begin";
    /** The reflector's command: stop timing and print the hops. */
    public static final String HOPS_END = "hops end";

    private final ChildJvm reflector;
    private volatile boolean ended;

    /**
     * @param reflector the reflector's process.
     */
    public PhaseRelay(final ChildJvm reflector)
    {
        this.reflector = reflector;
    }

    /**
     * @param line a line of the client's standard output; the phase lines go on to the reflector.
     */
    public void relay(final String line)
    {
        try
        {
            if (BEGIN.equals(line))
            {
                reflector.tell(HOPS_BEGIN);
            }
            else if (END.equals(line))
            {
                reflector.tell(HOPS_END);
                ended = true;
            }
        }
        catch (final IOException ex)
        {
            // the reflector went away: the run fails on its own account, and its hops are not there (this runs on
            // the client's output reader, which must go on reading)
        }
    }

    /**
     * @return whether the end of the measured phase was relayed (then the reflector prints its hops).
     */
    public boolean ended()
    {
        return ended;
    }
}
