package org.oobnet.harness.bench.transport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The UDP transports this build has, by name, and the ones that are planned but not in it yet (so that asking for
 * them gives a clear reason, not "unknown"). Adding a transport is one {@code register} line.
 * <p>
 * <b>Note:</b> immutable after class initialisation, thread safe.
 */
public final class Transports
{
    private static final Map<String, UdpTransport> AVAILABLE = new LinkedHashMap<>();
    private static final Map<String, String> PLANNED = new LinkedHashMap<>();

    static
    {
        // Fastest first: the order of comparisons and of the demo's rows.
        PLANNED.put("packet", "the OOB stage on PACKET_MMAP rings (oob-udp over oob-packet) has not landed in " +
            "this build");
        PLANNED.put("kernel", "the OOB stage busy-polling a kernel UDP socket (oob-udp's kernel transport) has not " +
            "landed in this build");
        register(new StageUdpTransport("packet",
            "UDP/IPv4 framed by the OOB stage on PACKET_MMAP rings (oob-udp)", true));
        register(new StageUdpTransport("kernel",
            "the OOB stage busy-polling a kernel UDP socket (oob-udp's kernel transport)", false));
        register(new InbandTransport());
    }

    private Transports()
    {
    }

    private static void register(final UdpTransport transport)
    {
        PLANNED.remove(transport.name());
        AVAILABLE.put(transport.name(), transport);
    }

    /**
     * @param name a transport name.
     * @return the transport.
     * @throws IllegalArgumentException naming the transport and why it is not available.
     */
    public static UdpTransport byName(final String name)
    {
        final UdpTransport transport = AVAILABLE.get(name);
        if (transport != null)
        {
            return transport;
        }
        final String why = PLANNED.get(name);
        if (why != null)
        {
            throw new IllegalArgumentException("transport=" + name + " is not available: " + why);
        }
        throw new IllegalArgumentException("transport=" + name + " is unknown; known: " + names());
    }

    /**
     * @param name a transport name.
     * @return whether this build has it.
     */
    public static boolean isAvailable(final String name)
    {
        return AVAILABLE.containsKey(name);
    }

    /**
     * @return the transports of this build, fastest first.
     */
    public static List<UdpTransport> available()
    {
        return new ArrayList<>(AVAILABLE.values());
    }

    /**
     * @return every name, available or planned.
     */
    public static List<String> names()
    {
        final List<String> names = new ArrayList<>(PLANNED.keySet());
        names.addAll(AVAILABLE.keySet());
        return names;
    }

    /**
     * @return planned transports missing from this build, with the reason.
     */
    public static Map<String, String> missing()
    {
        return new LinkedHashMap<>(PLANNED);
    }
}
