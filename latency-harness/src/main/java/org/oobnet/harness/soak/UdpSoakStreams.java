package org.oobnet.harness.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oobnet.harness.env.ChildJvm;
import org.oobnet.harness.env.TempTree;

/**
 * The soak's oob-udp streams seen from the parent: a sender child JVM in namespace A and a receiver child JVM in B
 * ({@link UdpSoakPeer}; the OOB hooks are one per JVM and a UDP stack serves one namespace), one pair of children
 * per incarnation of the veth pairs. Faults reach them as commands; at each {@link #stop()} their books are added to
 * the two ledgers, sequences going on where the previous children stopped.
 * <p>
 * <b>Note:</b> in-band; called from the soak's schedule thread only.
 */
final class UdpSoakStreams implements AutoCloseable
{
    private static final long ANSWER_TIMEOUT_MS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SoakNetwork network;
    private final int ratePerSecond;
    private final StreamLedger packet;
    private final StreamLedger kernel;
    private final StreamLedger mcast;
    private final List<String> problems;
    private final SoakLedgers ledgers;
    private final Path logDir;
    private Peer sender;
    private Peer receiver;
    private int incarnations;
    private long transmittedAtStart;
    private long receiverTapped;

    UdpSoakStreams(final SoakNetwork network, final int ratePerSecond, final SoakLedgers ledgers) throws IOException
    {
        this.network = network;
        this.ratePerSecond = ratePerSecond;
        this.packet = ledgers.udpPacket;
        this.kernel = ledgers.udpKernel;
        this.mcast = ledgers.udpMcast;
        this.problems = ledgers.problems;
        this.ledgers = ledgers;
        this.logDir = Files.createTempDirectory("oobnet-soak-udp-");
    }

    /**
     * Starts a receiver in B, then a sender in A, each answering {@code READY}.
     *
     * @throws IOException when a child cannot start or does not get ready.
     */
    void start() throws IOException
    {
        incarnations++;
        transmittedAtStart = network.kernelPairTransmitted();
        receiver = Peer.start(network.namespaceB, logDir.resolve("receiver-" + incarnations + ".err"),
            List.of("soak-peer", "--role", "receive", "--rate", Integer.toString(ratePerSecond)));
        receiver.await("READY");
        sender = Peer.start(network.namespaceA, logDir.resolve("sender-" + incarnations + ".err"),
            List.of("soak-peer", "--role", "send", "--rate", Integer.toString(ratePerSecond),
                "--first-packet-sequence", Long.toString(packet.sent),
                "--first-kernel-sequence", Long.toString(kernel.sent),
                "--first-mcast-sequence", Long.toString(mcast.sent)));
        sender.await("READY");
    }

    /**
     * Sends a command to the sender without waiting for it to finish.
     *
     * @param command e.g. {@code burst 5000}.
     * @throws IOException when the child is gone.
     */
    void toSender(final String command) throws IOException
    {
        sender.jvm.tell(command);
    }

    /**
     * Sends a command to the receiver without waiting for it to finish.
     *
     * @param command e.g. {@code stall 500}.
     * @throws IOException when the child is gone.
     */
    void toReceiver(final String command) throws IOException
    {
        receiver.jvm.tell(command);
    }

    /** Waits until the sender finished its command. */
    void senderDone(final String command) throws IOException
    {
        sender.await("DONE " + command);
    }

    /** Waits until the receiver finished its command. */
    void receiverDone(final String command) throws IOException
    {
        receiver.await("DONE " + command);
    }

    /**
     * Stops the sender (its queues drain first), then the receiver (once nothing more arrives), and adds their
     * books to the ledgers.
     *
     * @throws IOException when a child does not report.
     */
    void stop() throws IOException
    {
        sender.jvm.tell("stop");
        final JsonNode sent = sender.result();
        receiver.jvm.tell("stop");
        final JsonNode received = receiver.result();
        absorb("sender", sent);
        absorb("receiver", received);
        receiverTapped = received.get("packetTapped").asLong();
        sender.jvm.waitFor(30_000);
        receiver.jvm.waitFor(30_000);
        countSilentDiscards(sent);
        sender = null;
        receiver = null;
    }

