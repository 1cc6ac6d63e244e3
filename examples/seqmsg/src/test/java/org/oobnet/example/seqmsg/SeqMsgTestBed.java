package org.oobnet.example.seqmsg;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;

/**
 * Two network namespaces joined by veth, one runtime, a seqmsg publisher bound in host A and a subscriber bound
 * in host B on the same stream. Messages carry their index (from 0) in their first 8 bytes.
 */
final class SeqMsgTestBed implements AutoCloseable
{
    static final int STREAM = 7;
    static final int MESSAGE_LENGTH = 32;

    final NetnsFixture fixture;
    final OobRuntime runtime;
    final KSocket publisherSocket;
    final KSocket subscriberSocket;
    final OobSocket publisher;
    final OobSocket subscriber;
    final List<Long> received = new ArrayList<>();
    private final Path countersDir;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
    private final OobReceiveHandler collect = (s, b, o, l) -> received.add(b.getLong(o));

    SeqMsgTestBed(final SeqMsgConfig config) throws Exception
    {
        this(config, 1024 * 1024);
    }

    SeqMsgTestBed(final SeqMsgConfig config, final int receiveRingBytes) throws Exception
    {
        fixture = NetnsFixture.create(2);
        OobRuntime started = null;
        Path dir = null;
        try
        {
            dir = Files.createTempDirectory("seqmsg-");
            // tag::register[]
            final ProtocolRegistry registry = new ProtocolRegistry();
            registry.register(OobRuntime.AF_OOB, new SeqMsgProtocol(config));
            // end::register[]
            started = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .receiveRingBytes(receiveRingBytes)
                .countersDir(dir)
                .countersValuesBytes(1024 * 128)
                .errorLogBytes(64 * 1024)
                .build(), registry);
            publisherSocket = open(fixture.host(0));
            subscriberSocket = open(fixture.host(1));
        }
        catch (final Exception | Error ex)
        {
            if (null != started)
            {
                started.close();
            }
            fixture.close();
            throw ex;
        }
        runtime = started;
        countersDir = dir;
        publisher = OobSocket.of(publisherSocket);
        subscriber = OobSocket.of(subscriberSocket);
    }

    // tag::open[]
    private KSocket open(final NetnsFixture.Host host) throws Exception
    {
        // in the host's namespace: bind opens the AF_PACKET socket there
        return fixture.call(host, () ->
        {
            final KSocket socket = KSocket.socket(
                OobRuntime.AF_OOB, SeqMsgProtocol.SOCK_SEQPACKET | SocketConstants.SOCK_OOB, 0);
            try (Arena arena = Arena.ofConfined())
            {
                socket.bind(SeqMsgAddress.encode(host.interfaceName(), STREAM, arena));
            }
            return socket;
        });
    }
    // end::open[]

    /**
     * Sends messages {@code from} .. {@code to - 1} from the publisher through its send ring, receiving on the
     * way so that no more than {@code window} are outstanding.
     */
    void send(final long from, final long to, final int window, final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        long next = from;
        while (next < to)
        {
            if (next - from - received.size() < window || 0 == window)
            {
                message.putLong(0, next);
                final int rc = publisher.offer(message, 0, MESSAGE_LENGTH);
                if (0 == rc)
                {
                    next++;
                    continue;
                }
            }
            if (subscriber.poll(collect, 256) <= 0)
            {
                idle(deadlineNs, "sending message " + next);
            }
        }
    }

    /** Receives until {@code count} messages arrived in total. */
    void awaitReceived(final int count, final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (received.size() < count)
        {
            if (subscriber.poll(collect, 256) <= 0)
            {
                idle(deadlineNs, "message " + received.size() + " of " + count + "; publisher " +
                    SeqMsgProtocol.counters(publisher) + "; subscriber " + SeqMsgProtocol.counters(subscriber));
            }
        }
    }

    private static void idle(final long deadlineNs, final String what)
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new AssertionError("timed out waiting for " + what);
        }
        LockSupport.parkNanos(20_000L);
    }

    long publisherCount(final SeqMsgCounter counter)
    {
        return SeqMsgProtocol.counters(publisher).get(counter);
    }

    long subscriberCount(final SeqMsgCounter counter)
    {
        return SeqMsgProtocol.counters(subscriber).get(counter);
    }

    @Override
    public void close() throws Exception
    {
        try
        {
            publisherSocket.close();
            subscriberSocket.close();
            runtime.close();
        }
        finally
        {
            fixture.close();
            try (var paths = Files.walk(countersDir))
            {
                for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
