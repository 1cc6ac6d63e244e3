package org.oobnet.harness.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every subcommand, given bad arguments, says in one line on stderr what was wrong, exits with 2 and prints no stack
 * trace: an unknown option for each (walked from the command tree, so a new subcommand is covered by itself), then
 * a bad value for the options users get wrong. In-process, with the JVM's own stdout and stderr captured too (some
 * commands write there directly).
 */
class UserErrorsTest
{
    // a bad value for each subcommand, and the start of the line it must print
    private static final Map<List<String>, String> BAD_VALUES = Map.ofEntries(
        Map.entry(List.of("config", "--print", "--config", "/nonexistent/oobnet.toml"),
            "oobnet: invalid oobnet configuration (1 problem):"),
        Map.entry(List.of("doctor", "--config", "/nonexistent/oobnet.toml"),
            "oobnet doctor: --config /nonexistent/oobnet.toml: no such file"),
        Map.entry(List.of("stat", "--serve", "127.0.0.1:99999"), "oobnet stat: --serve=127.0.0.1:99999: port=99999"),
        Map.entry(List.of("net", "query", "-D", "nokey"), "oobnet net query: "),
        Map.entry(List.of("capture", "-i", "eth9", "-w", "x.pcapng", "--count", "many"),
            "oobnet capture: Invalid value for option '--count': 'many' is not a long"),
        Map.entry(List.of("capture", "-i", "eth9", "-w", "x.pcapng", "--dir", "/nonexistent/oobnet-counters"),
            "oobnet capture: no running runtime with OOB packet sockets or ports: no " +
            "/nonexistent/oobnet-counters/capture.dat (start the application first, or name its counters directory " +
            "with --dir)"),
        // retired: one line naming its replacement, whatever the old options
        Map.entry(List.of("net", "pingpong", "--warmup", "20000", "--samples", "100000"),
            "oobnet net pingpong: retired; use `oobnet latency packet`"),
        Map.entry(List.of("demo", "--duration", "soon"), "oobnet demo: "),
        Map.entry(List.of("mcast", "dump", "--join", "10.251.0.1:7000"),
            "oobnet mcast dump: --join=10.251.0.1:7000: not a multicast group (224.0.0.0/4)"),
        Map.entry(List.of("mcast", "send", "--group", "239.251.0.1:7000", "--rate", "fast"),
            "oobnet mcast send: Invalid value for option '--rate'"),
        Map.entry(List.of("latency", "udp", "--duration", "soon"), "oobnet latency udp: "),
        Map.entry(List.of("latency", "udp", "--transport", "carrier-pigeon"), "oobnet latency udp: "),
        Map.entry(List.of("latency", "udp", "--peer", "nowhere", "--transport", "packet"), "oobnet latency udp: "),
        Map.entry(List.of("latency", "packet", "--path", "sideways"), "oobnet latency packet: "),
        Map.entry(List.of("latency", "timer", "--period", "often"), "oobnet latency timer: "),
        Map.entry(List.of("latency", "compare", "--rounds", "-1"), "oobnet latency compare: "),
        Map.entry(List.of("latency", "reflect", "--bind", "here"), "oobnet latency reflect: "),
        Map.entry(List.of("latency", "throughput", "--duration", "soon"), "oobnet latency throughput: "),
        Map.entry(List.of("latency", "tick-to-trade", "--rows", "stage,sideways"),
            "oobnet latency tick-to-trade: rows=sideways is not one of stage, spin, blocking"),
        // shared latency options that tick-to-trade cannot honour are refused, never ignored
        Map.entry(List.of("latency", "tick-to-trade", "--count", "10", "--size", "128"),
            "oobnet latency tick-to-trade: --size does not apply to tick-to-trade: "),
        Map.entry(List.of("latency", "tick-to-trade", "--loopback"),
            "oobnet latency tick-to-trade: --loopback does not apply to tick-to-trade: "),
        Map.entry(List.of("feed", "moldudp64", "--line-a", "239.251.30.1", "--request", "10.251.30.1:21003"),
            "oobnet feed moldudp64: --line-a=239.251.30.1 is not ADDR:PORT"),
        Map.entry(List.of("feed", "publish", "--line-a", "239.251.30.1:21001", "--request", "0.0.0.0:21003",
            "--drop-a", "2"), "oobnet feed publish: drop=2.0 must be 0 to 1"),
        Map.entry(List.of("feed", "bench", "--size", "8"), "oobnet feed bench: --size=8 must be 16 to 688"),
        Map.entry(List.of("soak", "--duration", "forever"), "oobnet soak: "),
        Map.entry(List.of("soak", "--faults", "meteor"), "oobnet soak: "),
        Map.entry(List.of("soak", "--stages", "3"), "oobnet soak: "),
        Map.entry(List.of("soak-peer", "--role", "bystander"), "oobnet soak-peer: "),
        Map.entry(List.of("help", "nosuchcommand"), "oobnet: Unknown subcommand 'nosuchcommand'."),
        Map.entry(List.of("nosuchcommand"), "oobnet: "),
        Map.entry(List.of("test"), "oobnet: run the suite through the launcher"));

