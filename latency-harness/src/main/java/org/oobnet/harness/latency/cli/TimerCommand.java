package org.oobnet.harness.latency.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/**
 * {@code oobnet latency timer}: the OOB stage's own jitter, as latmus' timer test (a task due every period records
 * how late it ran). It plugs in here when oob-core's {@code OobTask} lands; until then it says so.
 * <p>
 * <b>Note:</b> in-band command.
 */
@Command(name = "timer", mixinStandardHelpOptions = true,
    description = "The OOB stage's timer jitter, as latmus' timer test (needs oob-core's OobTask).")
public final class TimerCommand implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        return UnavailableScenario.report("timer", "oob-core's OobRuntime/OobTask has not landed yet");
    }
}
