package org.oobnet.harness.capture;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.harness.cli.OobnetCli;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.testing.SteadyStateAllocation;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.capture.CaptureFileDescriptor;
import org.oobnet.packet.capture.CaptureSession;
import org.oobnet.packet.capture.CaptureTaps;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.udp.frame.Ipv4Flyweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oobnet capture} and {@link CaptureSession} on real traffic: host A runs a runtime with oob-udp's packet
 * port on its veth and an OOB UDP socket, host B a kernel UDP socket; what the port's RX ring delivers and its TX
 * ring sends (qdisc bypassed: invisible to tcpdump) is read back with Debian's tshark.
 */
class CaptureTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void shouldWriteBothDirectionsOfAnOobUdpPortToAPcapngThatTsharkReads() throws Exception
    {
        Tshark.require();
        final int exchanges = 25;
        try (Hosts hosts = new Hosts(0); ExecutorService cliThread = Executors.newSingleThreadExecutor())
        {
            final Path file = hosts.countersDir.resolve("both.pcapng");
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final long beforeNs = epochNs();
            final Future<Integer> cli = cliThread.submit(() -> OobnetCli.commandLine()
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("capture", "-i", NetnsFixture.HOST_INTERFACE, "-w", file.toString(),
                    "--count", String.valueOf(2 * exchanges), "--dir", hosts.countersDir.toString(),
                    "udp", "port", String.valueOf(A_PORT)));
            await(() -> out.toString().contains("capturing") || cli.isDone(), "the capture armed: " + err);

            for (int i = 0; i < exchanges; i++)
            {
                hosts.exchange();
            }
            assertEquals(0, cli.get(30, TimeUnit.SECONDS), "exit status; stderr: " + err);
            final long afterNs = epochNs();
            assertTrue(out.toString().contains("oobnet capture: " + 2 * exchanges + " frames written to " + file +
                " (" + exchanges + " received, " + exchanges + " sent); 0 dropped"), out.toString());

            final List<String[]> frames = Tshark.fields(file, "frame.time_epoch", "frame.packet_flags_direction",
                "ip.src", "ip.dst", "udp.srcport", "udp.dstport", "frame.interface_name", "udp.length");
            assertEquals(2 * exchanges, frames.size(), "frames in the file");
            int in = 0;
            int outbound = 0;
            for (final String[] frame : frames)
            {
                final long ns = epochNsOf(frame[0]);
                assertTrue(ns >= beforeNs - 1_000_000 && ns <= afterNs + 1_000_000,
                    "timestamp " + frame[0] + " within the run");
                assertEquals(NetnsFixture.HOST_INTERFACE, frame[6], "if_name");
                assertEquals("24", frame[7], "UDP length: 8 + 16 bytes of payload");
                if (frame[2].equals(hosts.b.address()))
                {
                    assertEquals(List.of(inbound(), hosts.b.address(), hosts.a.address(), String.valueOf(B_PORT),
                        String.valueOf(A_PORT)), List.of(frame[1], frame[2], frame[3], frame[4], frame[5]));
                    in++;
                }
                else
                {
                    assertEquals(List.of(outbound(), hosts.a.address(), hosts.b.address(), String.valueOf(A_PORT),
                        String.valueOf(B_PORT)), List.of(frame[1], frame[2], frame[3], frame[4], frame[5]));
                    outbound++;
                }
            }
            assertEquals(exchanges, in, "received");
            assertEquals(exchanges, outbound, "sent through the TX ring");

            // the filter's effect, as tshark sees it: only what B sent to A's port
            final Path inbound = hosts.countersDir.resolve("inbound.pcapng");
            final StringWriter out2 = new StringWriter();
            final Future<Integer> filtered = cliThread.submit(() -> OobnetCli.commandLine()
                .setOut(new PrintWriter(out2, true)).setErr(new PrintWriter(err, true))
                .execute("capture", "-i", NetnsFixture.HOST_INTERFACE, "-w", inbound.toString(), "--count", "5",
                    "--dir", hosts.countersDir.toString(), "udp", "dst", "port", String.valueOf(A_PORT)));
            await(() -> out2.toString().contains("capturing") || filtered.isDone(), "the second capture armed: " + err);
            for (int i = 0; i < 5; i++)
            {
                hosts.exchange();
            }
            assertEquals(0, filtered.get(30, TimeUnit.SECONDS), "exit status; stderr: " + err);
            final List<String[]> kept = Tshark.fields(inbound, "frame.packet_flags_direction", "udp.dstport");
            assertEquals(5, kept.size(), "frames kept by the filter");
            for (final String[] frame : kept)
            {
                assertEquals(List.of(inbound(), String.valueOf(A_PORT)), List.of(frame[0], frame[1]));
            }
        }
    }

    @Test
    void shouldFilterCountDropsStopAndRestartWithoutAllocatingOnTheStage() throws Exception
    {
        try (Hosts hosts = new Hosts(65536))
        {
            // a filter that keeps only what B sends to A's port: A's replies are filtered out on the stage
            final CaptureSession session = CaptureSession.start(hosts.countersDir, NetnsFixture.HOST_INTERFACE,
                "udp dst port " + A_PORT, 65535);
            final int burst = 200;
            for (int i = 0; i < burst; i++)
            {
                hosts.peerSend(i, 1000);
                hosts.receiveOne();
                hosts.reply(i);
                LockSupport.parkNanos(20_000);
            }
            final long[] frames = new long[1];
            drain(session, frames);
            assertTrue(session.dropped() > 0, "a 64 KiB ring holds fewer than " + burst + " frames of 1 KB");
            assertEquals(burst, frames[0] + session.dropped(), "every frame the port delivered: captured or counted");
            assertEquals(0, session.sent(), "the replies do not pass the filter");

            session.close();
            for (int i = 0; i < 10; i++)
            {
                hosts.exchange();
            }
            assertEquals(0, session.poll((t, o, w, b, off, len) -> frames[0]++, 1024), "nothing after close");

            // a filter again: the allocation rounds below run it on the stage
            try (CaptureSession again = CaptureSession.start(hosts.countersDir, NetnsFixture.HOST_INTERFACE, "udp", 128))
            {
                final long[] longest = new long[1];
                for (int i = 0; i < 10; i++)
                {
                    hosts.exchange();
                }
                final List<String> seen = new java.util.ArrayList<>();
                await(() -> describe(again, seen) && again.received() >= 10 && again.sent() >= 10,
                    "10 received and 10 sent, captured");
                assertEquals(List.of(10L, 10L, 0L), List.of(again.received(), again.sent(), again.dropped()),
                    "received, sent, dropped: " + seen);
                assertEquals(0, again.dropped());
                assertTrue(longest[0] <= 128, "snap length");

                final long stage = hosts.runtime.stageThread().threadId();
                final long allocated = SteadyStateAllocation.ofThread(stage, () ->
                {
                    try
                    {
                        for (int i = 0; i < 20; i++)
                        {
                            hosts.exchange();
                        }
                        poll(again, longest);
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                assertEquals(0, allocated, "bytes the stage allocated in a round of traffic with capture on");
            }
        }
    }

    @Test
    void shouldWriteEverythingCapturedWhenAnotherProcessCaptureIsStopped() throws Exception
    {
        Tshark.require();
        final int exchanges = 10;
        try (Hosts hosts = new Hosts(0))
        {
            final Path file = hosts.countersDir.resolve("stopped.pcapng");
            // the real use: the command in its own JVM, reading the runtime's capture file, stopped by a signal that
            // runs its shutdown hook (Process.destroy would close its output before the summary line). SIGTERM, not
            // Ctrl-C's SIGINT: a JVM whose parent ignores SIGINT (any background job of a non-interactive shell,
            // SigIgn 0x6) installs no INT handler, and this test then timed out in a fresh-clone run started with &
            final Process cli = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", OobnetCli.class.getName(),
                "capture", "-i", NetnsFixture.HOST_INTERFACE, "-w", file.toString(), "--dir",
                hosts.countersDir.toString())
                .redirectErrorStream(true).start();
            try
            {
                final java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(cli.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                final String armed = lines.readLine();
                assertTrue(null != armed && armed.startsWith("oobnet capture: capturing veth0 to " + file),
                    "first line: " + armed);
                for (int i = 0; i < exchanges; i++)
                {
                    hosts.exchange();
                }
                assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(cli.pid())).start().waitFor());
                assertTrue(cli.waitFor(30, TimeUnit.SECONDS), "the command ended");
                assertEquals("oobnet capture: " + 2 * exchanges + " frames written to " + file + " (" + exchanges +
                    " received, " + exchanges + " sent); 0 dropped (the capture ring was full)", lines.readLine());
            }
            finally
            {
                cli.destroyForcibly();
            }
            assertEquals(2 * exchanges, Tshark.fields(file, "frame.number").size(), "frames in the file");
        }
    }

    @Test
    void shouldStopCopyingForAConsumerThatWentSilent() throws Exception
    {
        try (Hosts hosts = new Hosts(0))
        {
            final CaptureSession session = CaptureSession.start(hosts.countersDir, NetnsFixture.HOST_INTERFACE,
                "udp", 65535);
            hosts.exchange();
            // as a consumer killed with SIGKILL: no poll, no close
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(CaptureFileDescriptor.HEARTBEAT_TIMEOUT_NS) + 500);
            for (int i = 0; i < 5; i++)
            {
                hosts.exchange();
            }
            final long[] frames = new long[1];
            drain(session, frames);
            assertEquals(List.of(2L, 0L), List.of(frames[0], session.dropped()),
                "the first exchange's two frames, then nothing copied and nothing dropped");
            session.close();
        }
    }

    @Test
    void shouldSayInOneLineWhatIsWrongWithACapture() throws Exception
    {
        try (Hosts hosts = new Hosts(0))
        {
            final String dir = hosts.countersDir.toString();
            final String file = hosts.countersDir.resolve("x.pcapng").toString();
            assertEquals("oobnet capture: interface=eth9 is not served by an OOB port of the runtime (pid " +
                ProcessHandle.current().pid() + "); served: " + NetnsFixture.HOST_INTERFACE,
                cliError("capture", "-i", "eth9", "-w", file, "--dir", dir));
            assertEquals("oobnet capture: filter 'udp prot 5000': syntax error at position 4 ('prot')",
                cliError("capture", "-i", NetnsFixture.HOST_INTERFACE, "-w", file, "--dir", dir, "udp", "prot", "5000"));
            assertEquals("oobnet capture: filter 'host nosuchhost.invalid': unknown host 'nosuchhost.invalid' at " +
                "position 5", cliError("capture", "-i", NetnsFixture.HOST_INTERFACE, "-w", file, "--dir", dir,
                "host", "nosuchhost.invalid"));
            assertEquals("oobnet capture: cannot write /nonexistent/x.pcapng: NoSuchFileException /nonexistent/x.pcapng",
                cliError("capture", "-i", NetnsFixture.HOST_INTERFACE, "-w", "/nonexistent/x.pcapng", "--dir", dir));
            // the refused captures left the session slot free
            try (CaptureSession ignored = CaptureSession.start(hosts.countersDir, NetnsFixture.HOST_INTERFACE, "", 64))
            {
                assertEquals("oobnet capture: a capture of this process is running on the runtime (pid " +
                    ProcessHandle.current().pid() + "); one at a time",
                    cliError("capture", "-i", NetnsFixture.HOST_INTERFACE, "-w", file, "--dir", dir));
            }
        }
    }

    private static String cliError(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = OobnetCli.commandLine().setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true)).execute(args);
        assertEquals(2, status, "exit status; stderr: " + err);
        return err.toString().strip();
    }

    // each frame as "in|out udp-destination-port first-payload-long", for the failure message
    private static boolean describe(final CaptureSession session, final List<String> seen)
    {
        try
        {
            session.poll((t, outbound, w, frame, offset, length) -> seen.add((outbound ? "out " : "in ") +
                (frame.getShort(offset + 36, java.nio.ByteOrder.BIG_ENDIAN) & 0xffff) + " " + (length >= 50 ?
                frame.getLong(offset + 42) : -1)), 1024);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
        return true;
    }

    private static boolean poll(final CaptureSession session, final long[] longest)
    {
        try
        {
            session.poll((t, o, w, b, off, len) -> longest[0] = Math.max(longest[0], len), 1024);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
        return true;
    }

    private static void drain(final CaptureSession session, final long[] frames) throws Exception
    {
        int read;
        do
        {
            read = session.poll((t, o, w, b, off, len) -> frames[0]++, 1024);
        }
        while (read > 0);
    }

    // epb_flags direction as tshark prints frame.packet_flags_direction
    private static String inbound()
    {
        return "0x00000001";
    }

    private static String outbound()
    {
        return "0x00000002";
    }

    private static long epochNs()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static long epochNsOf(final String seconds)
    {
        return new java.math.BigDecimal(seconds).movePointRight(9).longValue();
    }

    static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(1);
        }
    }

    /** A with the runtime and an OOB UDP socket on A_PORT, B with a kernel UDP socket on B_PORT. */
    private static final class Hosts implements AutoCloseable
    {
        final NetnsFixture fixture;
        final NetnsFixture.Host a;
        final NetnsFixture.Host b;
        final Path countersDir;
        final UdpStack stack;
        final OobRuntime runtime;
        final KSocket ksocket;
        final OobSocket socket;
        final DatagramChannel peer;
        final int bAddress;
        private final UnsafeBuffer payload = new UnsafeBuffer(new byte[2048]);
        private final ByteBuffer peerBuffer = ByteBuffer.allocateDirect(2048);
        private int nextExchange = 1_000_000;

        Hosts(final int ringCapacity) throws Exception
        {
            fixture = NetnsFixture.create(2);
            a = fixture.host(0);
            b = fixture.host(1);
            countersDir = Files.createTempDirectory("oobnet-capture-test");
            if (ringCapacity > 0)
            {
                System.setProperty(CaptureTaps.RING_CAPACITY_PROPERTY, String.valueOf(ringCapacity));
            }
            try
            {
                stack = fixture.call(a, () -> UdpStack.open(UdpStackConfig.of(UdpTransport.PACKET, a.interfaceName())));
                runtime = OobRuntime.start(OobConfig.builder()
                    .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                    .countersDir(countersDir)
                    .build(), new ProtocolRegistry().register(SocketConstants.AF_INET, stack.protocol()));
                ksocket = fixture.call(a, () ->
                {
                    final KSocket s = UdpSockets.open(UdpTransport.PACKET);
                    s.bind(new InetSocketAddress(a.address(), A_PORT));
                    return s;
                });
            }
            finally
            {
                System.clearProperty(CaptureTaps.RING_CAPACITY_PROPERTY);
            }
            socket = OobSocket.of(ksocket);
            bAddress = Ipv4Flyweight.parseAddress(b.address());
            peer = fixture.call(b, () -> DatagramChannel.open().bind(new InetSocketAddress(b.address(), B_PORT)));
            // the neighbour is known before the first reply, so that every reply takes the TX ring
            fixture.run(a, () -> UdpSockets.solicit(socket, bAddress, true));
            await(() -> UdpSockets.state(socket).fastSends() >= 0 && solicited(), "B's neighbour entry");
        }

        private boolean solicited()
        {
            // one throwaway datagram that must take the fast path
            final long before = UdpSockets.state(socket).fastSends();
            reply(-1);
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() - deadline < 0)
                {
                    peerBuffer.clear();
                    peer.configureBlocking(false);
                    if (null != peer.receive(peerBuffer))
                    {
                        return UdpSockets.state(socket).fastSends() > before;
                    }
                    Thread.sleep(1);
                }
                return false;
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        void peerSend(final int sequence, final int length) throws Exception
        {
            peerBuffer.clear();
            peerBuffer.putLong(0, sequence);
            peerBuffer.limit(length);
            peer.send(peerBuffer, new InetSocketAddress(a.address(), A_PORT));
        }

        void receiveOne()
        {
            final int n = socket.receive((s, buffer, offset, length) -> { }, 1, System.nanoTime() + TIMEOUT_NS);
            assertEquals(1, n, "A received");
        }

        void reply(final int sequence)
        {
            payload.putLong(0, sequence);
            long deadline = System.nanoTime() + TIMEOUT_NS;
            int rc;
            while ((rc = UdpSockets.sendTo(socket, bAddress, B_PORT, payload, 0, 16)) == -org.oobnet.inband.Errno.EWOULDBLOCK)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    break;
                }
                Thread.onSpinWait();
            }
            assertEquals(0, rc, "sendTo");
        }

        // B sends 16 bytes to A, A receives them and replies 16 bytes, B receives the reply; the sequence is the
        // exchange's own (from 1 000 000 up), so that B never takes an earlier reply left unread for this one's
        void exchange() throws Exception
        {
            final int sequence = nextExchange++;
            peerSend(sequence, 16);
            receiveOne();
            reply(sequence);
            awaitReply(sequence);
        }

        // B reads until the reply to this exchange: earlier ones (the neighbour warm-up's) are skipped, so that each
        // exchange ends when its own reply has crossed
        private void awaitReply(final int sequence) throws Exception
        {
            peer.configureBlocking(true);
            do
            {
                peerBuffer.clear();
                peer.receive(peerBuffer);
            }
            while (peerBuffer.order(java.nio.ByteOrder.nativeOrder()).getLong(0) != sequence);
        }

        @Override
        public void close() throws Exception
        {
            try
            {
                peer.close();
                ksocket.close();
                runtime.close();
                stack.close();
            }
            finally
            {
                fixture.close();
            }
        }
    }
}
