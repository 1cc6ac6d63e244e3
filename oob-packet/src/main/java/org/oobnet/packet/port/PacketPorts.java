package org.oobnet.packet.port;

import org.oobnet.packet.PacketSocketState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bound OOB packet sockets of this process, by interface: what {@code oobnet net query} lists as ports.
 * <p>
 * <b>Note:</b> in-band only; thread safe.
 */
public final class PacketPorts
{
    private static final Set<PacketSocketState> BOUND = ConcurrentHashMap.newKeySet();

    private PacketPorts()
    {
    }

    /**
     * In-band, from the bind hook.
     *
     * @param state a bound socket's state.
     */
    public static void register(final PacketSocketState state)
    {
        BOUND.add(state);
    }

    /**
     * In-band, from the destroy hook.
     *
     * @param state the socket's state.
     */
    public static void unregister(final PacketSocketState state)
    {
        BOUND.remove(state);
    }

    /**
     * The bound sockets, by interface name then descriptor.
     *
     * @param interfaceName only this interface, or null for all.
     * @return a snapshot.
     */
    public static List<PacketSocketState> snapshot(final String interfaceName)
    {
        final List<PacketSocketState> list = new ArrayList<>();
        for (final PacketSocketState state : BOUND)
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
