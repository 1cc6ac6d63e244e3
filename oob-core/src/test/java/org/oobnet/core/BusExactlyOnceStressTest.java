package org.oobnet.core;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;

/**
 * Hunts the once-seen "one message more than was sent" of the thousand-socket test: every message carries its
 * sender and sequence, so a message delivered twice, a message counted twice, or a counter bumped by a socket that
 * no longer owns its slot shows as a duplicate or as counters that disagree with what the consumer saw.
 * <p>
 * Three senders into one sink at once: two application threads through their send rings (the drain the stage runs
 * each cycle, and at release), and a stage task through the zero-copy claim straight into the sink's receive ring;
 * meanwhile short-lived sockets send one note each and close (half from another thread), and their counter slots
 * are reused at once by the next ones (a late writer would land on a live socket's counter).
 */
class BusExactlyOnceStressTest
{
    private static final int APP_SENDERS = 2;
    private static final int STAGE_SENDER = APP_SENDERS;
    private static final int CHURN_SENDER = APP_SENDERS + 1;
    private static final int CHURN_SOCKETS = 400;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverAndCountEveryMessageOnceWhenRingSendsZeroCopyClaimsAndChurnRace() throws Exception
    {
        // a small receive ring: drops happen, and the accounting has to hold across them too
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir).receiveRingBytes(4096)
                 .countersValuesBytes(1024 * 128).releaseDrainTimeoutNs(30_000_000_000L).build());
             Arena arena = Arena.ofShared())
        {
            final KSocket sink = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            sink.bind(OobBusAddress.encode("once-sink", arena));
            final OobSocket in = OobSocket.of(sink);

            final List<KSocket> sources = new ArrayList<>();
            for (int i = 0; i <= APP_SENDERS; i++)
            {
                final KSocket source = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
                source.connect(OobBusAddress.encode("once-sink", arena));
                sources.add(source);
            }

            // what the consumer saw: per sender, the last sequence, and any repeat or step back
            final long[] lastSeen = { -1, -1, -1, -1 };
            final AtomicLong duplicates = new AtomicLong();
            final AtomicLong consumed = new AtomicLong();
            final StringBuilder firstDuplicate = new StringBuilder();
            final AtomicBoolean running = new AtomicBoolean(true);
            final AtomicBoolean consuming = new AtomicBoolean(true);
            final Thread consumer = new Thread(() ->
            {
                final OobReceiveHandler handler = (s, b, o, l) ->
                {
                    consumed.incrementAndGet();
                    final int sender = b.getInt(o);
                    final long sequence = b.getLong(o + 8);
                    if (sender != CHURN_SENDER && sequence <= lastSeen[sender])
                    {
                        if (duplicates.getAndIncrement() == 0)
                        {
                            firstDuplicate.append("sender=").append(sender).append(" sequence=").append(sequence)
                                .append(" after=").append(lastSeen[sender]);
                        }
                    }
                    lastSeen[sender] = Math.max(lastSeen[sender], sequence);
                };
                while (consuming.get() || in.receiveQueuedBytes() > 0)
                {
                    if (in.poll(handler, 16) == 0)
                    {
                        Thread.yield();
                    }
                }
            }, "once-consumer");

            final AtomicLong[] sent = { new AtomicLong(), new AtomicLong(), new AtomicLong() };
            final List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < APP_SENDERS; p++)
            {
                final int sender = p;
                final OobSocket out = OobSocket.of(sources.get(p));
                producers.add(new Thread(() ->
                {
                    long sequence = 0;
                    while (running.get())
                    {
                        if (in.receiveQueuedBytes() > 2048)
                        {
                            // mostly keep pace with the consumer: deliveries, not only drops, race the churn
                            Thread.yield();
                        }
                        // zero copy into the send ring: claim, write, commit
                        final int index = out.tryClaim(16);
                        if (index >= 0)
                        {
                            out.sendBuffer().putInt(index, sender);
                            out.sendBuffer().putLong(index + 8, sequence++);
                            out.commit(index);
                            sent[sender].incrementAndGet();
                        }
                        else
                        {
                            Thread.yield();
                        }
                    }
                }, "once-producer-" + p));
            }

            final OobSocket stageOut = OobSocket.of(sources.get(STAGE_SENDER));
            final OobTask stageSender = new OobTask()
            {
                long sequence;

                @Override
                public int doWork(final long nowNs)
                {
                    if (!running.get())
                    {
                        return 0;
                    }
                    final int rc = stageOut.oobClaim(16);
                    if (rc < 0)
                    {
                        return 0; // the sink's ring is full (counted as send ring full), or not on the stage yet
                    }
                    final OobClaim claim = stageOut.claim();
                    claim.buffer().putInt(claim.offset(), STAGE_SENDER);
                    claim.buffer().putLong(claim.offset() + 8, sequence);
                    if (stageOut.oobCommit() >= 0)
                    {
                        sequence++;
                        sent[STAGE_SENDER].incrementAndGet();
                    }
                    return 1;
                }
            };

            consumer.start();
            producers.forEach(Thread::start);
            runtime.addTask(stageSender, OobTask.Schedule.EVERY_CYCLE);

            final UnsafeBuffer note = new UnsafeBuffer(new byte[16]);
            note.putInt(0, CHURN_SENDER);
            long notes = 0;
            for (int i = 0; i < CHURN_SOCKETS; i++)
            {
                final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
                socket.connect(OobBusAddress.encode("once-sink", arena));
                final OobSocket context = OobSocket.of(socket);
                note.putLong(8, i);
                if (context.offer(note, 0, 16) == 0)
                {
                    notes++;
                }
                if ((i & 1) == 0)
                {
                    socket.close();
                }
                else
                {
                    final Thread closer = new Thread(() ->
                    {
                        try
                        {
                            socket.close();
                        }
                        catch (final Exception ex)
                        {
                            throw new IllegalStateException(ex);
                        }
                    });
                    closer.start();
                    closer.join();
                }
                assertTrue(context.isDestroyed());
                assertEquals(0, context.counters().dropsClosed().get(), "note " + i + " drained, not dropped");
            }

            running.set(false);
            for (final Thread producer : producers)
            {
                producer.join();
            }
            runtime.removeTask(stageSender);
            for (int i = 0; i < APP_SENDERS; i++)
            {
                final OobSocket out = OobSocket.of(sources.get(i));
                CoreTests.await(() -> out.sendQueuedBytes() == 0, "sender drained");
            }
            final long cycles = runtime.counters().cycles().get();
            CoreTests.await(() -> runtime.counters().cycles().get() > cycles + 2, "a full cycle after the drain");
            consuming.set(false);
            consumer.join();

            long sentTotal = notes;
            long sourcesOut = 0;
            for (int i = 0; i <= APP_SENDERS; i++)
            {
                sentTotal += sent[i].get();
                final OobSocket out = OobSocket.of(sources.get(i));
                sourcesOut += out.counters().packetsOut().get();
                assertEquals(sent[i].get(), out.counters().packetsOut().get(), "sender " + i + " packets out");
                assertEquals(0, out.counters().dropsNoPeer().get() + out.counters().dropsProtocol().get());
            }
            final long delivered = in.counters().packetsIn().get();
            final long dropped = in.counters().dropsRingFull().get();
            final String books = "sent=" + sentTotal + " (notes=" + notes + ") sourcesOut=" + sourcesOut +
                " delivered=" + delivered + " dropped=" + dropped + " consumed=" + consumed.get();
            System.out.println("bus exactly-once books: " + books + " sinkCounterIds=" +
                in.counters().packetsIn().id() + ".." + in.counters().hookErrors().id());
            assertEquals(0, duplicates.get(), "duplicates: first " + firstDuplicate + "; " + books);
            assertEquals(CHURN_SOCKETS, notes, books);
            assertEquals(sentTotal, delivered + dropped, books);
            assertEquals(delivered, consumed.get(), books);
            assertTrue(sent[STAGE_SENDER].get() > 0 && sent[0].get() > 0 && sent[1].get() > 0, books);
            assertEquals(0, runtime.counters().errors().get());
            for (final KSocket source : sources)
            {
                source.close();
            }
            sink.close();
            assertEquals(-Errno.EBADF, in.poll((s, b, o, l) -> { }, 1), "the sink is gone");
        }
    }
}
