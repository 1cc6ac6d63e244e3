package org.oobnet.moldudp64.stage;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.StageCommand;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64FeedCounters;
import org.oobnet.moldudp64.MoldUdp64Handler;
import org.oobnet.moldudp64.MoldUdp64LineCounters;
import org.oobnet.moldudp64.MoldUdp64Receiver;
import org.oobnet.udp.UdpSockets;

/**
 * A subscribing feed socket: one OOB UDP child per line and one for requests, a {@link StageFeedReceiver} that
 * arbitrates them on the stage, and every outcome delivered to the feed socket as a {@link MoldUdp64Record}
 * ({@link OobSocket#deliver}: zero copy from the record to a stage receive handler, else one copy into the
 * socket's receive ring). The receiver's counters are published to the counters file every millisecond.
 */
final class FeedSubscription extends FeedEndpoint implements MoldUdp64Handler
{
    private static final long COUNTERS_PERIOD_NS = 1_000_000L;
    private static final int KINDS = MoldUdp64Counter.LineKind.values().length;

    private final UnsafeBuffer record =
        new UnsafeBuffer(new byte[MoldUdp64Record.HEADER_LENGTH + MoldUdp64Descriptor.MAX_PACKET_LENGTH]);
    // stage only, from the install command on
    private StageFeedReceiver feed;
    private ProtocolCounters counters;
    private long nextCountersNs;
    private boolean detached;

    FeedSubscription(final OobSocket socket, final MoldUdp64ProtocolConfig config)
    {
        super(socket, config);
    }

    @Override
    int open(final MoldUdp64Address address) throws ErrnoException
    {
        final int lineCount = address.lineCount();
        final ProtocolCounters counters = socket.newProtocolCounters(MoldUdp64Counter.subscriber(lineCount));
        if (null == counters)
        {
            return -Errno.ENOBUFS;
        }
        final OobSocket[] lines = new OobSocket[lineCount];
        for (int i = 0; i < lineCount; i++)
        {
            lines[i] = OobSocket.of(openChild(0, address.linePorts()[i], address.lineAddresses()[i], address.localAddress()));
        }
        final KSocket request = openChild(address.localAddress(), 0, 0, 0);
        UdpSockets.solicit(OobSocket.of(request), address.requestAddress(), false);
        final StageFeedReceiver feed = new StageFeedReceiver(config.recovery(lineCount), this, lines,
            OobSocket.of(request), address.requestAddress(), address.requestPort());
        // the receive handlers may run from now on; poll, flush and the counters start with the command
        return socket.runtimeStage().callOnStage(new Install(this, feed, counters)) < 0 ? -Errno.ENETDOWN : 0;
    }

    @Override
    int poll(final long nowNs)
    {
        final StageFeedReceiver feed = this.feed;
        if (null == feed)
        {
            return 0;
        }
        final int work = feed.doWork(nowNs);
        if (nowNs - nextCountersNs >= 0)
        {
            nextCountersNs = nowNs + COUNTERS_PERIOD_NS;
            publishCounters();
        }
        return work;
    }

    @Override
    int flush(final long nowNs)
    {
        return 0;
    }

    @Override
    int send(final DirectBuffer buffer, final int offset, final int length)
    {
        return -Errno.EOPNOTSUPP; // a subscriber only receives; requests are its own business
    }

    @Override
    void onStageDetach()
    {
        detached = true;
        if (null != feed)
        {
            publishCounters();
        }
    }

    /**
     * Stage: the receiver, for tests and tools that read its counters on the stage.
     *
     * @return the receiver, null before bind.
     */
    MoldUdp64Receiver receiver()
    {
        return null == feed ? null : feed.receiver();
    }

    // tag::deliver[]
    @Override
    public void onMessage(
        final long sequence, final DirectBuffer buffer, final int offset, final int length, final int line,
        final long rxTimestampNs)
    {
        deliver(MoldUdp64Record.writeMessage(record, line, sequence, rxTimestampNs, buffer, offset, length));
    }
    // end::deliver[]

    @Override
    public void onLost(final long fromSequence, final long count)
    {
        MoldUdp64Record.writeHeader(record, 0, MoldUdp64Record.LOST, 0, fromSequence, count);
        deliver(MoldUdp64Record.HEADER_LENGTH);
    }

    @Override
    public void onSession(final DirectBuffer session, final int offset, final long nextSequence)
    {
        MoldUdp64Record.writeHeader(record, 0, MoldUdp64Record.SESSION, 0, nextSequence, 0);
        record.putBytes(MoldUdp64Record.HEADER_LENGTH, session, offset, MoldUdp64Descriptor.SESSION_LENGTH);
        deliver(MoldUdp64Record.HEADER_LENGTH + MoldUdp64Descriptor.SESSION_LENGTH);
    }

    @Override
    public void onEndOfSession(final long nextSequence)
    {
        MoldUdp64Record.writeHeader(record, 0, MoldUdp64Record.END_OF_SESSION, 0, nextSequence, 0);
        deliver(MoldUdp64Record.HEADER_LENGTH);
    }

    private void deliver(final int length)
    {
        if (!detached)
        {
            // a full receive ring drops the record and counts it (drops ring full): the consumer fell behind
            socket.deliver(record, 0, length);
        }
    }

    private void publishCounters()
    {
        final MoldUdp64Receiver receiver = feed.receiver();
        final int lineCount = receiver.lineCount();
        for (int line = 0; line <= lineCount; line++)
        {
            final MoldUdp64LineCounters c = receiver.line(line);
            final int base = line * KINDS;
            set(base + MoldUdp64Counter.LineKind.PACKETS.ordinal(), c.packets());
            set(base + MoldUdp64Counter.LineKind.MESSAGES.ordinal(), c.messages());
            set(base + MoldUdp64Counter.LineKind.WINS.ordinal(), c.wins());
            set(base + MoldUdp64Counter.LineKind.GAPS.ordinal(), c.gaps());
            set(base + MoldUdp64Counter.LineKind.DUPLICATES.ordinal(), c.duplicates());
            set(base + MoldUdp64Counter.LineKind.RECOVERED.ordinal(), c.filled());
            set(base + MoldUdp64Counter.LineKind.MALFORMED.ordinal(), c.drops().dropped());
            if (line < lineCount)
            {
                // the gaps this line revealed; the request server's row has the feed's totals
                set(base + MoldUdp64Counter.LineKind.REQUESTS.ordinal(), c.requests());
                set(base + MoldUdp64Counter.LineKind.LOST.ordinal(), c.lost());
                set(base + MoldUdp64Counter.LineKind.RE_REQUESTS.ordinal(), c.rerequests());
            }
        }
        final MoldUdp64FeedCounters f = receiver.feed();
        final int server = lineCount * KINDS;
        set(server + MoldUdp64Counter.LineKind.REQUESTS.ordinal(), f.requests());
        set(server + MoldUdp64Counter.LineKind.LOST.ordinal(), f.lost());
        set(server + MoldUdp64Counter.LineKind.RE_REQUESTS.ordinal(), f.requestRetries());
    }

    private void set(final int index, final long value)
    {
        counters.counter(index).setRelease(value);
    }

    /** Stage: the receiver and the counters become the stage's. */
    private static final class Install extends StageCommand
    {
        private final FeedSubscription subscription;
        private final StageFeedReceiver feed;
        private final ProtocolCounters counters;

        Install(final FeedSubscription subscription, final StageFeedReceiver feed, final ProtocolCounters counters)
        {
            this.subscription = subscription;
            this.feed = feed;
            this.counters = counters;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            subscription.counters = counters;
            subscription.feed = feed;
            return 0;
        }
    }
}
