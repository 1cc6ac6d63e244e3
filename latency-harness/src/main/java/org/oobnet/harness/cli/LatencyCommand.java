package org.oobnet.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code oobnet latency}: latmus/sockperf-grade latency runs; see the subcommands.
 * <p>
 * <b>Note:</b> in-band command.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = "Latency runs: udp, packet, timer, compare, throughput, reflect, tick-to-trade (results, histograms and plots in ./results).",
    subcommands = {
        UdpCommand.class,
        PacketCommand.class,
        TimerCommand.class,
        CompareCommand.class,
        ThroughputCommand.class,
        ReflectCommand.class,
        TickToTradeCommand.class
    })
public final class LatencyCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
