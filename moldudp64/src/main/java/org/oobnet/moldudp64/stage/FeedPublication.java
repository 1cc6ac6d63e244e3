package org.oobnet.moldudp64.stage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.StageCommand;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.DownstreamPacketBuilder;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64DropCounters;
import org.oobnet.moldudp64.MoldUdp64DropReason;
import org.oobnet.moldudp64.MoldUdp64HeaderFlyweight;
import org.oobnet.moldudp64.RequestPacketParser;
import org.oobnet.moldudp64.publish.MoldUdp64RingStore;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.UdpSockets;

/**
 * A publishing feed socket, all on the stage: each message the application sends gets the next sequence number,
 * goes into the packet being filled and into a {@link MoldUdp64RingStore}; at the cycle's flush (or when the next
 * message does not fit) the packet goes to every line, and an idle feed sends heartbeats. One OOB UDP child,
 * bound to the request port, sends the lines and answers requests from the store.
 * <p>
 * A line whose send fails (TX ring full) misses that packet: receivers take it from another line or ask for it.
 */
final class FeedPublication extends FeedEndpoint implements OobReceiveHandler
{
    private static final MoldUdp64Counter.PublisherKind[] KINDS = MoldUdp64Counter.PublisherKind.values();

    private final UnsafeBuffer session = new UnsafeBuffer(new byte[MoldUdp64Descriptor.SESSION_LENGTH]);
    private final UnsafeBuffer packet;
    private final UnsafeBuffer answer;
    private final UnsafeBuffer record;
    private final DownstreamPacketBuilder builder = new DownstreamPacketBuilder();
    private final DownstreamPacketBuilder answerBuilder = new DownstreamPacketBuilder();
    private final MoldUdp64DropCounters requestDrops = new MoldUdp64DropCounters();
    private final RequestPacketParser requests = new RequestPacketParser(requestDrops);
    private final MoldUdp64RingStore store;
    // stage only, from the install command on
    private OobSocket lines;
    private int[] lineAddresses;
    private int[] linePorts;
    private ProtocolCounters counters;
    private long lastSentNs;
    private long nowNs;
    private boolean detached;

    FeedPublication(final OobSocket socket, final MoldUdp64ProtocolConfig config)
    {
        super(socket, config);
        this.packet = new UnsafeBuffer(new byte[config.packetCapacity()]);
        this.answer = new UnsafeBuffer(new byte[config.packetCapacity()]);
        this.record = new UnsafeBuffer(new byte[UdpAddressHeader.LENGTH + config.packetCapacity()]);
        this.store = new MoldUdp64RingStore(config.storeMessages(), config.maxMessageLength());
    }

