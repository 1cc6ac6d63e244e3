package org.oobnet.harness.soak;

import org.oobnet.core.OobSocket;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.config.UdpTransport;
import org.oobnet.udp.UdpSockets;

/**
 * The three OOB UDP sockets of a {@link UdpSoakPeer}, one per stream: packet transport over pair one, kernel
 * busy-poll transport over pair two, multicast over pair four.
 * <p>
 * <b>Note:</b> in-band; made by the peer's thread, bound by its side, closed by {@link UdpPeerBooks}.
 */
record UdpSoakSockets(KSocket packet, KSocket kernel, KSocket mcast)
{
    static UdpSoakSockets open() throws ErrnoException
    {
        return new UdpSoakSockets(UdpSockets.open(UdpTransport.PACKET), UdpSockets.open(UdpTransport.KERNEL),
            UdpSockets.open(UdpTransport.PACKET));
    }

    // each resolved while the socket is open (a closed socket has no context)
    OobSocket packetOob()
    {
        return OobSocket.of(packet);
    }

    OobSocket kernelOob()
    {
        return OobSocket.of(kernel);
    }

    OobSocket mcastOob()
    {
        return OobSocket.of(mcast);
    }
}
