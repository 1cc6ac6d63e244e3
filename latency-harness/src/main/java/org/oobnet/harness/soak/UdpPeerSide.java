package org.oobnet.harness.soak;

/**
 * One side of a {@link UdpSoakPeer}: {@link UdpSoakSender} in namespace A or {@link UdpSoakReceiver} in B. Its
 * traffic runs on its own threads from {@link #start} to {@link #stop}; the commands run on the peer's thread.
 * <p>
 * <b>Note:</b> in-band.
 */
interface UdpPeerSide
{
    /** Binds (and connects or joins) the three sockets, before their first I/O. */
    void bind(UdpSoakSockets sockets) throws Exception;

    /** Starts the traffic threads. */
    void start(UdpSoakSockets sockets);

    /** The {@code stall MS}, {@code burst N} and {@code churn N} commands; returns when done. */
    void command(String command, long argument) throws Exception;

    /** Stops the traffic threads and closes the sockets into {@code books}. */
    void stop(UdpSoakSockets sockets, UdpPeerBooks books) throws Exception;
}
