package org.oobnet.harness.bench.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A way of moving the ping-pong's UDP datagrams: {@code inband} (a blocking kernel socket on an ordinary thread),
 * and, as the modules land, {@code kernel} (the OOB stage busy-polling a kernel socket) and {@code packet} (the OOB
 * stage on PACKET_MMAP rings). Registered in {@link Transports}.
 * <p>
 * <b>Note:</b> implementations are stateless factories, thread safe.
 */
public interface UdpTransport
{
    /**
     * @return the name used by {@code --transport}.
     */
    String name();

    /**
     * @return one line for help texts and tables.
     */
    String description();

    /**
     * @return true when the transport needs raw sockets on a real interface (no loopback; root or CAP_NET_RAW).
     */
    boolean needsInterface();

    /**
     * @return true when both sides run on an OOB stage (oob-udp's transports) rather than through
     * {@link #openClient}/{@link #openReflector} on the calling thread.
     */
    default boolean onStage()
    {
        return false;
    }

    /**
     * Opens the measuring side, connected to {@code peer}.
     *
     * @param peer     the reflector.
     * @param settings CPU, idle strategy, sizes, timeouts.
     * @return the endpoint.
     * @throws IOException when it cannot be opened.
     */
    ClientEndpoint openClient(InetSocketAddress peer, TransportSettings settings) throws IOException;

    /**
     * Opens the reflecting side, bound to {@code bind}.
     *
     * @param bind     the local address (port 0: any free port).
     * @param settings CPU, idle strategy, sizes, timeouts.
     * @return the endpoint.
     * @throws IOException when it cannot be opened.
     */
    ReflectorEndpoint openReflector(InetSocketAddress bind, TransportSettings settings) throws IOException;
}
