package org.oobnet.packet.port;

import org.oobnet.packet.PacketSocketState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bound OOB packet sockets of one {@link org.oobnet.packet.PacketProtocol} (one runtime's), by interface: what
 * {@code oobnet net query} lists as ports. Owned by the protocol instance, not the process: two runtimes (or two
 * protocol instances in tests) never see each other's sockets.
 * <p>
 * <b>Note:</b> in-band only; thread safe.
 */
public final class PacketPorts
{
    private final Set<PacketSocketState> bound = ConcurrentHashMap.newKeySet();

    /**
     * An empty set of ports (a protocol makes its own; a process without one reports none).
     */
    public PacketPorts()
    {
    }

    /**
     * In-band, from the bind hook.
     *
     * @param state a bound socket's state.
     */
    public void register(final PacketSocketState state)
    {
        bound.add(state);
    }

    /**
     * In-band, from the destroy hook.
     *
     * @param state the socket's state.
     */
    public void unregister(final PacketSocketState state)
    {
        bound.remove(state);
    }

    /**
     * The bound sockets, by interface name then descriptor.
     *
     * @param interfaceName only this interface, or null for all.
     * @return a snapshot.
     */
    public List<PacketSocketState> snapshot(final String interfaceName)
    {
        final List<PacketSocketState> list = new ArrayList<>();
        for (final PacketSocketState state : bound)
        {
            if (null == interfaceName || interfaceName.equals(state.interfaceName()))
            {
                list.add(state);
            }
        }
        list.sort(Comparator.comparing((PacketSocketState s) -> String.valueOf(s.interfaceName()))
            .thenComparingInt(s -> s.socket().ksocket().fd()));
        return list;
    }
}
