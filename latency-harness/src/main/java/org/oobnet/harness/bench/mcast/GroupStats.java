package org.oobnet.harness.bench.mcast;

import org.oobnet.core.RealtimeNanoClock;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.udp.RxTimestampSource;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.UdpSockets;

/**
 * What {@code oobnet mcast dump} learns of one joined (group, port), counted on the stage by the socket's receive
 * handler: datagrams per source, sequence gaps per source (payloads of {@code mcast send}), which kind of RX
 * timestamp came with them, and the kernel RX timestamp → handler latency.
 * <p>
 * <b>Note:</b> written by the stage only, allocation-free; read once the stage stopped.
 */
final class GroupStats implements OobReceiveHandler
{
    /** Distinct sources tracked per group; datagrams of more sources count under {@link #otherSources}. */
    static final int MAX_SOURCES = 64;
    private static final long HIGHEST_LATENCY_NS = 60_000_000_000L;

    final int group;
    final int port;
    final int[] sources = new int[MAX_SOURCES];
    final long[] bySource = new long[MAX_SOURCES];
    final long[] gapsBySource = new long[MAX_SOURCES];
    private final long[] nextSequence = new long[MAX_SOURCES];
    final long[] byTimestampSource = new long[RxTimestampSource.values().length];
    final Histogram latencyNs = new Histogram(HIGHEST_LATENCY_NS, 3);
    private final RealtimeNanoClock clock;
    private final AtomicLong total;
    int sourceCount;
    long received;
    long otherSources;
    long gaps;
    long lateOrDuplicate;
    long negativeLatency;

    GroupStats(final int group, final int port, final RealtimeNanoClock clock, final AtomicLong total)
    {
        this.group = group;
        this.port = port;
        this.clock = clock;
        this.total = total;
    }

    @Override
    public void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final long rxNs = UdpSockets.rxTimestampNs(socket);
        final RxTimestampSource kind = UdpSockets.rxTimestampSource(socket);
        final long nowNs = clock.nanoTime();
        received++;
        byTimestampSource[kind.ordinal()]++;
        if (0 != rxNs)
        {
            final long latency = nowNs - rxNs;
            if (latency < 0)
            {
                negativeLatency++;
            }
            latencyNs.recordValue(Math.min(Math.max(latency, 0), HIGHEST_LATENCY_NS));
        }
        final int source = sourceIndex(UdpAddressHeader.address(buffer, offset));
        if (source >= 0)
        {
            bySource[source]++;
            final long sequence = McastPayload.sequence(buffer, offset + UdpAddressHeader.LENGTH,
                length - UdpAddressHeader.LENGTH);
            if (sequence >= 0)
            {
                final long expected = nextSequence[source];
                if (expected < 0 || sequence >= expected)
                {
                    if (expected >= 0)
                    {
                        gapsBySource[source] += sequence - expected;
                        gaps += sequence - expected;
                    }
                    nextSequence[source] = sequence + 1;
                }
                else
                {
                    lateOrDuplicate++;
                }
            }
        }
        else
        {
            otherSources++;
        }
        total.incrementAndGet();
    }

    private int sourceIndex(final int address)
    {
        for (int i = 0; i < sourceCount; i++)
        {
            if (sources[i] == address)
            {
                return i;
            }
        }
        if (sourceCount == MAX_SOURCES)
        {
            return -1;
        }
        sources[sourceCount] = address;
        nextSequence[sourceCount] = -1;
        return sourceCount++;
    }
}
