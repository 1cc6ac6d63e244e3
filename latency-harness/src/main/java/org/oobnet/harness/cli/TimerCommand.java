package org.oobnet.harness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.oobnet.core.OobConfig;
import org.oobnet.harness.env.ChildJvm;
import org.oobnet.harness.env.JvmProfile;
import org.oobnet.harness.env.ParentWatch;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.timer.TimerRun;
import org.oobnet.harness.report.Outputs;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.report.RunResult;
import org.oobnet.harness.report.SockperfSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.oobnet.harness.report.ChildOutput;

/**
 * {@code oobnet latency timer}: the OOB stage's own jitter, as latmus' timer test: a task on the stage is due every
 * {@code --period} and records how late it ran; overruns (missed periods), stage stalls and the stage's allocation
 * during the measured phase are reported. Runs in a child JVM pinned to the stage's CPU, with the low-latency
 * profile unless {@code --profile off}.
 * <p>
 * <b>Note:</b> in-band command; the stage spins on one CPU for the run's length (the default idle is spin).
 */
@Command(name = "timer", mixinStandardHelpOptions = true,
    description = "The OOB stage's timer jitter, as latmus' timer test: lateness of a task due every --period.")
public final class TimerCommand implements Callable<Integer>
{
    @Mixin
    RunOptions options;

    @Option(names = "--period", defaultValue = "100us", paramLabel = "TIME",
        description = "The task's period (default: ${DEFAULT-VALUE}).")
    String period;

    @Option(names = "--profile", defaultValue = "on", paramLabel = "on|off",
        description = "Apply the low-latency JVM profile to the child JVM (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--child-output", hidden = true)
    Path childOutput;

    @Option(names = "--exit-with-parent", hidden = true)
    boolean exitWithParent;

    @Override
    public Integer call() throws IOException
    {
        try
        {
            final long periodNs = Durations.parseNs("period", period);
            if (periodNs < 1_000)
            {
                throw new IllegalArgumentException("period=" + period + " must be at least 1us");
            }
            final boolean withProfile = UdpCommand.parseOnOff("profile", profile);
            return childOutput != null ? measure(periodNs) : orchestrate(periodNs, withProfile);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("oobnet latency timer: " + ex.getMessage());
            return 2;
        }
    }

    private IdleKind idle()
    {
        // the stage's own default is spin: a backing-off stage would measure its back-off, not its jitter
        return "auto".equalsIgnoreCase(options.idle) ? IdleKind.SPIN : IdleKind.parse(options.idle);
    }

    private RunDescription description(final long periodNs, final MeasurementPlan plan, final boolean profileOn)
    {
        final int cpu = options.cpu();
        return new RunDescription("timer-" + (periodNs / 1000) + "us" + (profileOn ? "" : "-noprofile"), "timer",
            "-", "-", 0, cpu, CpuSet.isIsolated(cpu), -1, TimeUnit.SECONDS.toNanos(1) / periodNs, profileOn, "-",
            plan.durationNs(), plan.count());
    }

    private int measure(final long periodNs) throws IOException
    {
        final MeasurementPlan plan = options.plan();
        final OobConfig.IdleStrategyKind stageIdle = switch (idle())
        {
            case SPIN -> OobConfig.IdleStrategyKind.SPIN;
            case YIELD -> OobConfig.IdleStrategyKind.YIELD;
            case PARK -> OobConfig.IdleStrategyKind.BACKOFF;
        };
        final OobConfig config = OobConfig.builder().stageCpu(options.cpu()).idleStrategy(stageIdle).build();
        final TimerRun run = new TimerRun(config, periodNs, plan,
            description(periodNs, plan, JvmProfile.isActive()));
        final Thread stopper = new Thread(run::requestStop, "oobnet-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        if (exitWithParent)
        {
            ParentWatch.onEndOfInput(System.in, run::requestStop);
        }
        try
        {
            final RunResult result = run.run(System.out, Path.of(childOutput + ".hlog"));
            RunJson.write(Path.of(childOutput + ".run.json"), RunJson.toJson(result));
            return 0;
        }
        finally
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(stopper);
            }
            catch (final IllegalStateException ignored)
            {
                // shutting down
            }
        }
    }

    private int orchestrate(final long periodNs, final boolean withProfile) throws IOException
    {
        final MeasurementPlan plan = options.plan();
        final ResultFolder folder = Outputs.folder(options.out, "timer");
        final String label = description(periodNs, plan, withProfile).label();
        final Path output = folder.dir().resolve(ResultFolder.fileName(label));
        final List<String> args = new ArrayList<>(List.of("latency", "timer", "--period", periodNs + "ns",
            "--cpu", Integer.toString(options.cpu()), "--idle", idle().name().toLowerCase(Locale.ROOT),
            "--warmup", plan.warmupNs() > 0 ? plan.warmupNs() + "ns" : Long.toString(plan.warmupCount()),
            "--child-output", output.toString(), "--exit-with-parent"));
        if (plan.durationNs() > 0)
        {
            args.add("--duration");
            args.add(plan.durationNs() + "ns");
        }
        else
        {
            args.add("--count");
            args.add(Long.toString(plan.count()));
        }
        final Path err = folder.dir().resolve(ResultFolder.fileName(label) + ".err");
        final java.util.BitSet busy = new java.util.BitSet();
        busy.set(Math.max(0, options.cpu()));
        // only the stage on the CPU: the JVM's other threads run on the other CPUs
        try (ChildJvm child = ChildJvm.start(
            ChildJvm.stageCommand(List.of(), options.cpu(), busy, withProfile, args), err,
            System.out::println))
        {
            final long timeoutMs = TimeUnit.NANOSECONDS.toMillis(plan.durationNs() + plan.warmupNs()) +
                plan.count() * TimeUnit.NANOSECONDS.toMillis(periodNs) * 2 + 60_000;
            final int exit = child.waitFor(timeoutMs);
            if (exit != 0)
            {
                System.out.println("oobnet latency timer: the run failed (exit " + exit + "): " + child.stderrTail());
                return 1;
            }
        }
        final RunResult result = ChildOutput.read(output);
        SockperfSummary.lines(result).forEach(System.out::println);
        System.out.println("oobnet: stage allocated " + result.stageAllocBytes() + " bytes and stalled " +
            result.stalls() + " times while recording");
        folder.writeRun(result);
        Outputs.finish(folder, "OOB stage timer lateness, " + (periodNs / 1000) + " us period", List.of(result),
            options.json, System.out);
        return 0;
    }
}
