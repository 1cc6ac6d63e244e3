package org.oobnet.harness.env;

import org.oobnet.netns.NetnsTopology;

import java.io.IOException;
import java.util.List;

/**
 * Two network namespaces {@code oobh<pid>-a} (measuring side, 10.251.0.1/24) and {@code oobh<pid>-b} (reflector,
 * 10.251.0.2/24) joined by a veth pair. Removed by {@link #close()} and by a shutdown hook when the JVM exits
 * early; namespaces left by harness processes that died are removed by {@link #removeStale()}. Built by inband-stack's
 * {@link NetnsTopology}.
 * <p>
 * <b>Note:</b> in-band only; needs CAP_NET_ADMIN and CAP_SYS_ADMIN (root).
 */
public final class NetnsPair implements RunNetwork
{
    /** Namespace names start with this, then the owning process id. */
    public static final String PREFIX = "oobh";
    /** The measuring side's address. */
    public static final String CLIENT_ADDRESS = "10.251.0.1";
    /** The reflector's address. */
    public static final String REFLECTOR_ADDRESS = "10.251.0.2";

    private final NetnsTopology topology;

    private NetnsPair(final NetnsTopology topology)
    {
        this.topology = topology;
    }

    /**
     * Creates the pair (first removing stale ones).
     *
     * @return the pair; close it.
     * @throws IOException when a namespace or the veth pair cannot be made (e.g. not privileged); whatever was
     *                     made is removed.
     */
    public static NetnsPair create() throws IOException
    {
        // veth names: at most 15 characters; "oobh" + pid + a/b fits any 32-bit pid
        final String base = PREFIX + ProcessHandle.current().pid();
        try
        {
            return new NetnsPair(NetnsTopology.builder(PREFIX)
                .hostSuffixes("a", "b")
                .interfaceNames(base + "a", base + "b")
                .create());
        }
        catch (final IllegalStateException ex)
        {
            throw new IOException(ex.getMessage(), ex);
        }
    }

    /**
     * Removes {@code oobh<pid>-*} namespaces whose process no longer runs.
     *
     * @return the names removed.
     */
    public static List<String> removeStale()
    {
        return NetnsTopology.removeStale(PREFIX);
    }

    @Override
    public String kind()
    {
        return "veth";
    }

    @Override
    public String reflectorAddress()
    {
        return REFLECTOR_ADDRESS;
    }

    @Override
    public List<String> prefix(final boolean reflectorSide)
    {
        return NetnsTopology.commandIn(topology.host(reflectorSide ? 1 : 0).namespace(), List.of());
    }

    @Override
    public String interfaceName(final boolean reflectorSide)
    {
        return topology.host(reflectorSide ? 1 : 0).interfaceName();
    }

    /**
     * @return both namespace names, measuring side first.
     */
    public List<String> namespaces()
    {
        return topology.namespaces();
    }

    @Override
    public void close()
    {
        // deleting a namespace deletes its end of the veth pair, and with it the other end
        topology.close();
    }
}
