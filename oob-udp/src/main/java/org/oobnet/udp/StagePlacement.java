package org.oobnet.udp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import org.oobnet.config.UdpTransport;
import org.oobnet.core.RuntimeStage;

/**
 * Puts an OOB UDP socket on the stage that serves its interface, so that the socket and the packet port it
 * receives and sends through belong to one stage: the interface of {@code SO_BINDTODEVICE} first, else of its
 * bound address, else of its connected peer's route. A stage named for the socket ({@code SO_OOB_STAGE}) wins; a
 * wildcard-bound, unconnected socket stays on the default stage. Only before the socket's first OOB I/O
 * ({@code EBUSY} after). With the packet transport the socket's stage then gets a port on each interface the socket
 * receives on ({@code UdpStack.servePorts}: the bound device's or address's, the route's, every one for a wildcard
 * bind), so a socket named onto a stage that does not serve its interface is served by a port of its own stage,
 * whether it is named before its bind or after ({@link #beforeMove}: the port opens before the socket moves).
 * <p>
 * <b>Note:</b> in-band only (the hooks of bind, connect and setsockopt); a runtime of one stage skips it all.
 */
final class StagePlacement
{
    private StagePlacement()
    {
    }

    // after bind (and connect's auto-bind): the interface that holds the local address; a wildcard bind receives on
    // every interface, so its stage needs a port on each
    static int onLocalAddress(final UdpSocketState state)
    {
        if (!severalStages(state) || state.boundToDevice)
        {
            return 0;
        }
        if (0 == state.localAddress)
        {
            state.boundInterface = null;
            return servePorts(state, state.socket.runtimeStage(), null);
        }
        final String ifname = interfaceOf(state.localAddress);
        state.boundInterface = ifname;
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
        final String device = 0 == end ? null : new String(bytes, 0, end, StandardCharsets.US_ASCII);
        state.boundDevice = device;
        state.boundToDevice = null != device;
        if (!severalStages(state) || null == device)
        {
            return 0;
        }
        return place(state, device);
    }

    // SO_OOB_STAGE, before the core moves the socket (OobProtocol.beforeStageMove): a socket already bound (to a
    // device, an address, or the wildcard) needs a port of the named stage where it receives, opened while the socket
    // still works on its old stage; a failure leaves it there. An unbound one gets the port at its bind. A move to
    // an interface's stage needs nothing: that stage serves the interface.
    static int beforeMove(final UdpSocketState state, final RuntimeStage to, final boolean byName)
    {
        if (!byName || !severalStages(state) || 0 == state.localPort)
        {
            return 0;
        }
        if (state.boundToDevice)
        {
            final String device = state.boundDevice;
            return null == device ? 0 : servePorts(state, to, device);
        }
        if (0 == state.localAddress)
        {
            return servePorts(state, to, null);
        }
        final String ifname = state.boundInterface;
        return null == ifname ? 0 : servePorts(state, to, ifname);
    }

    // the socket on the interface's stage unless named elsewhere; then its stage gets a port there if it has none
    private static int place(final UdpSocketState state, final String ifname)
    {
        final int rc = state.socket.placeOnInterface(ifname);
        return rc < 0 ? rc : servePorts(state, state.socket.runtimeStage(), ifname);
    }

    // the packet transport receives through its stage's ports (a socket's kernel transport is a device of its own)
    private static int servePorts(final UdpSocketState state, final RuntimeStage stage, final String ifname)
    {
        return UdpTransport.PACKET != state.transport || (null != ifname && null == state.stack.portNamed(ifname)) ? 0 :
            state.stack.servePorts(stage, ifname, state.socket);
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
