package org.oobnet.harness.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.oobnet.harness.soak.SoakRun;
import org.oobnet.harness.soak.SoakTable;

/**
 * {@code oobnet soak [--duration 10m] [--rate N]}: traffic with fault injection and exact accounting (see
 * {@link SoakRun}); prints a table, exits 0 when every invariant held, 1 when one broke, 2 when it could not run.
 * <p>
 * <b>Note:</b> in-band; needs root (namespaces, veth, AF_PACKET).
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Traffic on the OOB paths with faults injected; exact per-stream accounting.")
public final class SoakCommand implements Callable<Integer>
{
    @Option(names = "--duration", paramLabel = "TIME", description = "How long (default 10m), e.g. 60s, 10m.")
    String duration = "10m";

    @Option(names = "--rate", paramLabel = "N", description = "Messages per second per stream (default 2000).")
    int rate = 2000;

    @Option(names = "--faults", paramLabel = "LIST",
        description = "Faults to inject, in turn (default churn,stall,burst,flap,recreate).")
    String faults = "churn,stall,burst,flap,recreate";

    @Option(names = "--stages", paramLabel = "N",
        description = "Stages of the soak's runtime: 1 (default), or 2 (the raw packet sockets on their own stage).")
    int stages = 1;

    @Override
    public Integer call() throws Exception
    {
        final long durationNs = Durations.parseNs("duration", duration);
        final SoakRun run = new SoakRun(durationNs, rate, System.out).faults(faults).stages(stages);
        final boolean passed;
        try
        {
            passed = run.run();
        }
        catch (final java.io.IOException ex)
        {
            System.err.println("oobnet soak: cannot run: " + ex.getMessage());
            return 2;
        }
        System.out.print(SoakTable.render(run, duration, rate));
        return passed ? 0 : 1;
    }
}
