package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every datagram a stage receive handler gets carries the kernel's receive time, over both transports: a kernel
 * sender in namespace B sends numbered datagrams one at a time, and each one's timestamp, read in the handler with
 * {@link UdpSockets#rxTimestampNs}, is a software time between the wall clock before the send and after the
 * handler saw it, increasing from one datagram to the next.
 */
class UdpRxTimestampTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final int DATAGRAMS = 20;

    @ParameterizedTest
    @EnumSource(UdpTransport.class)
    void shouldHandEachDatagramItsKernelReceiveTimeWhenUsingTransport(final UdpTransport transport) throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final long[] timestamps = new long[DATAGRAMS];
            final RxTimestampSource[] sources = new RxTimestampSource[DATAGRAMS];
            final int[] handled = new int[1];
            final AtomicReference<RxTimestampSource> warmUpSource = new AtomicReference<>();
            socket.stageReceiveHandler((s, buffer, offset, length) ->
            {
                final int index = buffer.getInt(offset + UdpAddressHeader.LENGTH, ByteOrder.BIG_ENDIAN);
                if (index < 0)
                {
                    warmUpSource.set(UdpSockets.rxTimestampSource(s));
                    return;
                }
                timestamps[index] = UdpSockets.rxTimestampNs(s);
                sources[index] = UdpSockets.rxTimestampSource(s);
                synchronized (handled)
                {
                    handled[0]++;
                }
            });
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            final InetSocketAddress target = new InetSocketAddress(hosts.a.address(), A_PORT);

            // The kernel turns software RX timestamps on for the whole system from a workqueue (net_enable_timestamp
            // defers the static key) when the first timestamping socket appears, e.g. after the previous test closed
            // the last one: until that work has run, datagrams arrive unstamped and are honestly reported NONE.
            // Warm up until a datagram comes stamped, then measure.
            final long warmUpDeadline = System.nanoTime() + 10_000_000_000L;
            while (warmUpSource.get() != RxTimestampSource.SOFTWARE && System.nanoTime() < warmUpDeadline)
            {
                hosts.inB(() -> peer.send(ByteBuffer.allocate(16).putInt(0, -1), target));
                Thread.sleep(10);
            }
            assertEquals(RxTimestampSource.SOFTWARE, warmUpSource.get(), "no warm-up datagram stamped in 10 s over " +
                transport);

            final long[] before = new long[DATAGRAMS];
            final long[] after = new long[DATAGRAMS];
            for (int i = 0; i < DATAGRAMS; i++)
            {
                final int index = i;
                before[i] = epochNs();
                hosts.inB(() -> peer.send(ByteBuffer.allocate(16).putInt(0, index), target));
                UdpHosts.await(() ->
                {
                    synchronized (handled)
                    {
                        return handled[0] > index;
                    }
                }, "datagram " + i + " handled");
                after[i] = epochNs();
            }

            for (int i = 0; i < DATAGRAMS; i++)
            {
                assertEquals(RxTimestampSource.SOFTWARE, sources[i], "datagram " + i + " over " + transport);
                assertTrue(timestamps[i] >= before[i] && timestamps[i] <= after[i], "datagram " + i + ": rx=" +
                    timestamps[i] + " outside [" + before[i] + ", " + after[i] + "]");
                if (i > 0)
                {
                    assertTrue(timestamps[i] > timestamps[i - 1], "datagram " + i + " not after " + (i - 1));
                }
            }
        }
    }

    // CLOCK_REALTIME, as the kernel's timestamps
    private static long epochNs()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
