package org.oobnet.harness.bench.feed;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;

/**
 * The feed bench's request server on a thread of its own, polling (parked 20 µs when idle) until closed.
 * <p>
 * <b>Note:</b> in-band; made and closed by one thread.
 */
final class RequestServing implements AutoCloseable
{
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile IOException failure;

    RequestServing(final MoldUdp64RequestServer server)
    {
        thread = Thread.ofPlatform().name("feed-bench-requests").daemon().start(() ->
        {
            try
            {
                while (!stop.get())
                {
                    if (0 == server.poll(16))
                    {
                        LockSupport.parkNanos(20_000L);
                    }
                }
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
        });
    }

    @Override
    public void close() throws Exception
    {
        stop.set(true);
        thread.join(TimeUnit.SECONDS.toMillis(5));
        if (null != failure)
        {
            throw new IllegalStateException("request server: " + failure, failure);
        }
    }
}
