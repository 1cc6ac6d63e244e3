package org.oobnet.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code oobnet} command line: one subcommand per job, each with a one-line description.
 * <p>
 * <b>Note:</b> started by the {@code ./oobnet} launcher, which has already found a JDK 25+ and built the project.
 */
@Command(
    name = "oobnet",
    mixinStandardHelpOptions = true,
    usageHelpWidth = 130,
    version = "oobnet 0.1.0",
    description = "A real-time dual-stage networking runtime for the JVM (Dovetail/EVL model).",
    subcommands = {
        TestCommand.class,
        DoctorCommand.class,
        ConfigCommand.class,
        StatCommand.class,
        CaptureCommand.class,
        NetCommand.class,
        DemoCommand.class,
        LatencyCommand.class,
        McastCommand.class,
        FeedCommand.class,
        SoakCommand.class,
        SoakPeerCommand.class,
        CommandLine.HelpCommand.class
    })
public final class OobnetCli implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * Entry point used by the launcher.
     *
     * @param args command line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line, also used by tests.
     *
     * @return a new command line for {@code oobnet}.
     */
    public static CommandLine commandLine()
    {
        return CliErrors.install(new CommandLine(new OobnetCli()));
    }
}
