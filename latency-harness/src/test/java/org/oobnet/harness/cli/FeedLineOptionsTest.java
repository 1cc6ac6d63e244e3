package org.oobnet.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --line-a}, {@code --line-b} and {@code --request} are one mixin shared by {@code oobnet feed moldudp64}
 * and {@code oobnet feed publish}: both parse them to the same checked addresses and reject a bad one with the
 * same one-line error naming the option. (FeedCommandTest runs both ends and checks their JSON books.)
 */
class FeedLineOptionsTest
{
    @Test
    void shouldParseTheLinesAndTheRequestServerTheSameWayInBothCommands()
    {
        for (final String command : List.of("moldudp64", "publish"))
        {
            final FeedLineOptions lines = parse("feed", command, "--line-a", "239.251.30.1:21031", "--line-b",
                "239.251.30.2:21032", "--request", "10.251.30.1:21033");
            assertEquals(new InetSocketAddress("239.251.30.1", 21031), lines.lineA(), command);
            assertEquals(new InetSocketAddress("239.251.30.2", 21032), lines.lineB(), command);
            assertEquals(new InetSocketAddress("10.251.30.1", 21033), lines.request(), command);
            assertEquals("239.251.30.1:21031 and 239.251.30.2:21032", lines.describeLines(), command);

            final FeedLineOptions single = parse("feed", command, "--line-a", "239.251.30.1:21031", "--request",
                "10.251.30.1:21033");
            assertNull(single.lineB(), command);
            assertEquals("239.251.30.1:21031", single.describeLines(), command);
        }
    }

    @Test
    void shouldNameTheOptionInOneLineWhenAnAddressIsBadInEitherCommand()
    {
        for (final String command : List.of("moldudp64", "publish"))
        {
            for (final List<String> bad : List.of(
                List.of("--line-a", "239.251.30.1", "--request", "10.251.30.1:21033"),
                List.of("--line-a", "239.251.30.1:21031", "--line-b", "239.251.30.2:0", "--request", "10.251.30.1:21033"),
                List.of("--line-a", "239.251.30.1:21031", "--request", "[::1]:21033")))
            {
                final StringWriter err = new StringWriter();
                final CommandLine cli = OobnetCli.commandLine();
                cli.setErr(new PrintWriter(err));
                final String[] args = Stream.concat(Stream.of("feed", command),
                    bad.stream()).toArray(String[]::new);
                assertEquals(2, cli.execute(args), command + " " + bad);
                final String text = err.toString().strip();
                final String option = bad.get(0).equals("--line-a") && !bad.get(1).contains(":") ? "--line-a" :
                    bad.contains("--line-b") ? "--line-b" : "--request";
                assertTrue(text.startsWith("oobnet feed " + command + ": " + option + "="), command + ": " + text);
                assertEquals(1, text.lines().count(), text);
            }
        }
    }

    @Test
    void shouldRefuseLineBAsLineAAgainInBothCommandsAndUnicastLinesOnOnePortWhenReceiving()
    {
        for (final String command : List.of("moldudp64", "publish"))
        {
            assertOneLineError(List.of("feed", command, "--line-a", "239.251.30.1:21031", "--line-b",
                "239.251.30.1:21031", "--request", "10.251.30.1:21033"),
                "oobnet feed " + command + ": --line-b=239.251.30.1:21031 is line A again: A and B need different " +
                    "groups or ports");
        }
        assertOneLineError(List.of("feed", "moldudp64", "--line-a", "10.251.30.2:21031", "--line-b",
            "10.251.30.3:21031", "--request", "10.251.30.1:21033"),
            "oobnet feed moldudp64: --line-b=10.251.30.3:21031 shares line A's port: only two multicast groups may " +
                "share a port, give a unicast line its own");
        // two groups on one port parse (SamePortLinesTest receives them)
        final FeedLineOptions shared = parse("feed", "moldudp64", "--line-a", "239.251.30.1:21031", "--line-b",
            "239.251.30.2:21031", "--request", "10.251.30.1:21033");
        shared.checkReceivable();
        assertEquals(new InetSocketAddress("239.251.30.2", 21031), shared.lineB());
    }

    @Test
    void shouldRefuseFaultFlagsAndBatchOnTheOobPathInOneLine()
    {
        for (final List<String> flag : List.of(List.of("--drop-a", "0.1"), List.of("--swap", "0.01"),
            List.of("--batch", "8")))
        {
            final List<String> args = new java.util.ArrayList<>(List.of("feed", "publish", "--path", "oob",
                "--line-a", "239.251.30.1:21031", "--request", "10.251.30.1:21033"));
            args.addAll(flag);
            assertOneLineError(args, "oobnet feed publish: " + flag.get(0) + " is for --path kernel: --path oob " +
                "publishes through the stage's feed socket, which injects no faults and packs its own packets");
        }
        assertOneLineError(List.of("feed", "publish", "--path", "udp", "--line-a", "239.251.30.1:21031", "--request",
            "10.251.30.1:21033"), "oobnet feed publish: --path=udp is not one of kernel, oob");
    }

    private static void assertOneLineError(final List<String> args, final String expected)
    {
        final StringWriter err = new StringWriter();
        final CommandLine cli = OobnetCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(args.toArray(String[]::new)), args.toString());
        assertEquals(expected, err.toString().strip());
    }

    // parsed from the root, as the launcher does; the subcommand's mixin holds the values
    private static FeedLineOptions parse(final String... args)
    {
        final CommandLine root = OobnetCli.commandLine();
        root.parseArgs(args);
        final CommandLine command = root.getSubcommands().get(args[0]).getSubcommands().get(args[1]);
        return (FeedLineOptions)command.getCommandSpec().mixins().values().iterator().next().userObject();
    }
}
