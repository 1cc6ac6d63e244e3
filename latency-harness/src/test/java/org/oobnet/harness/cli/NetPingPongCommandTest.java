package org.oobnet.harness.cli;

import org.junit.jupiter.api.Test;
import org.oobnet.netns.testing.Privileges;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A short real run of {@code oobnet net pingpong}: both paths measure, and nothing (process, namespace) is left.
 * Spins two pinned threads for about a second: a latency measurement, the one case where tests may spin.
 */
class NetPingPongCommandTest
{
    private static final Pattern RESULT = Pattern.compile(
        "RESULT path=(\\w+) count=(\\d+) min=(\\d+) p50=(\\d+) .* lost=(\\d+) .*");

    @Test
    void shouldMeasureOobAndKernelRoundTripsAndLeaveNothingBehind() throws Exception
    {
        Privileges.requireNetworkPrivileges("the ping-pong benchmark");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = OobnetCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        final int status = cli.execute("net", "pingpong", "--warmup", "200", "--samples", "1000");

        assertEquals(0, status, err.toString());
        final List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        final String[] paths = { "oob", "udp" };
        for (int i = 0; i < 2; i++)
        {
            final Matcher m = RESULT.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals(paths[i], m.group(1));
            assertEquals(1000, Long.parseLong(m.group(2)), "recorded round trips (a lost one is retried)");
            assertTrue(Long.parseLong(m.group(4)) > 0);
        }
        final long pid = ProcessHandle.current().pid();
        final Process list = new ProcessBuilder("ip", "netns", "list").start();
        final String namespaces = new String(list.getInputStream().readAllBytes());
        list.waitFor();
        assertFalse(namespaces.contains("oobb-" + pid + "-"), namespaces);
        assertTrue(ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive), "no child left running");
    }
}
