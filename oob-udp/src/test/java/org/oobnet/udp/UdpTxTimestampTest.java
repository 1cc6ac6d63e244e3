package org.oobnet.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.KSocketCallbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-send transmit timestamps ({@link UdpOobProtocol#UDP_OOB_TX_TIMESTAMPS}) over both transports, on a real
 * veth: an OOB socket in A sends numbered datagrams to a kernel receiver in B, and its {@link TxTimestampHandler}
 * gets exactly one report per datagram, ids 0..N-1 in send order, times increasing and between the first send and
 * the last report. The source is the transport's: the kernel's software TX time off the error queue on the kernel
 * transport; on the packet transport the stage's clock at the frame's completion, because veth writes no transmit
 * time into the TX ring (verified on this kernel: the completed frames' {@code tp_status} has no
 * {@code TP_STATUS_TS_*} flag).
 */
class UdpTxTimestampTest
{
    private static final int A_PORT = 5100;
    private static final int B_PORT = 6100;
    private static final int DATAGRAMS = 300;
    // sends queued before the test waits for their timestamps: more than one stage batch, less than a TX ring
    private static final int BURST = 50;

    @ParameterizedTest
    @EnumSource(UdpTransport.class)
    void shouldReportExactlyOneTimestampPerSendWhenUsingTransport(final UdpTransport transport) throws Exception
    {
        sendAndCheck(transport, false);
    }

    /**
     * Kernel transport, the socket also has in-band callbacks: the event thread, woken by {@code EPOLLERR} for each
     * timestamp record, leaves the error queue to the stage (before, it drained it and the stage missed those
     * sends' timestamps: reported without time, or not at all).
     */
    @Test
    void shouldReportEveryTimestampToTheStageWhenTheSocketAlsoHasInbandCallbacks() throws Exception
    {
        sendAndCheck(UdpTransport.KERNEL, true);
    }

    private static void sendAndCheck(final UdpTransport transport, final boolean inbandCallbacks) throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final AtomicLong inbandErrors = new AtomicLong();
            if (inbandCallbacks)
            {
                socket.ksocket().setCallbacks(new KSocketCallbacks()
                {
                    @Override
                    public void onError(final KSocket s, final Object cookie, final long argument)
                    {
                        inbandErrors.incrementAndGet();
                    }
                }, null);
            }
            final long[] ids = new long[DATAGRAMS + 1];
            final long[] times = new long[DATAGRAMS + 1];
            final TxTimestampSource[] sources = new TxTimestampSource[DATAGRAMS + 1];
            final AtomicLong reports = new AtomicLong();
            UdpSockets.txTimestamps(socket.ksocket(), (s, sendId, timestampNs, source) ->
            {
                final int at = (int)Math.min(reports.get(), DATAGRAMS);
                ids[at] = sendId;
                times[at] = timestampNs;
                sources[at] = source;
                reports.lazySet(reports.get() + 1);
            });
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            final int target = UdpOobProtocol.toInt(InetAddress.getByName(hosts.b.address()));
            // the packet transport's first datagram would go in-band (no neighbour yet) and get no time: resolve now
            hosts.inA(() ->
            {
                UdpSockets.solicit(socket, target, false);
                return null;
            });

            peer.configureBlocking(false);
            final ByteBuffer received = ByteBuffer.allocate(64);
            int arrived = 0;
            final long first = epochNs();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
            for (int i = 0; i < DATAGRAMS; i++)
            {
                payload.putInt(0, i);
                int rc;
                while ((rc = UdpSockets.sendTo(socket, target, B_PORT, payload, 0, payload.capacity())) < 0)
                {
                    assertEquals(-Errno.EWOULDBLOCK, rc, "send " + i);
                    Thread.yield();
                }
                if ((i + 1) % BURST == 0)
                {
                    final long sent = i + 1;
                    UdpHosts.await(() -> reports.get() >= sent, sent + " timestamps reported");
                    // read as they come: the receiver's default buffer holds fewer than all of them
                    final long deadline = System.nanoTime() + 10_000_000_000L;
                    while (arrived < sent && System.nanoTime() - deadline < 0)
                    {
                        received.clear();
                        if (null != hosts.inB(() -> peer.receive(received)))
                        {
                            arrived++;
                        }
                        else
                        {
                            Thread.sleep(1);
                        }
                    }
                }
            }
            final long last = epochNs();
            Thread.sleep(200);
            assertEquals(DATAGRAMS, arrived, "datagrams the receiver got over " + transport);

            assertEquals(DATAGRAMS, reports.get(), "one report per send over " + transport);
            assertEquals(DATAGRAMS, UdpSockets.state(socket).txTimestampCount());
            final TxTimestampSource expected = UdpTransport.KERNEL == transport ? TxTimestampSource.SOFTWARE :
                TxTimestampSource.STAGE;
            for (int i = 0; i < DATAGRAMS; i++)
            {
                assertEquals(i, ids[i], "send id of report " + i);
                assertEquals(expected, sources[i], "source of report " + i);
                assertTrue(times[i] >= first && times[i] <= last, "report " + i + ": tx=" + times[i] +
                    " outside [" + first + ", " + last + "]");
                if (i > 0)
                {
                    assertTrue(times[i] >= times[i - 1], "report " + i + " before " + (i - 1));
                }
            }
            assertEquals(DATAGRAMS - 1, UdpSockets.state(socket).txSendId());
            if (UdpTransport.KERNEL == transport)
            {
                assertEquals(0, UdpSockets.state(socket).kernelTransport().txTimestampsMissingCount(),
                    "sends whose record the stage never read");
            }
            assertEquals(0, inbandErrors.get(), "in-band ERROR callbacks");
        }
    }

    /**
     * Kernel transport: a datagram that dies before the driver (here: queued for a neighbour that never answers ARP)
     * gets no record on the error queue. Its send is still reported once, with no time, after
     * {@link KernelBusyPollTransport#TX_RECORD_TIMEOUT_NS}, and the next sends' ids and times go on as before; the
     * stage does not go on reading the error queue for a record that never comes.
     */
    @Test
    void shouldReportASendWithoutTimeWhenTheKernelGivesNoRecord() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.KERNEL))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final int lost = 5;
            final int delivered = 3;
            final long[] ids = new long[lost + delivered + 1];
            final TxTimestampSource[] sources = new TxTimestampSource[lost + delivered + 1];
            final AtomicLong reports = new AtomicLong();
            UdpSockets.txTimestamps(socket.ksocket(), (s, sendId, timestampNs, source) ->
            {
                final int at = (int)Math.min(reports.get(), lost + delivered);
                ids[at] = sendId;
                sources[at] = source;
                reports.lazySet(reports.get() + 1);
            });
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            // on A's subnet, no host: the datagrams wait in the ARP queue and are freed unsent
            final int nobody = UdpOobProtocol.toInt(InetAddress.getByName("10.251.0.99"));
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
            for (int i = 0; i < lost; i++)
            {
                send(socket, nobody, payload, i);
            }
            UdpHosts.await(() -> reports.get() >= lost, lost + " sends reported without a record");
            final int target = UdpOobProtocol.toInt(InetAddress.getByName(hosts.b.address()));
            for (int i = 0; i < delivered; i++)
            {
                send(socket, target, payload, lost + i);
            }
            UdpHosts.await(() -> reports.get() >= lost + delivered, "the delivered sends reported");
            Thread.sleep(200);

            assertEquals(lost + delivered, reports.get(), "one report per send");
            assertEquals(lost, UdpSockets.state(socket).kernelTransport().txTimestampsMissingCount());
            for (int i = 0; i < lost + delivered; i++)
            {
                assertEquals(i, ids[i], "send id of report " + i);
                assertEquals(i < lost ? TxTimestampSource.NONE : TxTimestampSource.SOFTWARE, sources[i],
                    "source of report " + i);
            }
        }
    }

    /**
     * Off, on, off, on... while an application thread sends without pause: the switch is a stage command between two
     * send batches, so each "on" numbers its sends from 0 and every send made while on is reported once, with a
     * time (what the old setting still owes is settled at the switch). The reports' ids are runs 0, 1, 2... one run
     * per "on", none reported without a time (before, a switch made mid-batch counted that batch on the wrong side:
     * ids that skipped or restarted where no switch was, sends reported with no time).
     */
    @ParameterizedTest
    @EnumSource(UdpTransport.class)
    void shouldNumberEachOnFromZeroWhenSwitchedUnderTraffic(final UdpTransport transport) throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final int target = UdpOobProtocol.toInt(InetAddress.getByName(hosts.b.address()));
            hosts.inA(() ->
            {
                UdpSockets.solicit(socket, target, false);
                return null;
            });
            final int capacity = 1 << 20;
            final long[] ids = new long[capacity];
            final TxTimestampSource[] sources = new TxTimestampSource[capacity];
            final AtomicLong reports = new AtomicLong();
            final TxTimestampHandler handler = (s, sendId, timestampNs, source) ->
            {
                final int at = (int)reports.get();
                if (at < capacity)
                {
                    ids[at] = sendId;
                    sources[at] = source;
                }
                reports.lazySet(at + 1);
            };
            final java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
            final Thread sender = new Thread(() ->
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
                while (sending.get())
                {
                    UdpSockets.sendTo(socket, target, B_PORT, payload, 0, payload.capacity());
                    Thread.onSpinWait();
                }
            }, "tx-switch-sender");
            sender.start();
            final int ons = 40;
            try
            {
                for (int i = 0; i < ons; i++)
                {
                    UdpSockets.txTimestamps(socket.ksocket(), handler);
                    final long before = reports.get();
                    UdpHosts.await(() -> reports.get() > before, "a report after on " + i);
                    UdpSockets.txTimestamps(socket.ksocket(), null);
                }
            }
            finally
            {
                sending.set(false);
                sender.join();
            }
            Thread.sleep(200);
            final int count = (int)Math.min(capacity, reports.get());
            int runs = 0;
            for (int i = 0; i < count; i++)
            {
                if (0 == ids[i])
                {
                    runs++;
                }
                else
                {
                    assertEquals(ids[i - 1] + 1, ids[i], "report " + i + " after id " + ids[i - 1]);
                }
                assertTrue(TxTimestampSource.NONE != sources[i], "report " + i + " (id " + ids[i] + ") has no time");
            }
            assertEquals(ons, runs, "runs of ids from 0 over " + count + " reports");
            if (UdpTransport.KERNEL == transport)
            {
                assertEquals(0, UdpSockets.state(socket).kernelTransport().txTimestampsMissingCount());
            }
        }
    }

    /**
     * Packet transport: a socket closed while its frames are still in the port's TX ring (sent, not yet reaped) gets
     * every report before its close returns and none after: the port settles what it owes the socket when the
     * socket leaves the stage (before, the port kept the closed socket and called its handler at the next reap).
     */
    @Test
    void shouldRunNoTimestampHandlerAfterCloseWhenFramesAreStillInTheRing() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final int target = UdpOobProtocol.toInt(InetAddress.getByName(hosts.b.address()));
            final AtomicLong afterClose = new AtomicLong();
            final AtomicLong reports = new AtomicLong();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
            final int sockets = 100;
            for (int i = 0; i < sockets; i++)
            {
                final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT + 10 + i);
                final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
                UdpSockets.txTimestamps(socket.ksocket(), (s, sendId, timestampNs, source) ->
                {
                    reports.incrementAndGet();
                    if (closed.get())
                    {
                        afterClose.incrementAndGet();
                    }
                });
                hosts.inA(() ->
                {
                    UdpSockets.solicit(socket, target, false);
                    return null;
                });
                for (int n = 0; n < 8; n++)
                {
                    send(socket, target, payload, n);
                }
                socket.ksocket().close();
                closed.set(true);
            }
            Thread.sleep(200); // a few hundred stage cycles: every frame reaped
            assertEquals(sockets * 8L, reports.get(), "one report per send, each before its socket's close returned");
            assertEquals(0, afterClose.get(), "handler calls after close, of " + reports.get() + " reports");
        }
    }

    private static void send(final OobSocket socket, final int address, final UnsafeBuffer payload, final int n)
        throws InterruptedException
    {
        payload.putInt(0, n);
        int rc;
        while ((rc = UdpSockets.sendTo(socket, address, B_PORT, payload, 0, payload.capacity())) < 0)
        {
            assertEquals(-Errno.EWOULDBLOCK, rc, "send " + n);
            Thread.yield();
        }
    }

    // CLOCK_REALTIME, as the kernel's timestamps
    private static long epochNs()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
