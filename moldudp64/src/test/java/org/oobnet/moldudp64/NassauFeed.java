package org.oobnet.moldudp64;

import com.paritytrading.nassau.moldudp64.MoldUDP64DefaultMessageStore;
import com.paritytrading.nassau.moldudp64.MoldUDP64DownstreamPacket;
import com.paritytrading.nassau.moldudp64.MoldUDP64RequestServer;
import com.paritytrading.nassau.moldudp64.MoldUDP64Server;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.moldudp64.publish.LineFaults;
import org.oobnet.moldudp64.publish.PublishedLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Nassau's MoldUDP64 server and request server in one namespace, publishing {@code messageCount} messages
 * (payload: the sequence number, then seeded bytes) through a relay on loopback that fans each packet out to
 * lines A and B, each with its own seeded {@link LineFaults}; then repeating the end of session until stopped.
 */
final class NassauFeed implements AutoCloseable
{
    static final String SESSION = "NASSAU";
    static final String GROUP_A = "239.251.20.1";
    static final String GROUP_B = "239.251.20.2";
    static final int PORT_A = 21001;
    static final int PORT_B = 21002;
    static final int REQUEST_PORT = 21003;

    final PublishedLine lineA;
    final PublishedLine lineB;
    private final DatagramChannel relayIn;
    private final DatagramChannel nassauOut;
    private final DatagramChannel requestIn;
    private final AtomicBoolean stop = new AtomicBoolean();
    private CompletableFuture<Long> publishing;

    NassauFeed(final NetnsFixture net, final NetnsFixture.Host host, final long seed) throws Exception
    {
        final String ifName = host.interfaceName();
        relayIn = net.call(host, () -> MulticastSockets.unicast("127.0.0.1", 0));
        nassauOut = net.call(host, () ->
        {
            final DatagramChannel channel = DatagramChannel.open();
            channel.connect(relayIn.getLocalAddress());
            return channel;
        });
        lineA = net.call(host, () -> new PublishedLine(MulticastSockets.sender(ifName),
            new InetSocketAddress(GROUP_A, PORT_A), new LineFaults(seed, 0.05, 0.03, 0.03)));
        lineB = net.call(host, () -> new PublishedLine(MulticastSockets.sender(ifName),
            new InetSocketAddress(GROUP_B, PORT_B), new LineFaults(seed + 1, 0.05, 0.03, 0.03)));
        requestIn = net.call(host, () -> MulticastSockets.unicast(host.address(), REQUEST_PORT));
    }

    static ByteBuffer message(final long sequence, final Random random)
    {
        final byte[] bytes = new byte[8 + random.nextInt(40)];
        random.nextBytes(bytes);
        final ByteBuffer message = ByteBuffer.wrap(bytes);
        message.putLong(0, sequence);
        return message;
    }

    /** Starts publishing on a thread of its own (the sockets already live in the namespace). */
    void start(final int messageCount, final long seed, final long deadlineNs)
    {
        publishing = CompletableFuture.supplyAsync(() ->
        {
            try (MoldUDP64Server server = new MoldUDP64Server(nassauOut, SESSION);
                MoldUDP64RequestServer requests = new MoldUDP64RequestServer(requestIn))
            {
                final MoldUDP64DefaultMessageStore store = new MoldUDP64DefaultMessageStore();
                final MoldUDP64DownstreamPacket packet = new MoldUDP64DownstreamPacket();
                final ByteBuffer relayed = ByteBuffer.allocateDirect(65536);
                final Random random = new Random(seed);
                long sequence = 1;
                long packets = 0;
                while (!stop.get() && System.nanoTime() - deadlineNs < 0)
                {
                    if (sequence <= messageCount)
                    {
                        final int inPacket = 1 + random.nextInt(8);
                        for (int i = 0; i < inPacket && sequence <= messageCount; i++)
                        {
                            packet.put(message(sequence++, random));
                        }
                        server.send(packet);
                        packet.payload().flip(); // send() consumed it; the store reads it again
                        store.put(packet);
                        packet.clear();
                        packets++;
                    }
                    else
                    {
                        // repeated while the feed idles, so that a receiver that lost it still learns the end
                        server.sendEndOfSession();
                        LockSupport.parkNanos(20_000_000);
                    }
                    relay(relayed);
                    requests.serve(store);
                    LockSupport.parkNanos(30_000);
                }
                lineA.flushHeld();
                lineB.flushHeld();
                return packets;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
    }

    boolean isDone()
    {
        return publishing.isDone();
    }

    /** Stops publishing and returns the packets Nassau sent. */
    long stop() throws Exception
    {
        stop.set(true);
        return publishing.get(30, TimeUnit.SECONDS);
    }

    String books()
    {
        return "A{sent=" + lineA.sent() + " dropped=" + lineA.dropped() + " swapped=" + lineA.swapped() +
            " repeated=" + lineA.repeated() + "} B{sent=" + lineB.sent() + " dropped=" + lineB.dropped() +
            " swapped=" + lineB.swapped() + " repeated=" + lineB.repeated() + "}";
    }

    private void relay(final ByteBuffer relayed) throws IOException
    {
        while (true)
        {
            relayed.clear();
            if (null == relayIn.receive(relayed))
            {
                return;
            }
            relayed.flip();
            lineA.send(relayed);
            lineB.send(relayed);
        }
    }

    @Override
    public void close() throws IOException
    {
        relayIn.close();
        lineA.close();
        lineB.close();
    }
}
