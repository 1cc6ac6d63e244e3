package org.oobnet.harness.bench.feed;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.inband.DatagramBatch;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.publish.LineFaults;

/**
 * The publisher of {@code oobnet feed bench}: sends a {@link BenchFeed}'s prebuilt packets on line A (clean) and
 * line B (its packets dropped by a seeded {@link LineFaults} schedule, the same drops in every phase) with
 * {@code sendmmsg(2)}, {@code batch} packets per call and line, from {@code mmsghdr} vectors built once: per batch
 * it only stamps the send time into the messages and makes two calls. So that the receiver, not the publisher, is
 * what a phase measures, nothing else happens on this thread; the request server has its own.
 * <p>
 * <b>Note:</b> in-band; {@link #publish} from one thread (in the publishing namespace), which also made the sockets.
 */
final class BenchPublisher implements AutoCloseable
{
    private static final long END_OF_SESSION_PERIOD_NS = 20_000_000L;

    private final BenchFeed feed;
    private final int batch;
    private final long rate;
    private final Arena arena = Arena.ofShared();
    private final KSocket lineA;
    private final KSocket lineB;
    private final DatagramBatch vectorA;
    private final DatagramBatch vectorB;
    private final DatagramBatch endOfSession;
    // keptBefore[p]: line B's packets kept before packet p, i.e. p's place in vectorB
    private final int[] keptBefore;
    private final RealtimeNanoClock clock = new RealtimeNanoClock();
    private long sendErrors;
    private long lastErrno;

    /**
     * In the publishing namespace: the two sockets and their vectors.
     *
     * @param feed      the packets.
     * @param groupA    line A's destination.
     * @param groupB    line B's destination.
     * @param local     this host's address: the lines leave by its interface.
     * @param lossB     the fraction of line B's packets dropped.
     * @param seed      the drops' seed.
     * @param batch     packets per {@code sendmmsg} call and line.
     * @param rate      messages per second, 0 as fast as the sockets take them.
     * @throws ErrnoException when a socket cannot be made.
     */
    BenchPublisher(
        final BenchFeed feed,
        final InetSocketAddress groupA,
        final InetSocketAddress groupB,
        final InetAddress local,
        final double lossB,
        final long seed,
        final int batch,
        final long rate) throws ErrnoException
    {
        this.feed = feed;
        this.batch = batch;
        this.rate = rate;
        final int packets = feed.packetCount();
        this.keptBefore = new int[packets + 1];
        final LineFaults.Schedule drops = new LineFaults(seed, lossB, 0, 0).schedule();
        for (int p = 0; p < packets; p++)
        {
            keptBefore[p + 1] = keptBefore[p] + (LineFaults.Action.DROP == drops.next() ? 0 : 1);
        }
        this.lineA = sender(local);
        this.lineB = sender(local);
        final MemorySegment addressA = SockAddr.encode(groupA, arena);
        final MemorySegment addressB = SockAddr.encode(groupB, arena);
        this.vectorA = new DatagramBatch(Math.max(1, packets));
        this.vectorB = new DatagramBatch(Math.max(1, keptBefore[packets]));
        for (int p = 0; p < packets; p++)
        {
            vectorA.set(p, feed.packet(p), addressA);
            if (keptBefore[p + 1] != keptBefore[p])
            {
                vectorB.set(keptBefore[p], feed.packet(p), addressB);
            }
        }
        this.endOfSession = new DatagramBatch(2);
        endOfSession.set(0, feed.packet(packets), addressA);
        endOfSession.set(1, feed.packet(packets), addressB);
    }

    /**
     * Sends the whole session on both lines, then repeats the end of session until {@code done} says the receiver
     * has it all (so that a receiver which lost it learns where the session ends).
     *
     * @param done polled between ends of session.
     * @return the publishing time in ns, first packet to last.
     */
    long publish(final BooleanSupplier done)
    {
        final int packets = feed.packetCount();
        final long perPacket = feed.perPacket();
        final long startNs = System.nanoTime();
        for (int p = 0; p < packets; p += batch)
        {
            final int to = Math.min(packets, p + batch);
            if (rate > 0)
            {
                final long dueNs = startNs + p * perPacket * 1_000_000_000L / rate;
                while (System.nanoTime() - dueNs < 0)
                {
                    Thread.onSpinWait();
                }
            }
            feed.stamp(p, to, clock.nanoTime());
            send(lineA, vectorA, p, to - p);
            send(lineB, vectorB, keptBefore[p], keptBefore[to] - keptBefore[p]);
        }
        final long publishNs = System.nanoTime() - startNs;
        while (!done.getAsBoolean())
        {
            send(lineA, endOfSession, 0, 1);
            send(lineB, endOfSession, 1, 1);
            LockSupport.parkNanos(END_OF_SESSION_PERIOD_NS);
        }
        return publishNs;
    }

    /** @return line B's packets the schedule drops. */
    long droppedB()
    {
        return keptBefore.length - 1 - keptBefore[keptBefore.length - 1];
    }

    /** @return sendmmsg calls that failed (each retried). */
    long sendErrors()
    {
        return sendErrors;
    }

    /** @return the last failure's errno name, or "none". */
    String lastError()
    {
        return 0 == lastErrno ? "none" : Errno.name((int)lastErrno);
    }

    private void send(final KSocket socket, final DatagramBatch vector, final int first, final int count)
    {
        int sent = 0;
        while (sent < count)
        {
            try
            {
                sent += socket.sendMmsg(vector, first + sent, count - sent, 0);
            }
            catch (final ErrnoException ex)
            {
                // ENOBUFS and the like: the kernel took nothing; yield to the receiving side and try again
                sendErrors++;
                lastErrno = ex.errno();
                Thread.yield();
            }
        }
    }

    // a kernel UDP socket whose multicast leaves by the interface of `local`, TTL 1, no loopback
    private static KSocket sender(final InetAddress local) throws ErrnoException
    {
        final KSocket socket = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment inAddr = arena.allocate(4, 4);
            inAddr.copyFrom(MemorySegment.ofArray(local.getAddress()));
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_IF, inAddr);
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_LOOP, 0);
            socket.bind(new InetSocketAddress(local, 0));
            return socket;
        }
        catch (final ErrnoException | RuntimeException ex)
        {
            closeQuietly(socket);
            throw ex;
        }
    }

    private static void closeQuietly(final KSocket socket)
    {
        try
        {
            socket.close();
        }
        catch (final ErrnoException ex)
        {
            // closing after a failed set-up: nothing else to undo
        }
    }

    @Override
    public void close()
    {
        closeQuietly(lineA);
        closeQuietly(lineB);
        vectorA.close();
        vectorB.close();
        endOfSession.close();
        arena.close();
    }
}
