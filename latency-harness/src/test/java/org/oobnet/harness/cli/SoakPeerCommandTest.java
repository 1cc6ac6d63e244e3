package org.oobnet.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oobnet soak-peer} refuses bad flags with a message naming the flag and its value, before it touches any
 * network.
 */
class SoakPeerCommandTest
{
    private final StringWriter err = new StringWriter();

    private int execute(final String... args)
    {
        final CommandLine cli = OobnetCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldRefuseRoleThatIsNeitherSendNorReceive()
    {
        assertEquals(2, execute("soak-peer", "--role", "relay"));
        assertTrue(err.toString().contains("--role=relay must be send or receive"), err.toString());
    }

    @Test
    void shouldRefuseRateBelowOne()
    {
        assertEquals(2, execute("soak-peer", "--role", "send", "--rate", "0"));
        assertTrue(err.toString().contains("--rate=0 must be at least 1"), err.toString());
    }
}
