package org.oobnet.example.seqmsg;


import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobSocket;
import org.oobnet.core.StageCommand;
import org.oobnet.core.OobStage;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.packet.bpf.BpfFilterBuilder;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.ring.PacketRingOptions;
import org.oobnet.packet.ring.PacketRingSocket;
import org.oobnet.packet.ring.RxRing;
import org.oobnet.packet.ring.TxRing;
import org.oobnet.packet.stats.PacketCounters;

import static org.oobnet.example.seqmsg.SeqMsgHeaderFlyweight.ETHER_TYPE;
import static org.oobnet.example.seqmsg.SeqMsgHeaderFlyweight.HEADER_LENGTH;

/**
 * One seqmsg socket's state: in-band, the AF_PACKET socket and its mapped rings; on the stage, the rings' producer
 * and consumer, the sender's sequence and history, the receiver's {@link GapTracker}.
 * <p>
 * <b>Note:</b> fields are owned by one stage each, as marked. The in-band side opens the socket and its rings with
 * {@link PacketRingSocket}, hands the rings to the stage with an {@link InstallCommand} (published by the command
 * queue) and releases them only in {@code release}, after the stage let go of the socket.
 */
final class SeqMsgEndpoint implements PacketFrameHandler
{
    /** Ethernet broadcast: DATA and heartbeats go to every receiver of the segment. */
    static final long BROADCAST = EthernetHeaderFlyweight.BROADCAST;
    private static final int ETH = EthernetHeaderFlyweight.HEADER_LENGTH;
    private static final int RX_BATCH = 64;

    private final OobSocket socket;
    private final SeqMsgConfig config;
    private final SeqMsgCounters counters = new SeqMsgCounters();
    private final PacketCounters packetCounters = new PacketCounters();

    // in-band only
    private PacketRingSocket rings;

    // stage only
    private final GapTracker tracker;
    private final MessageHistory history;
    private final EthernetHeaderFlyweight rxEthernet = new EthernetHeaderFlyweight();
    private final EthernetHeaderFlyweight txEthernet = new EthernetHeaderFlyweight();
    private final SeqMsgHeaderFlyweight rxHeader = new SeqMsgHeaderFlyweight();
    private final SeqMsgHeaderFlyweight txHeader = new SeqMsgHeaderFlyweight();
    private RxRing rx;
    private TxRing tx;
    private long sourceMac;
    private int stream;
    private long peerMac = BROADCAST;
    private long nowNs;
    private long lastSendNs;

    SeqMsgEndpoint(final OobSocket socket, final SeqMsgConfig config)
    {
        this.socket = socket;
        this.config = config;
        this.tracker = new GapTracker(config.nakRetryNs(), counters);
        this.history = new MessageHistory(config.historyCapacity(), config.maxPayloadBytes());
    }

    SeqMsgCounters counters()
    {
        return counters;
    }

    PacketCounters packetCounters()
    {
        return packetCounters;
    }

    // ---------------------------------------------------------------------------------------------------------
    // In-band

    boolean isBound()
    {
        return null != rings;
    }

    // tag::bind[]
    /**
     * In-band, from the bind hook: open the AF_PACKET socket of the interface, filtered to our EtherType, with its
     * rings mapped, and hand the rings to the stage. A failed open leaves nothing open.
     */
    int bind(final String interfaceName, final int stream)
    {
        final PacketRingSocket rings;
        try
        {
            rings = PacketRingSocket.open(new PacketRingOptions()
                .interfaceName(interfaceName)
                .etherType(ETHER_TYPE)
                .filter(BpfFilterBuilder.filter().etherType(ETHER_TYPE).build())
                .rxRing(config.rxGeometry())
                .txRing(config.txGeometry())
                .ignoreOutgoing(true)
                .counters(packetCounters));
        }
        catch (final ErrnoException ex)
        {
            return -ex.errno();
        }
        this.rings = rings;
        // the stage owns rx/tx from here; the command queue publishes them, the crossing waits for the stage
        socket.runtimeStage().callOnStage(new InstallCommand(this, rings.rx(), rings.tx(), rings.link().mac(), stream));
        return 0;
    }
    // end::bind[]

    // tag::release[]
    /**
     * In-band, from release or destroy, once the stage let go of the socket: unmap the rings, then close the
     * AF_PACKET socket. Idempotent.
     */
    void closeInBand()
    {
        final PacketRingSocket rings = this.rings;
        this.rings = null;
        if (null != rings)
        {
            rings.release();
            rings.close();
        }
    }
    // end::release[]