    @Override
    int open(final MoldUdp64Address address) throws ErrnoException
    {
        final ProtocolCounters counters = socket.newProtocolCounters(MoldUdp64Counter.publisher());
        if (null == counters)
        {
            return -Errno.ENOBUFS;
        }
        MoldUdp64HeaderFlyweight.encodeSession(address.session(), session, 0);
        builder.start(packet, 0, config.packetCapacity(), session, 0, MoldUdp64Descriptor.FIRST_SEQUENCE);
        final KSocket kernelChild = openChild(address.localAddress(), address.requestPort(), 0, 0);
        if (0 != address.localAddress() && hasMulticastLine(address))
        {
            // groups leave by the local address's interface, with or without a multicast route
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment interfaceAddress = arena.allocate(4, 4);
                interfaceAddress.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0,
                    address.localAddress());
                kernelChild.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_IF, interfaceAddress);
            }
        }
        final OobSocket child = OobSocket.of(kernelChild);
        child.stageReceiveHandler(this);
        return socket.runtimeStage().callOnStage(new Install(this, child, address, counters)) < 0 ? -Errno.ENETDOWN : 0;
    }

    private static boolean hasMulticastLine(final MoldUdp64Address address)
    {
        for (final int line : address.lineAddresses())
        {
            if (isMulticast(line))
            {
                return true;
            }
        }
        return false;
    }

    @Override
    int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        return 0;
    }

    // tag::send[]
    @Override
    int send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == lines)
        {
            return -Errno.EDESTADDRREQ; // not bound: no lines to send on
        }
        if (length > config.maxMessageLength())
        {
            return -Errno.EMSGSIZE;
        }
        if (!builder.tryAppend(buffer, offset, length))
        {
            sendPacket(builder.length());
            builder.tryAppend(buffer, offset, length); // fits an empty packet: checked above
        }
        store.append(buffer, offset, length);
        counters.increment(MoldUdp64Counter.PublisherKind.MESSAGES.ordinal());
        return length;
    }
    // end::send[]

    @Override
    int flush(final long nowNs)
    {
        this.nowNs = nowNs;
        if (null == lines)
        {
            return 0;
        }
        if (builder.messageCount() > 0)
        {
            sendPacket(builder.length());
            return 1;
        }
        if (nowNs - lastSentNs >= config.heartbeatIntervalNs())
        {
            // an idle feed says where it is, so receivers see a tail loss
            sendPacket(builder.heartbeat());
            counters.increment(MoldUdp64Counter.PublisherKind.HEARTBEATS.ordinal());
            return 1;
        }
        return 0;
    }

    @Override
    void onStageDetach()
    {
        detached = true;
    }

    /** Stage: a request on the request port; answered with one packet from the store. */
    @Override
    public void onMessage(final OobSocket child, final DirectBuffer buffer, final int offset, final int length)
    {
        if (detached || null == counters)
        {
            return;
        }
        final int requestOffset = offset + UdpAddressHeader.LENGTH;
        if (MoldUdp64DropReason.NONE != requests.parse(buffer, requestOffset, length - UdpAddressHeader.LENGTH) ||
            !requests.header().sessionEquals(session, 0))
        {
            counters.increment(MoldUdp64Counter.PublisherKind.REQUESTS_UNANSWERED.ordinal());
            return;
        }
        answerBuilder.start(answer, 0, config.packetCapacity(), session, 0, requests.sequence());
        if (0 == store.appendTo(answerBuilder, requests.sequence(), requests.count()))
        {
            counters.increment(MoldUdp64Counter.PublisherKind.REQUESTS_UNANSWERED.ordinal());
            return;
        }
        final int rc = UdpSockets.oobSendTo(child, record, UdpSockets.peerAddress(buffer, offset),
            UdpSockets.peerPort(buffer, offset), answer, 0, answerBuilder.length());
        counters.increment(rc >= 0 || -Errno.EINPROGRESS == rc ?
            MoldUdp64Counter.PublisherKind.REQUESTS_ANSWERED.ordinal() :
            MoldUdp64Counter.PublisherKind.REQUESTS_UNANSWERED.ordinal());
    }

    private void sendPacket(final int length)
    {
        for (int i = 0; i < lineAddresses.length; i++)
        {
            final int rc = UdpSockets.oobSendTo(lines, record, lineAddresses[i], linePorts[i], packet, 0, length);
            if (rc < 0 && -Errno.EINPROGRESS != rc)
            {
                counters.increment(MoldUdp64Counter.PublisherKind.LINE_SEND_FAILURES.ordinal());
            }
        }
        counters.increment(MoldUdp64Counter.PublisherKind.PACKETS.ordinal());
        lastSentNs = nowNs;
        builder.start(packet, 0, config.packetCapacity(), session, 0, store.newest() + 1);
    }

    /** Stage: the child socket, the lines and the counters become the stage's. */
    private static final class Install extends StageCommand
    {
        private final FeedPublication publication;
        private final OobSocket child;
        private final MoldUdp64Address address;
        private final ProtocolCounters counters;

        Install(final FeedPublication publication, final OobSocket child, final MoldUdp64Address address,
            final ProtocolCounters counters)
        {
            this.publication = publication;
            this.child = child;
            this.address = address;
            this.counters = counters;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            publication.counters = counters;
            publication.lineAddresses = address.lineAddresses();
            publication.linePorts = address.linePorts();
            publication.lastSentNs = nowNs;
            publication.lines = child;
            return 0;
        }
    }
}