    // While a carrier goes down, datagrams that still find a route reach the noop qdisc, which discards them and
    // reports success: what sendmmsg reported sent and A's end of pair two never transmitted was discarded there
    // (pair two carries this stream only)
    private void countSilentDiscards(final JsonNode sent) throws IOException
    {
        final long transmitted = network.kernelPairTransmitted() - transmittedAtStart;
        final long silent = sent.get("kernelAccepted").asLong() - transmitted;
        if (silent < 0)
        {
            problems.add("udp sender child " + incarnations + ": veth transmitted=" + transmitted +
                " more than sendmmsg reported sent=" + sent.get("kernelAccepted").asLong());
        }
        kernel.drop("sender: discarded by the kernel as the carrier went down (noop qdisc; sendmmsg-accepted " +
            "less veth-transmitted)", Math.max(0, silent));
    }

    /**
     * After {@link #stop()}: the frames the last receiver's packet port took from B's end of pair one (its RX ring:
     * delivered, dropped by the ring, or dropped with a reason).
     *
     * @return frames.
     */
    long receiverTapped()
    {
        return receiverTapped;
    }

    private void absorb(final String side, final JsonNode result) throws IOException
    {
        for (final JsonNode stream : result.get("streams"))
        {
            final UdpPeerBooks.PeerResult books = JSON.treeToValue(stream, UdpPeerBooks.PeerResult.class);
            switch (books.stream())
            {
                case "udp-packet" -> packet.absorb(books);
                case "udp-kernel" -> kernel.absorb(books);
                case "udp-mcast" -> mcast.absorb(books);
                default -> throw new IOException("udp " + side + " child reported stream=" + books.stream());
            }
        }
        final String who = "udp " + side + " child " + incarnations;
        ledgers.stageAllocated("udp " + side + " children", result.get("stageAllocBytes").asLong());
        if (!result.get("stageAlive").asBoolean())
        {
            problems.add(who + ": the stage thread died");
        }
        if (result.get("stageErrors").asLong() != 0)
        {
            problems.add(who + ": stage errors=" + result.get("stageErrors").asLong());
        }
        for (final String resource : List.of("descriptors", "socketMappings"))
        {
            final JsonNode values = result.get(resource);
            if (values.get(0).asLong() != values.get(1).asLong())
            {
                problems.add(who + ": " + resource + " not back: " + values.get(0) + " -> " + values.get(1));
            }
        }
    }

    @Override
    public void close()
    {
        for (final Peer peer : new Peer[]{ sender, receiver })
        {
            if (null != peer)
            {
                peer.jvm.close();
            }
        }
        TempTree.delete(logDir);
    }

    /** One child and the lines it printed. */
    private record Peer(ChildJvm jvm, BlockingQueue<String> lines)
    {
        static Peer start(final String namespace, final Path stderr, final List<String> args) throws IOException
        {
            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final ChildJvm jvm = ChildJvm.start(
                ChildJvm.command(List.of("ip", "netns", "exec", namespace), -1, false, args), stderr, lines::add);
            return new Peer(jvm, lines);
        }

        void await(final String answer) throws IOException
        {
            take(answer);
        }

        JsonNode result() throws IOException
        {
            return JSON.readTree(take("RESULT ").substring("RESULT ".length()));
        }

        private String take(final String prefix) throws IOException
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS);
            while (System.nanoTime() - deadline < 0)
            {
                final String line;
                try
                {
                    line = lines.poll(100, TimeUnit.MILLISECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for " + prefix.trim(), ex);
                }
                if (null != line && line.startsWith(prefix))
                {
                    return line;
                }
                if (null == line && !jvm.isAlive() && lines.isEmpty())
                {
                    throw new IOException("udp soak child exited before " + prefix.trim() + ": " + jvm.stderrTail());
                }
            }
            throw new IOException("udp soak child did not answer " + prefix.trim() + " within " + ANSWER_TIMEOUT_MS +
                " ms: " + jvm.stderrTail());
        }
    }
}
