package org.oobnet.udp.bench;

import java.util.concurrent.CountDownLatch;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.udp.UdpAddressHeader;

/**
 * A UDP ping-pong client on the stage, for the benchmarks: one request in flight (its sequence number in the first
 * payload bytes), sent by the task, the reply taken by the stage receive handler in the same cycle's poll; a
 * request unanswered for 100 ms is sent again. The first {@code warmup} round trips are not recorded.
 */
final class StagePingTask implements OobTask, OobReceiveHandler
{
    final CountDownLatch done = new CountDownLatch(1);
    final OobSocket socket;
    final long[] samples;
    final UnsafeBuffer record = new UnsafeBuffer(new byte[UdpAddressHeader.LENGTH + UdpPingPongBenchmark.PAYLOAD]);
    volatile int completed;
    volatile int resent;
    volatile int stale;
    int next;
    boolean awaiting;
    long sentNs;

    StagePingTask(final OobSocket socket, final long[] samples, final int warmup)
    {
        this.socket = socket;
        this.next = -warmup;
        this.samples = samples;
        UdpAddressHeader.write(record, 0, 0, 0);
    }

    @Override
    public int doWork(final long nowNs)
    {
        if (next >= samples.length)
        {
            return 0;
        }
        if (awaiting)
        {
            if (System.nanoTime() - sentNs < 100_000_000L)
            {
                return 0;
            }
            resent++;
        }
        // the sequence number lets a late reply to a resent request be told apart from the current one
        record.putInt(UdpAddressHeader.LENGTH, next);
        sentNs = System.nanoTime();
        final int rc = socket.oobSend(record, 0, record.capacity());
        if (rc < 0 && rc != -org.oobnet.inband.Errno.EINPROGRESS)
        {
            return 0;
        }
        awaiting = true;
        // kick now rather than at the next cycle's flush
        socket.protocol().flush(socket, nowNs);
        return 1;
    }

    @Override
    public void onMessage(final OobSocket s, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!awaiting || length < UdpAddressHeader.LENGTH + 4 || buffer.getInt(offset + UdpAddressHeader.LENGTH) != next)
        {
            stale++;
            return;
        }
        final long rtt = System.nanoTime() - sentNs;
        awaiting = false;
        if (next >= 0)
        {
            samples[next] = rtt;
            completed = next + 1;
        }
        next++;
        if (next >= samples.length)
        {
            done.countDown();
        }
    }
}
