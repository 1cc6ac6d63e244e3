package org.oobnet.harness.capture;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.harness.cli.OobnetCli;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketProtocol;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.packet.port.InterfaceInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_PACKET;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_RAW;
import static org.oobnet.inband.SocketConstants.htons;

/**
 * {@code oobnet capture} of raw OOB packet sockets ({@code AF_PACKET}/{@code SOCK_RAW | SOCK_OOB}): one runtime
 * serves a socket in each of two namespaces joined by veth; both interfaces are named {@code veth0}, so a capture
 * of {@code veth0} taps both sockets and sees every frame twice: sent by one socket's TX ring, received by the
 * other's RX ring.
 */
class RawPacketCaptureTest
{
    private static final int ETHER_TYPE = 0x88b5;
    private static final int LENGTH = 60;

    @Test
    void shouldCaptureWhatRawOobPacketSocketsSendAndReceive() throws Exception
    {
        Tshark.require();
        final int aToB = 30;
        final int bToA = 20;
        final Path countersDir = Files.createTempDirectory("oobnet-raw-capture-test");
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            final PacketProtocol protocol = new PacketProtocol(PacketConfig.fromProperties(Map.of(
                PacketConfig.RX_FRAMES_KEY, "256", PacketConfig.TX_FRAMES_KEY, "64")));
            final List<KSocket> sockets = new ArrayList<>();
            try (OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(countersDir)
                .build(), new ProtocolRegistry().register(AF_PACKET, protocol)))
            {
                final NetnsFixture.Host hostA = fixture.host(0);
                final NetnsFixture.Host hostB = fixture.host(1);
                final OobSocket a = OobSocket.of(open(fixture, hostA, sockets));
                final OobSocket b = OobSocket.of(open(fixture, hostB, sockets));
                final long macA = EthernetHeaderFlyweight.parseMac(hostA.mac());
                final long macB = EthernetHeaderFlyweight.parseMac(hostB.mac());

                final Path file = countersDir.resolve("raw.pcapng");
                final StringWriter out = new StringWriter();
                final StringWriter err = new StringWriter();
                final Thread cli = new Thread(() -> OobnetCli.commandLine()
                    .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                    .execute("capture", "-i", NetnsFixture.HOST_INTERFACE, "-w", file.toString(),
                        "--count", String.valueOf(2 * (aToB + bToA)), "--dir", countersDir.toString(),
                        "ether", "proto", "0x88b5"));
                cli.start();
                CaptureTest.await(() -> out.toString().contains("capturing") || !cli.isAlive(),
                    "the capture armed: " + err);

                send(a, macA, macB, aToB, b);
                send(b, macB, macA, bToA, a);
                cli.join(TimeUnit.SECONDS.toMillis(30));
                assertTrue(out.toString().contains("oobnet capture: " + 2 * (aToB + bToA) + " frames written to " +
                    file + " (" + (aToB + bToA) + " received, " + (aToB + bToA) + " sent); 0 dropped"),
                    out + " " + err);

                final List<String[]> frames = Tshark.fields(file, "eth.src", "eth.type",
                    "frame.packet_flags_direction", "frame.len");
                assertEquals(2 * (aToB + bToA), frames.size());
                final Map<String, Integer> counts = new java.util.TreeMap<>();
                for (final String[] frame : frames)
                {
                    assertEquals("0x88b5", frame[1], "EtherType");
                    assertEquals(String.valueOf(LENGTH), frame[3], "length");
                    counts.merge(frame[0] + " " + frame[2], 1, Integer::sum);
                }
                assertEquals(Map.of(
                    hostA.mac() + " 0x00000001", aToB, hostA.mac() + " 0x00000002", aToB,
                    hostB.mac() + " 0x00000001", bToA, hostB.mac() + " 0x00000002", bToA), counts);
            }
            finally
            {
                for (final KSocket socket : sockets)
                {
                    socket.close();
                }
            }
        }
    }

    private static KSocket open(final NetnsFixture fixture, final NetnsFixture.Host host, final List<KSocket> sockets)
        throws Exception
    {
        return fixture.call(host, () ->
        {
            final KSocket s = KSocket.socket(AF_PACKET, SOCK_RAW | SOCK_OOB, htons(ETHER_TYPE));
            sockets.add(s);
            final int ifIndex = InterfaceInfo.indexOf(ErrnoCapture.current(), host.interfaceName());
            try (Arena arena = Arena.ofConfined())
            {
                s.bind(SockAddr.encodeLinkLayer(ifIndex, ETHER_TYPE, null, arena));
            }
            return s;
        });
    }

    // count frames from one socket to the other, each received before the next is sent
    private static void send(final OobSocket from, final long source, final long destination, final int count,
        final OobSocket to)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[LENGTH]);
        for (int i = 0; i < count; i++)
        {
            frame.setMemory(0, LENGTH, (byte)0);
            putMac(frame, 0, destination);
            putMac(frame, 6, source);
            frame.putShort(12, (short)ETHER_TYPE, ByteOrder.BIG_ENDIAN);
            frame.putInt(14, i, ByteOrder.BIG_ENDIAN);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (from.offer(frame, 0, LENGTH) < 0)
            {
                assertTrue(System.nanoTime() - deadline < 0, "send ring stayed full");
                LockSupport.parkNanos(50_000);
            }
            final int[] got = new int[1];
            assertEquals(1, to.receive((s, buffer, offset, length) -> got[0] = buffer.getInt(offset + 14,
                ByteOrder.BIG_ENDIAN), 1, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)), "received " + i);
            assertEquals(i, got[0], "sequence");
        }
    }

    private static void putMac(final UnsafeBuffer frame, final int offset, final long mac)
    {
        for (int i = 0; i < 6; i++)
        {
            frame.putByte(offset + i, (byte)(mac >>> (40 - 8 * i)));
        }
    }
}
