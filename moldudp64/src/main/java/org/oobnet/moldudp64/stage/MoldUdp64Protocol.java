package org.oobnet.moldudp64.stage;

import java.lang.foreign.MemorySegment;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;

/**
 * MoldUDP64 as an SDK protocol: an {@code AF_OOB} feed socket that stacks on OOB UDP sockets. An application
 * opens it with {@code KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, IPPROTO_MOLDUDP64)} and binds it to a
 * {@link MoldUdp64Address}; the bind hook opens one OOB UDP socket per line and one for requests (the UDP
 * protocol must be registered under {@code AF_INET} in the same runtime) and closes them again in
 * {@code release}.
 * <ul>
 *   <li>A <b>subscriber</b> arbitrates its lines on the stage (first copy wins, gaps filled from another line,
 *       requests to the request server, lost ranges reported) and delivers each outcome as a
 *       {@link MoldUdp64Record}: to a stage receive handler, or into its receive ring.</li>
 *   <li>A <b>publisher</b> makes each message the application sends the next of its session, sends the packets on
 *       every line at the cycle's flush, heartbeats when idle, and answers requests from its store.</li>
 * </ul>
 * Per-line counters are in the counters file ({@link MoldUdp64Counter}), so {@code oobnet stat} shows them.
 * Registered by {@code ServiceLoader} (defaults) or explicitly with a {@link MoldUdp64ProtocolConfig}.
 * <p>
 * <b>Note:</b> one instance serves every socket it matched; its hooks follow docs/sdk.md.
 */
public final class MoldUdp64Protocol implements OobProtocol
{
    /** {@code SOCK_DGRAM}: the socket type served. */
    public static final int SOCK_DGRAM = 2;
    /** The protocol number that picks MoldUDP64 among the {@code AF_OOB} datagram protocols (the bus takes 0). */
    public static final int IPPROTO_MOLDUDP64 = 64;

    private final MoldUdp64ProtocolConfig config;

    /** With {@link MoldUdp64ProtocolConfig#defaults()}, for {@code ServiceLoader}. */
    public MoldUdp64Protocol()
    {
        this(MoldUdp64ProtocolConfig.defaults());
    }

    /**
     * @param config the feed sockets' settings.
     */
    public MoldUdp64Protocol(final MoldUdp64ProtocolConfig config)
    {
        this.config = config;
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
        return "moldudp64";
    }

    @Override
    public int match(final int type, final int protocol)
    {
        if (type != SOCK_DGRAM)
        {
            return -Errno.ESOCKTNOSUPPORT;
        }
        // protocol 0 is the AF_OOB bus's: answering EPROTONOSUPPORT lets the registry ask the next protocol
        return IPPROTO_MOLDUDP64 == protocol ? 0 : -Errno.EPROTONOSUPPORT;
    }
    // end::identity[]

    @Override
    public int attach(final OobSocket socket)
    {
        socket.protocolState(new Pending());
        return 0;
    }

    // tag::bind[]
    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        // in-band: the address says the role; the endpoint opens its OOB UDP sockets and installs itself on the stage
        final MoldUdp64Address decoded = MoldUdp64Address.decode(address);
        if (null == decoded)
        {
            final int rc = MoldUdp64Address.check(address);
            return rc < 0 ? rc : -Errno.EINVAL; // the shape is right, a field is out of range
        }
        final Pending pending = socket.protocolState();
        final FeedEndpoint endpoint;
        synchronized (pending)
        {
            if (null != pending.endpoint || pending.closed)
            {
                return -Errno.EINVAL;
            }
            endpoint = MoldUdp64Address.ROLE_SUBSCRIBE == decoded.role() ?
                new FeedSubscription(socket, config) : new FeedPublication(socket, config);
            pending.endpoint = endpoint;
        }
        return endpoint.bind(decoded);
    }
    // end::bind[]

    @Override
    public boolean pollsEachSocket()
    {
        return true; // each socket runs its receiver's timers, or flushes its packet and heartbeats
    }

    @Override
    public int poll(final OobSocket socket, final long nowNs)
    {
        final FeedEndpoint endpoint = endpoint(socket);
        return null == endpoint ? 0 : endpoint.poll(nowNs);
    }

    @Override
    public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final FeedEndpoint endpoint = endpoint(socket);
        return null == endpoint ? -Errno.EDESTADDRREQ : endpoint.send(buffer, offset, length);
    }

    @Override
    public int flush(final OobSocket socket, final long nowNs)
    {
        final FeedEndpoint endpoint = endpoint(socket);
        return null == endpoint ? 0 : endpoint.flush(nowNs);
    }

    // tag::teardown[]
    @Override
    public void onStageDetach(final OobSocket socket)
    {
        // stage: stop delivering; the child sockets stay open until release
        final FeedEndpoint endpoint = endpoint(socket);
        if (null != endpoint)
        {
            endpoint.onStageDetach();
        }
    }

    @Override
    public void release(final OobSocket socket)
    {
        // in-band, after the stage acknowledged onStageDetach: close the OOB UDP sockets the feed stacks on
        close(socket);
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        // also after a failed attach or bind: the state may be missing or hold no endpoint
        close(socket);
    }
    // end::teardown[]

    private static void close(final OobSocket socket)
    {
        final Pending pending = socket.protocolState();
        if (null == pending)
        {
            return;
        }
        final FeedEndpoint endpoint;
        synchronized (pending)
        {
            pending.closed = true;
            endpoint = pending.endpoint;
        }
        if (null != endpoint)
        {
            endpoint.closeInBand();
        }
    }

    private static FeedEndpoint endpoint(final OobSocket socket)
    {
        final Pending pending = socket.protocolState();
        return null == pending ? null : pending.endpoint;
    }

    /** A socket's state: its endpoint once bound (the role comes with the address). */
    private static final class Pending
    {
        volatile FeedEndpoint endpoint;
        boolean closed;
    }
}
