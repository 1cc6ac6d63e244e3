package org.oobnet.udp;

import org.oobnet.core.StageDevice;
import org.oobnet.udp.transport.KernelBusyPollTransport;

/**
 * A kernel-transport UDP socket as a stage device: its own kernel socket polled with one {@code recvmmsg} and fed
 * with one {@code sendmmsg} per cycle ({@link KernelBusyPollTransport}). Such a socket owns its I/O, so it is a
 * device of its own; it goes on the stage with the socket (or when the socket switches to the kernel transport)
 * and leaves with it.
 * <p>
 * <b>Note:</b> {@link #poll}/{@link #flush} stage only.
 */
final class KernelSocketDevice implements StageDevice
{
    private final UdpSocketState state;
    private final KernelBusyPollTransport transport;
    private final String name;

    // stage only: whether the stage polls this device
    boolean onStage;

    KernelSocketDevice(final UdpSocketState state, final KernelBusyPollTransport transport)
    {
        this.state = state;
        this.transport = transport;
        this.name = "udp kernel socket fd=" + state.fd;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int poll(final long nowNs)
    {
        return transport.poll(state) + transport.pollErrors(nowNs);
    }

    @Override
    public int flush(final long nowNs)
    {
        return transport.flush(nowNs);
    }

    @Override
    public int attachedSockets()
    {
        return 1;
    }
}