    // ---------------------------------------------------------------------------------------------------------
    // Stage

    // stage, from InstallCommand
    void install(final RxRing rx, final TxRing tx, final long sourceMac, final int stream, final long nowNs)
    {
        this.rx = rx;
        this.tx = tx;
        this.sourceMac = sourceMac;
        this.stream = stream;
        this.lastSendNs = nowNs;
    }

    // stage: the socket leaves the stage; never touch the rings again (release unmaps them next)
    void onStageDetach()
    {
        rx = null;
        tx = null;
    }

    // tag::poll[]
    /** Stage, every cycle: take the frames the kernel filled; each goes to {@link #onFrame}. */
    int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        final RxRing rx = this.rx;
        return null == rx ? 0 : rx.poll(this, RX_BATCH);
    }
    // end::poll[]

    /** Stage: a frame of our EtherType, a view valid during the call only. */
    @Override
    public void onFrame(
        final DirectBuffer buffer, final int offset, final int length, final int wireLength, final long timestampNs,
        final int vlanTci, final int ifIndex)
    {
        final EthernetHeaderFlyweight ethernet = rxEthernet.wrap(buffer, offset);
        final int headerOffset = offset + ethernet.headerLength();
        if (length < ethernet.headerLength() + HEADER_LENGTH || ethernet.etherType() != ETHER_TYPE)
        {
            counters.increment(SeqMsgCounter.MALFORMED);
            return;
        }
        final SeqMsgHeaderFlyweight header = rxHeader.wrap(buffer, headerOffset);
        final int payloadLength = header.payloadLength();
        if (header.version() != SeqMsgHeaderFlyweight.VERSION || payloadLength < 0 ||
            payloadLength > length - (headerOffset - offset) - HEADER_LENGTH)
        {
            counters.increment(SeqMsgCounter.MALFORMED);
            return;
        }
        if (header.stream() != stream)
        {
            counters.increment(SeqMsgCounter.OTHER_STREAM);
            return;
        }
        final long source = ethernet.source();
        switch (header.type())
        {
            case SeqMsgHeaderFlyweight.TYPE_DATA, SeqMsgHeaderFlyweight.TYPE_RETRANSMIT ->
                onData(source, header.sequence(), buffer, headerOffset + HEADER_LENGTH, payloadLength);
            case SeqMsgHeaderFlyweight.TYPE_HEARTBEAT ->
            {
                counters.increment(SeqMsgCounter.HEARTBEATS_RECEIVED);
                peerMac = source;
                tracker.onHeartbeat(header.sequence(), nowNs);
                sendNakIfAsked();
            }
            case SeqMsgHeaderFlyweight.TYPE_NAK -> serveNak(source, header.sequence(), header.aux());
            case SeqMsgHeaderFlyweight.TYPE_UNAVAILABLE -> tracker.onUnavailable(header.aux());
            default -> counters.increment(SeqMsgCounter.MALFORMED);
        }
    }

    // tag::deliver[]
    private void onData(
        final long source, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        peerMac = source;
        if (tracker.onData(sequence, nowNs) == GapTracker.DELIVER)
        {
            // zero copy to a stage receive handler, else one copy into the socket's receive ring
            if (socket.deliver(buffer, offset, length) == -Errno.ENOBUFS)
            {
                // the consumer fell behind: not delivered, so not lost either; asked for again like a lost one
                tracker.rewind(sequence);
                counters.increment(SeqMsgCounter.RECEIVE_RING_FULL);
            }
            else
            {
                counters.increment(SeqMsgCounter.MESSAGES_DELIVERED);
            }
        }
        sendNakIfAsked();
    }
    // end::deliver[]

    private void sendNakIfAsked()
    {
        if (tracker.takeNak() &&
            sendFrame(peerMac, SeqMsgHeaderFlyweight.TYPE_NAK, tracker.nakFrom(), tracker.nakTo(), null, 0, 0))
        {
            counters.increment(SeqMsgCounter.NAKS_SENT);
        }
    }

    // a sender serves a NAK from its history; what it no longer holds is answered with UNAVAILABLE
    private void serveNak(final long requester, final long from, final long to)
    {
        counters.increment(SeqMsgCounter.NAKS_RECEIVED);
        final MessageHistory history = this.history;
        final long newest = history.newest();
        if (0 == newest || from > to)
        {
            return;
        }
        final long oldest = history.oldest();
        long first = from;
        if (first < oldest)
        {
            if (sendFrame(requester, SeqMsgHeaderFlyweight.TYPE_UNAVAILABLE, first, oldest, null, 0, 0))
            {
                counters.increment(SeqMsgCounter.UNAVAILABLE_SENT);
            }
            first = oldest;
        }
        final long last = Math.min(to, newest);
        for (long s = first; s <= last; s++)
        {
            if (!sendFrame(requester, SeqMsgHeaderFlyweight.TYPE_RETRANSMIT, s, 0,
                history.buffer(), history.offset(s), history.length(s)))
            {
                return; // TX ring full: the receiver asks again after its retry interval
            }
            counters.increment(SeqMsgCounter.RETRANSMITS_SENT);
        }
    }

    // tag::send[]
    /** Stage: sequence one message, keep it in the history, write it straight into a TX ring frame. */
    int send(final DirectBuffer buffer, final int offset, final int length)
    {
        final TxRing tx = this.tx;
        if (null == tx)
        {
            return -Errno.EDESTADDRREQ; // not bound: no interface to send on
        }
        if (length > config.maxPayloadBytes())
        {
            return -Errno.EMSGSIZE;
        }
        final long sequence = history.newest() + 1;
        if (config.lossHook().dropOnSend(sequence))
        {
            counters.increment(SeqMsgCounter.LOSS_INJECTED);
        }
        else if (!sendFrame(BROADCAST, SeqMsgHeaderFlyweight.TYPE_DATA, sequence, 0, buffer, offset, length))
        {
            return -Errno.EWOULDBLOCK; // no sequence used: the message stays queued and is retried
        }
        history.put(sequence, buffer, offset, length);
        counters.increment(SeqMsgCounter.MESSAGES_SENT);
        lastSendNs = nowNs;
        return length;
    }
    // end::send[]

    /** Stage, every cycle after the send ring drained: heartbeat when idle, NAK retries, one TX kick. */
    int flush(final long nowNs)
    {
        final TxRing tx = this.tx;
        if (null == tx)
        {
            return 0;
        }
        int work = 0;
        final long newest = history.newest();
        if (newest > 0 && nowNs - lastSendNs >= config.heartbeatIntervalNs() &&
            sendFrame(BROADCAST, SeqMsgHeaderFlyweight.TYPE_HEARTBEAT, newest, 0, null, 0, 0))
        {
            lastSendNs = nowNs;
            counters.increment(SeqMsgCounter.HEARTBEATS_SENT);
            work++;
        }
        tracker.onTimer(nowNs);
        sendNakIfAsked();
        final int kicked = tx.flush(nowNs);
        return work + Math.max(0, kicked);
    }

    long nextExpected()
    {
        return tracker.expected();
    }

    // stage: one frame into the TX ring, committed for the cycle's kick; false when the ring is full
    private boolean sendFrame(
        final long destination, final int type, final long sequence, final long aux,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        final TxRing tx = this.tx;
        final int frameLength = ETH + HEADER_LENGTH + payloadLength;
        if (null == tx || tx.claim(frameLength) < 0)
        {
            counters.increment(SeqMsgCounter.TX_RING_FULL);
            return false;
        }
        final UnsafeBuffer frame = tx.buffer();
        txEthernet.wrap(frame, 0).putHeader(destination, sourceMac, ETHER_TYPE);
        txHeader.wrap(frame, ETH).put(type, stream, payloadLength, sequence, aux);
        if (payloadLength > 0)
        {
            frame.putBytes(ETH + HEADER_LENGTH, payload, payloadOffset, payloadLength);
        }
        tx.commit(frameLength);
        return true;
    }

    /**
     * Hands the mapped rings to the stage: made in-band by {@code bind}, executed on the stage.
     */
    static final class InstallCommand extends StageCommand
    {
        private final SeqMsgEndpoint endpoint;
        private final RxRing rx;
        private final TxRing tx;
        private final long sourceMac;
        private final int stream;

        InstallCommand(final SeqMsgEndpoint endpoint, final RxRing rx, final TxRing tx, final long sourceMac,
            final int stream)
        {
            this.endpoint = endpoint;
            this.rx = rx;
            this.tx = tx;
            this.sourceMac = sourceMac;
            this.stream = stream;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            endpoint.install(rx, tx, sourceMac, stream, nowNs);
            return 0;
        }
    }
}
