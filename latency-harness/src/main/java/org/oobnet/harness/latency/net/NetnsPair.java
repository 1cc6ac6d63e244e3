package org.oobnet.harness.latency.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two network namespaces {@code oobh<pid>-a} (measuring side, 10.251.0.1/24) and {@code oobh<pid>-b} (reflector,
 * 10.251.0.2/24) joined by a veth pair. Removed by {@link #close()} and by a shutdown hook when the JVM exits
 * early; namespaces left by harness processes that died are removed by {@link #removeStale()}.
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

    private static final Pattern OWN = Pattern.compile("^" + PREFIX + "(\\d+)-[ab]$");

    private final String clientNs;
    private final String reflectorNs;
    private final String clientVeth;
    private final String reflectorVeth;
    private final Thread shutdownHook;
    private boolean closed;

    private NetnsPair(final String base)
    {
        this.clientNs = base + "-a";
        this.reflectorNs = base + "-b";
        // veth names: at most 15 characters; "oobh" + pid + a/b fits any 32-bit pid
        this.clientVeth = base + "a";
        this.reflectorVeth = base + "b";
        shutdownHook = new Thread(this::closeQuietly, "oobnet-netns-cleanup");
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
        removeStale();
        final long pid = ProcessHandle.current().pid();
        final String base = PREFIX + pid;
        final NetnsPair pair = new NetnsPair(base);
        Runtime.getRuntime().addShutdownHook(pair.shutdownHook);
        try
        {
            final String vethA = pair.clientVeth;
            final String vethB = pair.reflectorVeth;
            IpCommand.ip("netns", "add", pair.clientNs);
            IpCommand.ip("netns", "add", pair.reflectorNs);
            IpCommand.ip("link", "add", vethA, "netns", pair.clientNs, "type", "veth", "peer", "name", vethB,
                "netns", pair.reflectorNs);
            configure(pair.clientNs, vethA, CLIENT_ADDRESS);
            configure(pair.reflectorNs, vethB, REFLECTOR_ADDRESS);
            return pair;
        }
        catch (final IOException ex)
        {
            pair.close();
            throw ex;
        }
    }

    private static void configure(final String ns, final String dev, final String address) throws IOException
    {
        IpCommand.ip("-n", ns, "link", "set", "lo", "up");
        IpCommand.ip("-n", ns, "addr", "add", address + "/24", "dev", dev);
        IpCommand.ip("-n", ns, "link", "set", dev, "up");
    }

    /**
     * Removes {@code oobh<pid>-*} namespaces whose process no longer runs.
     *
     * @return the names removed.
     */
    public static List<String> removeStale()
    {
        final List<String> removed = new ArrayList<>();
        final String list;
        try
        {
            list = IpCommand.ip("netns", "list");
        }
        catch (final IOException ex)
        {
            return removed;
        }
        for (final String line : list.split("\n"))
        {
            final String name = line.trim().split("\\s+")[0];
            final Matcher m = OWN.matcher(name);
            if (!m.matches())
            {
                continue;
            }
            final long pid = Long.parseLong(m.group(1));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                continue;
            }
            try
            {
                IpCommand.ip("netns", "del", name);
                removed.add(name);
            }
            catch (final IOException ignored)
            {
                // another harness removed it first
            }
        }
        return removed;
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
        return List.of("ip", "netns", "exec", reflectorSide ? reflectorNs : clientNs);
    }

    @Override
    public String interfaceName(final boolean reflectorSide)
    {
        return reflectorSide ? reflectorVeth : clientVeth;
    }

    /**
     * @return both namespace names, measuring side first.
     */
    public List<String> namespaces()
    {
        return List.of(clientNs, reflectorNs);
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        // deleting a namespace deletes its end of the veth pair, and with it the other end
        for (final String ns : namespaces())
        {
            try
            {
                IpCommand.ip("netns", "del", ns);
            }
            catch (final IOException ignored)
            {
                // never created, or already gone
            }
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignored)
        {
            // the JVM is shutting down: this is the hook running
        }
    }

    private void closeQuietly()
    {
        close();
    }
}
