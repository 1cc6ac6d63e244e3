package org.oobnet.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class NetCommandTest
{
    @TempDir
    Path countersDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(final String... args)
    {
        final CommandLine cli = OobnetCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void shouldShowLoopbackStateAndRingGeometryWhenQueried()
    {
        final int status = execute("net", "query", "-i", "lo", "--counters-dir", countersDir.toString());

        assertEquals(0, status, err.toString());
        final String[] lines = out.toString().split("\n");
        assertEquals("lo: ifindex=1 state=up mtu=65536 mac=00:00:00:00:00:00 oob=enabled", lines[0]);
        assertEquals("  rx ring: frames=256 frameSize=2048 blocks=128 blockSize=4096 bytes=524288 maxFrame=1982",
            lines[1]);
    }

    @Test
    void shouldSayInterfaceDisabledWhenConfigListsOthers()
    {
        final int status = execute("net", "query", "-i", "lo", "-D", "packet.interfaces=veth9",
            "--counters-dir", countersDir.toString());

        assertEquals(0, status);
        assertEquals("lo: ifindex=1 state=up mtu=65536 mac=00:00:00:00:00:00 oob=disabled", out.toString().strip());
    }

    @Test
    void shouldFailNamingInterfaceWhenItDoesNotExist()
    {
        final int status = execute("net", "query", "-i", "nosuch0", "--counters-dir", countersDir.toString());

        assertEquals(1, status);
        assertEquals("interface=nosuch0: no such interface in this network namespace", out.toString().strip());
    }

    @Test
    void shouldFailNamingKeyWhenConfigInvalid()
    {
        final int status = execute("net", "query", "-D", "packet.rx.frame-size=100",
            "--counters-dir", countersDir.toString());

        assertEquals(2, status);
        assertEquals("oobnet net query: invalid packet configuration: " +
            "packet.rx: frameSize=100 must be a multiple of TPACKET_ALIGNMENT 16", err.toString().strip());
    }
}
