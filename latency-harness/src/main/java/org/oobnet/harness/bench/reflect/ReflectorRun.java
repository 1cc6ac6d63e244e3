package org.oobnet.harness.bench.reflect;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;

import org.oobnet.harness.bench.msg.SockperfReply;
import org.oobnet.harness.bench.transport.ReflectorEndpoint;
import org.oobnet.harness.bench.transport.TransportSettings;
import org.oobnet.harness.bench.transport.UdpTransport;

/**
 * A UDP reflector speaking sockperf's ping-pong format: answers client messages that request a pong, ignores the
 * rest, counts and drops malformed datagrams (the first few are described on the error stream). Prints
 * {@code READY <address>:<port>} once bound, so that a parent process knows where to send.
 * <p>
 * <b>Note:</b> {@link #run} blocks the calling thread; {@link #requestStop()} from any thread ends it within one
 * receive timeout.
 */
public final class ReflectorRun
{
    /** The line a reflector prints once it is bound, followed by {@code address:port}. */
    public static final String READY = "READY ";

    private static final int MALFORMED_REPORTED = 10;

    private final UdpTransport transport;
    private final InetSocketAddress bind;
    private final TransportSettings settings;
    private volatile boolean running = true;
    private long received;
    private long replied;
    private long ignored;
    private long malformed;

    /**
     * @param transport the transport.
     * @param bind      where to listen.
     * @param settings  the endpoint's settings.
     */
    public ReflectorRun(final UdpTransport transport, final InetSocketAddress bind, final TransportSettings settings)
    {
        this.transport = transport;
        this.bind = bind;
        this.settings = settings;
    }

    /**
     * Reflects until stopped or {@code durationNs} passed.
     *
     * @param out        where {@code READY} and the final counts go.
     * @param err        where malformed datagrams are described.
     * @param durationNs how long to run, 0 for until stopped.
     * @throws IOException when the transport fails.
     */
    public void run(final PrintStream out, final PrintStream err, final long durationNs) throws IOException
    {
        try (ReflectorEndpoint endpoint = transport.openReflector(bind, settings))
        {
            final InetSocketAddress local = endpoint.localAddress();
            out.println(READY + local.getHostString() + ":" + local.getPort());
            out.flush();
            final SockperfReply reply = new SockperfReply();
            final long end = System.nanoTime() + durationNs;
            while (running && (durationNs == 0 || end - System.nanoTime() > 0))
            {
                final int length = endpoint.receive();
                if (length < 0)
                {
                    continue;
                }
                received++;
                final int action = reply.apply(endpoint.buffer(), length);
                if (action == SockperfReply.REPLY)
                {
                    endpoint.replyToSender(length);
                    replied++;
                }
                else if (action == SockperfReply.MALFORMED)
                {
                    if (++malformed <= MALFORMED_REPORTED)
                    {
                        err.println("oobnet reflect: dropped malformed datagram: " +
                            reply.header().describe(reply.header().check(length), length));
                    }
                }
                else
                {
                    ignored++;
                }
            }
            out.println("oobnet reflect: received=" + received + " replied=" + replied + " ignored=" + ignored +
                " malformed=" + malformed);
            out.flush();
        }
    }

    /**
     * Ends {@link #run} within one receive timeout.
     */
    public void requestStop()
    {
        running = false;
    }

    /**
     * @return datagrams answered so far (reflector thread's view).
     */
    public long replied()
    {
        return replied;
    }

    /**
     * @return malformed datagrams dropped so far.
     */
    public long malformed()
    {
        return malformed;
    }
}
