package org.oobnet.udp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import org.oobnet.config.UdpTransport;
/**
 * Puts an OOB UDP socket on the stage that serves its interface, so that the socket and the packet port it
 * receives and sends through belong to one stage: the interface of {@code SO_BINDTODEVICE} first, else of its
 * bound address, else of its connected peer's route. A stage named for the socket ({@code SO_OOB_STAGE}) wins; a
 * wildcard-bound, unconnected socket stays on the default stage. Only before the socket's first OOB I/O
 * ({@code EBUSY} after). A socket named onto a stage that does not serve the interface it binds to gets
 * {@code EXDEV} with the packet transport (the interface's port is another stage's; FIXME: one port per (stage,
 * interface) would serve it), never with the kernel transport.
 * <p>
 * <b>Note:</b> in-band only (the hooks of bind, connect and setsockopt); a runtime of one stage skips it all.
 */
final class StagePlacement
{
    private StagePlacement()
    {
    }

    // after bind (and connect's auto-bind): the interface that holds the local address
    static int onLocalAddress(final UdpSocketState state)
    {
        if (!severalStages(state) || state.boundToDevice || 0 == state.localAddress)
        {
            return 0;
        }
        final String ifname = interfaceOf(state.localAddress);
        return null == ifname ? 0 : place(state, ifname);
    }

    // after connect: the interface of the peer's route, unless the socket is bound to an address or a device
    static int onRoute(final UdpSocketState state, final int ifindex)
    {
        if (!severalStages(state) || state.boundToDevice || 0 != state.localAddress)
        {
            return 0;
        }
        final PacketPort port = state.stack.port(ifindex);
        return null == port ? 0 : place(state, port.name());
    }

    // SO_BINDTODEVICE: the device named (empty: unbound, the socket stays where it is)
    static int onBindToDevice(final UdpSocketState state, final MemorySegment value)
    {
        final byte[] bytes = value.toArray(ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < bytes.length && 0 != bytes[end])
        {
            end++;
        }
        state.boundToDevice = end > 0;
        if (!severalStages(state) || 0 == end)
        {
            return 0;
        }
        return place(state, new String(bytes, 0, end, StandardCharsets.US_ASCII));
    }

    // EXDEV: the socket was named onto a stage that does not serve the interface; with the packet transport its
    // datagrams would come through another stage's port (a socket's kernel transport has no such limit)
    private static int place(final UdpSocketState state, final String ifname)
    {
        final int rc = state.socket.placeOnInterface(ifname);
        if (rc < 0)
        {
            return rc;
        }
        final boolean elsewhere = state.socket.runtimeStage() != state.socket.runtime().stageForInterface(ifname);
        return elsewhere && UdpTransport.PACKET == state.transport && null != state.stack.portNamed(ifname) ?
            -org.oobnet.inband.Errno.EXDEV : 0;
    }

    private static boolean severalStages(final UdpSocketState state)
    {
        return state.socket.runtime().stages().size() > 1;
    }

    private static String interfaceOf(final int address)
    {
        try
        {
            final NetworkInterface nif = NetworkInterface.getByInetAddress(InetAddress.getByAddress(new byte[]{
                (byte)(address >>> 24), (byte)(address >>> 16), (byte)(address >>> 8), (byte)address}));
            return null == nif ? null : nif.getName();
        }
        catch (final SocketException | UnknownHostException ex)
        {
            return null;
        }
    }
}
