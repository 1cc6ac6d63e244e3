package org.oobnet.udp;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.core.counters.CountersPrinter;
import org.oobnet.core.counters.HopSnapshot;
import org.oobnet.core.counters.StageHop;
import org.oobnet.core.counters.StageHops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-hop timestamps on a real ring ping-pong across two namespaces: a kernel UDP peer in B sends, an OOB socket's
 * stage handler in A echoes from the stage through the packet port's TX ring. Round by round, each of A's hops
 * (kernel RX → pickup, pickup → handler done, handler done → kick, kick → return) is recorded exactly once and is
 * positive, and the three up to the kick together fit in the round trip B measured around them (kick → return does
 * not: over veth the peer can read the echo before the stage's system call returns). Then
 * {@code oobnet stat --once} (the {@link CountersPrinter}) shows them for the running socket's stage.
 */
class UdpHopsTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final int ROUNDS = 50;
    private static final StageHop[] MEASURED =
        {StageHop.KERNEL_RX_TO_PICKUP, StageHop.PICKUP_TO_HANDLER_DONE, StageHop.HANDLER_DONE_TO_KICK,
            StageHop.KICK_TO_RETURN};

    @Test
    void shouldRecordEachHopOnceWithinTheRoundTripWhenTheStageEchoes() throws Exception
    {
        // off by default (its cost); on for this runtime's stage, read when the stage's counters are made
        System.setProperty(StageHops.PROPERTY, "true");
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            System.clearProperty(StageHops.PROPERTY);
            final StageHops hops = hosts.runtime.counters().hops();
            assertTrue(hops.enabled(), "hop recording on");
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[2048]);
            final int[] rc = new int[1];
            socket.stageReceiveHandler((s, buffer, offset, length) -> rc[0] = UdpSockets.oobSendTo(s, scratch,
                UdpSockets.peerAddress(buffer, offset), UdpSockets.peerPort(buffer, offset), buffer,
                offset + UdpAddressHeader.LENGTH, length - UdpAddressHeader.LENGTH));
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            peer.configureBlocking(false);
            final Selector selector = hosts.closeLater(Selector.open());
            peer.register(selector, SelectionKey.OP_READ);
            final InetSocketAddress target = new InetSocketAddress(hosts.a.address(), A_PORT);

            // software RX stamps are switched on system-wide by a workqueue once the first timestamping socket
            // exists (see UdpRxTimestampTest), and the first echoes go in-band until the route resolver filled the
            // stage's neighbour cache: echo until a round records every hop
            final long warmUpDeadline = System.nanoTime() + 10_000_000_000L;
            boolean warm = false;
            while (!warm && System.nanoTime() < warmUpDeadline)
            {
                final HopSnapshot[] before = hops.snapshot();
                assertTrue(roundTripNs(hosts, peer, selector, target) > 0, "warm-up echo lost");
                final HopSnapshot[] after = hops.snapshot();
                warm = true;
                for (final StageHop hop : MEASURED)
                {
                    warm &= after[hop.ordinal()].count() > before[hop.ordinal()].count();
                }
            }
            assertTrue(warm, "no warm-up echo stamped and sent from the stage in 10 s");

            for (int round = 0; round < ROUNDS; round++)
            {
                final HopSnapshot[] before = hops.snapshot();
                final long rttNs = roundTripNs(hosts, peer, selector, target);
                assertTrue(rttNs > 0, "round " + round + ": echo lost");
                final HopSnapshot[] after = settled(hops, before);
                long sumNs = 0;
                final StringBuilder each = new StringBuilder();
                for (final StageHop hop : MEASURED)
                {
                    final HopSnapshot window = after[hop.ordinal()].minus(before[hop.ordinal()]);
                    assertEquals(1, window.count(), "round " + round + ": " + hop.label() + " recorded; last send rc=" + rc[0]);
                    assertTrue(window.sumNs() > 0, "round " + round + ": " + hop.label() + "=" + window.sumNs());
                    // the kick's return can come after B read the echo (the frame reaches B inside the call; a
                    // preempted stage returns late): only the hops that end before the frame leaves are bounded
                    sumNs += StageHop.KICK_TO_RETURN == hop ? 0 : window.sumNs();
                    each.append(' ').append(hop.label()).append('=').append(window.sumNs());
                }
                assertTrue(sumNs <= rttNs,
                    "round " + round + ": hops up to the kick " + sumNs + " ns > round trip " + rttNs + " ns;" + each);
            }

            final StringWriter out = new StringWriter();
            assertEquals(0, new CountersPrinter(new PrintWriter(out), new PrintWriter(new StringWriter()))
                .run(hosts.runtime.countersPath().getParent(), true, false));
            for (final StageHop hop : MEASURED)
            {
                final Matcher line = Pattern.compile("(?m)^  hop " + Pattern.quote(hop.label()) +
                    ": count=(\\d+) p50-ns=(\\d+) p99-ns=(\\d+) max-ns=(\\d+)$").matcher(out.toString());
                assertTrue(line.find(), "stat shows " + hop.label() + ":\n" + out);
                assertEquals(hops.histogram(hop).count(), Long.parseLong(line.group(1)), out.toString());
                assertTrue(Long.parseLong(line.group(1)) >= ROUNDS, out.toString());
                assertTrue(Long.parseLong(line.group(2)) <= Long.parseLong(line.group(3)) &&
                    Long.parseLong(line.group(3)) <= Long.parseLong(line.group(4)), out.toString());
            }
        }
    }

    // B's view: from before its send to after the echo is read; -1 when none came within a second
    private static long roundTripNs(
        final UdpHosts hosts, final DatagramChannel peer, final Selector selector, final InetSocketAddress target)
        throws Exception
    {
        final ByteBuffer message = ByteBuffer.allocate(32);
        final long startNs = System.nanoTime();
        hosts.inB(() -> peer.send(message, target));
        final ByteBuffer reply = ByteBuffer.allocate(64);
        final long deadline = startNs + 1_000_000_000L;
        while (System.nanoTime() - deadline < 0)
        {
            if (null != peer.receive(reply))
            {
                return System.nanoTime() - startNs;
            }
            selector.selectNow();
            selector.selectedKeys().clear();
        }
        return -1;
    }

    // over veth the peer gets the echo inside the stage's kick, so kick->return is recorded only after the round
    // trip is over (and a snapshot can fall between a hop's count and its sum): wait until every hop's is in
    private static HopSnapshot[] settled(final StageHops hops, final HopSnapshot[] before) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 1_000_000_000L;
        while (true)
        {
            final HopSnapshot[] after = hops.snapshot();
            boolean all = true;
            for (final StageHop hop : MEASURED)
            {
                final HopSnapshot window = after[hop.ordinal()].minus(before[hop.ordinal()]);
                all &= window.count() >= 1 && window.sumNs() > 0;
            }
            if (all || System.nanoTime() - deadline > 0)
            {
                return after;
            }
            Thread.sleep(1);
        }
    }
}
