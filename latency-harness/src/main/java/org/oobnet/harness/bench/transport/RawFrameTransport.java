package org.oobnet.harness.bench.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The {@code packet} scenario's path: raw Ethernet frames of a private EtherType ({@link #ETHER_TYPE}, IEEE's
 * "local experimental" 0x88B5) on oob-packet's TPACKET_V2 RX and TX rings, spinning on the RX ring's frame status.
 * The kernel's IP stack never sees these frames: this is the floor BENCHMARKS.md measures with C ({@code floor/raw}),
 * in Java. The measuring side sends to the broadcast address; the reflector answers the sender's MAC address. The
 * payload is the same sockperf message as the UDP scenarios'.
 * <p>
 * Not a UDP transport (no addresses, no ports): it is not in {@link Transports} and needs
 * {@link TransportSettings#interfaceName()}. <b>Note:</b> stateless factory, thread safe; each endpoint belongs to one
 * thread.
 */
public final class RawFrameTransport implements UdpTransport
{
    /** IEEE 802 local experimental EtherType 1. */
    public static final int ETHER_TYPE = 0x88B5;
    /** The name used in results. */
    public static final String NAME = "rings";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "raw Ethernet frames (EtherType 0x88B5) on oob-packet's TPACKET_V2 rings, spinning";
    }

    @Override
    public boolean needsInterface()
    {
        return true;
    }

    @Override
    public ClientEndpoint openClient(final InetSocketAddress peer, final TransportSettings settings)
        throws IOException
    {
        return RawFramePort.open(settings);
    }

    @Override
    public ReflectorEndpoint openReflector(final InetSocketAddress bind, final TransportSettings settings)
        throws IOException
    {
        return RawFramePort.open(settings);
    }
}
