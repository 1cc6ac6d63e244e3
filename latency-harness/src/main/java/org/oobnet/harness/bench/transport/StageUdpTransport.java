package org.oobnet.harness.bench.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * oob-udp's transports, whose datagrams the OOB stage sends and receives: {@code packet} (UDP/IPv4 framed by the
 * stage on PACKET_MMAP rings) and {@code kernel} (the stage busy-polling a kernel UDP socket). Both sides of a run
 * are stage tasks and callbacks ({@code org.oobnet.harness.bench.udp.OobUdpRuns}), so there is no endpoint for a
 * calling thread: {@link #openClient} and {@link #openReflector} refuse.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 */
public final class StageUdpTransport implements UdpTransport
{
    private final String name;
    private final String description;
    private final boolean needsInterface;

    /**
     * @param name           {@code packet} or {@code kernel}.
     * @param description    one line for tables.
     * @param needsInterface whether it needs raw sockets on a real interface.
     */
    public StageUdpTransport(final String name, final String description, final boolean needsInterface)
    {
        this.name = name;
        this.description = description;
        this.needsInterface = needsInterface;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String description()
    {
        return description;
    }

    @Override
    public boolean needsInterface()
    {
        return needsInterface;
    }

    @Override
    public boolean onStage()
    {
        return true;
    }

    @Override
    public ClientEndpoint openClient(final InetSocketAddress peer, final TransportSettings settings)
        throws IOException
    {
        throw new IOException("transport=" + name + " runs on the OOB stage: it has no calling-thread endpoint");
    }

    @Override
    public ReflectorEndpoint openReflector(final InetSocketAddress bind, final TransportSettings settings)
        throws IOException
    {
        throw new IOException("transport=" + name + " runs on the OOB stage: it has no calling-thread endpoint");
    }
}