    @Test
    void shouldRejectAnUnknownOptionOfEverySubcommandInOneLine()
    {
        final List<List<String>> paths = new ArrayList<>();
        collect(OobnetCli.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 14, "subcommands found: " + paths);
        final List<String> failures = new ArrayList<>();
        for (final List<String> path : paths)
        {
            if (!path.isEmpty() && "help".equals(path.get(path.size() - 1)))
            {
                continue; // `help ARG` takes a subcommand name: its bad value is below
            }
            final List<String> args = new ArrayList<>(path);
            args.add("--no-such-option");
            final String name = String.join(" ", List.of("oobnet", String.join(" ", path))).strip();
            // picocli reports a missing required option first, when there is one; either is one line
            check(args, name + ": ", failures);
        }
        assertEquals("", String.join("\n\n", failures));
    }

    @Test
    void shouldRejectBadValuesInOneLine()
    {
        final List<String> failures = new ArrayList<>();
        for (final Map.Entry<List<String>, String> bad : BAD_VALUES.entrySet())
        {
            check(bad.getKey(), bad.getValue(), failures);
        }
        assertEquals("", String.join("\n\n", failures));
    }

    @Test
    void shouldCoverEverySubcommandWithABadValue()
    {
        final List<List<String>> paths = new ArrayList<>();
        collect(OobnetCli.commandLine(), new ArrayList<>(), paths);
        for (final List<String> path : paths)
        {
            if (path.isEmpty() || "latency".equals(path.get(0)) && path.size() == 1 || "net".equals(path.get(0)) &&
                path.size() == 1 || ("mcast".equals(path.get(0)) || "feed".equals(path.get(0))) && path.size() == 1 ||
                "help".equals(path.get(path.size() - 1)) && path.size() > 1)
            {
                continue; // the root and the groups take no values of their own
            }
            assertTrue(BAD_VALUES.keySet().stream().anyMatch(args -> args.size() >= path.size() &&
                args.subList(0, path.size()).equals(path)), "no bad-value case for: " + path);
        }
    }

    private static void collect(final CommandLine command, final List<String> path, final List<List<String>> paths)
    {
        paths.add(List.copyOf(path));
        for (final Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet())
        {
            if (sub.getValue().getCommandSpec().name().equals(sub.getKey()))
            {
                final List<String> next = new ArrayList<>(path);
                next.add(sub.getKey());
                collect(sub.getValue(), next, paths);
            }
        }
    }

    // runs the command line; exit 2, stderr one line starting with `expected`, stdout nothing of a trace. A
    // configuration's problems are the exception: listed one per line under a line that counts them ("...):"),
    // all at once, as the configuration reports every problem together
    private static void check(final List<String> args, final String expected, final List<String> failures)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
        final ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final int exit;
        try
        {
            System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
            final CommandLine cli = OobnetCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            exit = cli.execute(args.toArray(String[]::new));
        }
        finally
        {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        final String stderr = err + systemErr.toString(StandardCharsets.UTF_8);
        final String stdout = out + systemOut.toString(StandardCharsets.UTF_8);
        final String what = String.join(" ", args) + "\nstderr: " + stderr + "\nstdout: " + stdout;
        if (2 != exit)
        {
            failures.add("exit " + exit + ": " + what);
        }
        else if (!stderr.endsWith("\n") || stderr.indexOf('\n') != stderr.length() - 1 && !expected.endsWith("):"))
        {
            failures.add("not one line: " + what);
        }
        else if (!stderr.startsWith(expected))
        {
            failures.add("does not start with " + expected + ": " + what);
        }
        else if (stderr.contains("\tat ") || stdout.contains("\tat ") || stderr.contains("Exception"))
        {
            failures.add("a trace: " + what);
        }
    }
}
