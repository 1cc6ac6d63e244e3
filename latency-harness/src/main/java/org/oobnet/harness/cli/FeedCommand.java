package org.oobnet.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code oobnet feed}: market-data feeds on the OOB stage. {@code moldudp64} receives one, {@code publish} sends
 * one.
 * <p>
 * <b>Note:</b> in-band; a group without options of its own.
 */
@Command(
    name = "feed",
    description = "Market-data feeds: receive MoldUDP64 on the OOB stage (A/B lines, gap fill), or publish one.",
    subcommands = { FeedReceiveCommand.class, FeedPublishCommand.class, FeedBenchCommand.class, CommandLine.HelpCommand.class })
public final class FeedCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
