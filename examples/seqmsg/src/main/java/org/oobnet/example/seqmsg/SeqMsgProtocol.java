package org.oobnet.example.seqmsg;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.packet.stats.PacketCounters;

/**
 * seqmsg: sequenced messages on raw Ethernet (EtherType 0x88B5) with NAK recovery, an example of a protocol
 * written against the hook SDK only.
 * <p>
 * {@code KSocket.socket(AF_OOB, SOCK_SEQPACKET | SOCK_OOB, 0)}; {@code bind} to a {@link SeqMsgAddress}
 * (interface + stream) opens an {@code AF_PACKET}/{@code SOCK_RAW} socket on the interface, filtered to the
 * EtherType by classic BPF, maps its TPACKET_V2 rings and hands them to the stage. A message sent on the socket
 * (send ring or {@code oobSend}) gets the stream's next sequence number, is kept in a bounded history and goes out
 * as one frame to the broadcast address; a receiver bound to the same stream delivers messages in order, asks for
 * the missing ones with a NAK when it sees a gap (or a heartbeat beyond what it has), and counts a gap the
 * sender's history can no longer fill. One sender per stream.
 * <ul>
 *   <li>OOB ioctl {@link #SEQMSG_IOC_NEXT_EXPECTED}: the next sequence the receiver will deliver.</li>
 *   <li>Counters: {@link #counters(OobSocket)} (protocol), {@link #packetCounters(OobSocket)} (rings), on top of
 *       the socket's own {@link OobSocket#counters()}.</li>
 * </ul>
 * <b>Note:</b> one instance serves every seqmsg socket of a runtime; per-socket state lives in
 * {@link OobSocket#protocolState()}. In-band hooks are thread safe per socket; stage methods run on the stage.
 */
public final class SeqMsgProtocol implements OobProtocol
{
    /** {@code SOCK_SEQPACKET}: the socket type seqmsg serves. */
    public static final int SOCK_SEQPACKET = 5;
    /** OOB ioctl: the next sequence the receiver will deliver. */
    public static final int SEQMSG_IOC_NEXT_EXPECTED = 0x5351_0001;

    private final SeqMsgConfig config;

    /**
     * With {@link SeqMsgConfig#defaults()}; public for {@link java.util.ServiceLoader}.
     */
    public SeqMsgProtocol()
    {
        this(SeqMsgConfig.defaults());
    }

    /**
     * @param config the protocol's configuration.
     */
    public SeqMsgProtocol(final SeqMsgConfig config)
    {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Any thread: the protocol counters of a seqmsg socket.
     *
     * @param socket the socket.
     * @return its counters.
     */
    public static SeqMsgCounters counters(final OobSocket socket)
    {
        return ((SeqMsgEndpoint)socket.protocolState()).counters();
    }

    /**
     * Any thread: the ring counters of a seqmsg socket.
     *
     * @param socket the socket.
     * @return its packet counters.
     */
    public static PacketCounters packetCounters(final OobSocket socket)
    {
        return ((SeqMsgEndpoint)socket.protocolState()).packetCounters();
    }

    // tag::identity[]
    @Override
    public int family()
    {
        return OobRuntime.AF_OOB;
    }

    @Override
    public String name()
    {
        return "seqmsg";
    }

    @Override
    public int match(final int type, final int protocol)
    {
        if (type != SOCK_SEQPACKET)
        {
            return -Errno.ESOCKTNOSUPPORT; // lets the registry try the family's next protocol
        }
        return 0 == protocol ? 0 : -Errno.EPROTONOSUPPORT;
    }
    // end::identity[]

    // tag::attach[]
    @Override
    public int attach(final OobSocket socket)
    {
        // in-band: allocate everything the stage will need, now
        socket.protocolState(new SeqMsgEndpoint(socket, config));
        return 0;
    }
    // end::attach[]

    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        final int rc = SeqMsgAddress.check(address);
        if (rc < 0)
        {
            return rc;
        }
        final SeqMsgEndpoint endpoint = socket.protocolState();
        synchronized (endpoint)
        {
            if (endpoint.isBound())
            {
                return -Errno.EINVAL;
            }
            return endpoint.bind(SeqMsgAddress.interfaceName(address), SeqMsgAddress.stream(address));
        }
    }

    // tag::teardown[]
    @Override
    public void onStageDetach(final OobSocket socket)
    {
        // stage: the last time the stage sees this socket; drop the rings before release unmaps them
        ((SeqMsgEndpoint)socket.protocolState()).onStageDetach();
    }

    @Override
    public void release(final OobSocket socket)
    {
        // in-band, after the stage acknowledged onStageDetach: unmapping is safe now
        final SeqMsgEndpoint endpoint = socket.protocolState();
        synchronized (endpoint)
        {
            endpoint.closeInBand();
        }
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        // in-band, last reference gone; also after a failed attach, so the state may be missing
        final SeqMsgEndpoint endpoint = socket.protocolState();
        if (null != endpoint)
        {
            synchronized (endpoint)
            {
                endpoint.closeInBand();
            }
        }
    }
    // end::teardown[]

    // tag::oobIoctl[]
    @Override
    public long oobIoctl(final OobSocket socket, final int request, final long arg)
    {
        if (request == SEQMSG_IOC_NEXT_EXPECTED)
        {
            return ((SeqMsgEndpoint)socket.protocolState()).nextExpected();
        }
        return -Errno.ENOTTY;
    }
    // end::oobIoctl[]

    // each endpoint owns its ring pair: the stage polls every socket like a device of its own
    @Override
    public boolean pollsEachSocket()
    {
        return true;
    }

    @Override
    public int poll(final OobSocket socket, final long nowNs)
    {
        return ((SeqMsgEndpoint)socket.protocolState()).poll(nowNs);
    }

    @Override
    public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        return ((SeqMsgEndpoint)socket.protocolState()).send(buffer, offset, length);
    }

    @Override
    public int flush(final OobSocket socket, final long nowNs)
    {
        return ((SeqMsgEndpoint)socket.protocolState()).flush(nowNs);
    }
}
