package org.oobnet.harness.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.SockaddrLlDescriptor;
import org.oobnet.netns.testing.Privileges;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketProtocol;
import org.oobnet.packet.PacketSocketState;
import org.oobnet.packet.stats.PacketCounter;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

    @Test
    void shouldShowPacketSocketCountersOfRunningRuntimeFromItsCountersFile() throws Exception
    {
        Privileges.requireNetworkPrivileges("an AF_PACKET socket on lo");
        final ProtocolRegistry registry = new ProtocolRegistry()
            .register(SocketConstants.AF_PACKET, new PacketProtocol(PacketConfig.fromProperties(java.util.Map.of())));
        final int etherType = 0x88b6;
        try (OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(countersDir)
                .build(), registry);
             KSocket socket = KSocket.socket(SocketConstants.AF_PACKET, SocketConstants.SOCK_RAW | SocketConstants.SOCK_OOB,
                 SocketConstants.htons(etherType));
             Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(SockaddrLlDescriptor.LENGTH, 8);
            address.set(ValueLayout.JAVA_SHORT, 0, (short)SocketConstants.AF_PACKET);
            address.set(ValueLayout.JAVA_SHORT, 2, (short)SocketConstants.htons(etherType));
            address.set(ValueLayout.JAVA_INT, SockaddrLlDescriptor.IFINDEX_OFFSET, 1);
            socket.bind(address);
            final OobSocket context = OobSocket.of(socket);
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[60]);
            frame.putShort(12, (short)etherType, java.nio.ByteOrder.BIG_ENDIAN);
            assertEquals(0, context.offer(frame, 0, 60));
            final PacketSocketState state = PacketSocketState.of(context);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (state.counters().get(PacketCounter.FRAMES_OUT) != 1)
            {
                assertTrue(System.nanoTime() - deadline < 0, "frame never sent: " + state.counters());
                Thread.sleep(1);
            }

            final int status = execute("net", "query", "-i", "lo", "--counters-dir", countersDir.toString());

            assertEquals(0, status, err.toString());
            final String text = out.toString();
            final String suffix = ": packet fd=" + socket.fd() + " id=" + context.id();
            assertTrue(text.contains("runtime packet sockets (counters file):\n"), text);
            assertTrue(text.matches("(?s).*\\n  frames out" + java.util.regex.Pattern.quote(suffix) + " +1\\n.*"),
                text);
            assertTrue(text.matches("(?s).*\\n  tx kicks" + java.util.regex.Pattern.quote(suffix) + " +1\\n.*"),
                text);
            assertTrue(text.contains("\n  kernel drops" + suffix + " "), text);
        }
    }
}
