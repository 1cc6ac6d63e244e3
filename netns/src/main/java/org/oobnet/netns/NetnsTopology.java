package org.oobnet.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Throwaway hosts: N network namespaces joined by one veth pair (2 hosts) or by a bridge in an extra "switch"
 * namespace (3 or more), removed by {@link #close()}, by a JVM shutdown hook, and (when the JVM died) by the next
 * {@link #removeStale(String)} of the same prefix.
 * <p>
 * Names are {@code <prefix><pid><instance>-<suffix>}: the owner's process id makes them unique per process and lets
 * a sweep find the namespaces of dead owners. Host {@code i} (from 0) gets address {@code 10.251.<subnet>.<i+1>/24}
 * and the locally administered MAC {@code 02:00:0a:fb:<subnet>:<i+1>} (the address's bytes behind {@code 02:00}),
 * and its loopback is up. Only addresses in 10.251.0.0/16 are ever used.
 * <p>
 * <b>Note:</b> {@link #close()} is thread safe and idempotent; everything else is immutable after
 * {@link Builder#create()}. In-band only: each step forks {@code ip}. Needs CAP_NET_ADMIN and CAP_SYS_ADMIN.
 */
public final class NetnsTopology implements AutoCloseable
{
    /** Network prefix length of the host addresses. */
    public static final int PREFIX_LENGTH = 24;
    /** Most hosts one topology can have: addresses .1 to .200. */
    public static final int MAX_HOSTS = 200;
    /** Name of the bridge in the switch namespace. */
    public static final String BRIDGE = "br0";

    private static final Pattern PREFIX_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,15}");

    private final List<Host> hosts;
    private final String switchNamespace;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NetnsTopology(final List<Host> hosts, final String switchNamespace)
    {
        this.hosts = List.copyOf(hosts);
        this.switchNamespace = switchNamespace;
        this.shutdownHook = new Thread(this::deleteNamespaces, "netns-cleanup-" + hosts.get(0).namespace());
    }

    /**
     * Starts describing a topology whose namespace names start with {@code prefix}.
     *
     * @param prefix 1 to 16 characters, a lower-case letter then letters, digits or '-', such as {@code oobt}.
     * @return the builder.
     */
    public static Builder builder(final String prefix)
    {
        if (prefix == null || !PREFIX_PATTERN.matcher(prefix).matches())
        {
            throw new IllegalArgumentException("prefix=" + prefix + " must match " + PREFIX_PATTERN.pattern());
        }
        return new Builder(prefix);
    }

    /**
     * The hosts, in order.
     *
     * @return an unmodifiable list.
     */
    public List<Host> hosts()
    {
        return hosts;
    }

    /**
     * One host.
     *
     * @param index from 0.
     * @return the host.
     */
    public Host host(final int index)
    {
        return hosts.get(index);
    }

    /**
     * The switch namespace that holds the bridge.
     *
     * @return its name, or null for two hosts joined directly.
     */
    public String switchNamespace()
    {
        return switchNamespace;
    }

    /**
     * Names of every namespace of this topology: the hosts in order, then the switch when there is one.
     *
     * @return namespace names.
     */
    public List<String> namespaces()
    {
        final List<String> names = new ArrayList<>(hosts.size() + 1);
        for (final Host host : hosts)
        {
            names.add(host.namespace());
        }
        if (switchNamespace != null)
        {
            names.add(switchNamespace);
        }
        return names;
    }

    /**
     * A command line that runs {@code command} as a separate process inside a namespace.
     *
     * @param namespace the namespace's name.
     * @param command   the program and its arguments.
     * @return {@code ip netns exec <namespace> command...}, ready for {@link ProcessBuilder}.
     */
    public static List<String> commandIn(final String namespace, final List<String> command)
    {
        final String ip = IpCommand.ipBinary();
        final List<String> line = new ArrayList<>(command.size() + 4);
        line.add(ip == null ? "ip" : ip);
        line.add("netns");
        line.add("exec");
        line.add(namespace);
        line.addAll(command);
        return line;
    }

    /**
     * Removes every namespace (and with them the veth pairs and the bridge); a second call does nothing.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        deleteNamespaces();
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignore)
        {
            // Already shutting down: the hook is running or has run.
        }
    }

    /**
     * Removes the namespaces named {@code <prefix><pid>...} whose owner process is no longer alive.
     *
     * @param prefix the prefix given to {@link #builder(String)}.
     * @return the names removed.
     */
    public static List<String> removeStale(final String prefix)
    {
        final List<String> removed = new ArrayList<>();
        for (final String name : listNamespaces())
        {
            final long owner = ownerPid(prefix, name);
            if (owner > 0 && !ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false) &&
                IpCommand.tryRun("netns", "delete", name).ok())
            {
                removed.add(name);
            }
        }
        return removed;
    }

    /**
     * Names of all network namespaces that {@code ip netns} knows.
     *
     * @return namespace names; empty when they cannot be listed.
     */
    public static List<String> listNamespaces()
    {
        final List<String> names = new ArrayList<>();
        final IpCommand.Result result = IpCommand.tryRun("netns", "list");
        if (result.ok())
        {
            for (final String line : result.output().split("\n"))
            {
                final String trimmed = line.strip();
                if (!trimmed.isEmpty())
                {
                    names.add(trimmed.split("\\s+")[0]);
                }
            }
        }
        return names;
    }

    /**
     * The owner process id in a namespace name made with {@code prefix}.
     *
     * @param prefix    the prefix.
     * @param namespace a namespace name.
     * @return the digits right after the prefix (followed by a non-digit or the end), or -1 when there are none.
     */
    public static long ownerPid(final String prefix, final String namespace)
    {
        if (!namespace.startsWith(prefix))
        {
            return -1;
        }
        int end = prefix.length();
        while (end < namespace.length() && Character.isDigit(namespace.charAt(end)))
        {
            end++;
        }
        if (end == prefix.length() || end - prefix.length() > 10)
        {
            return -1;
        }
        return Long.parseLong(namespace, prefix.length(), end, 10);
    }

    private void build(final Builder options)
    {
        final int mtu = options.mtu;
        for (final String ns : namespaces())
        {
            IpCommand.run("netns", "add", ns);
            IpCommand.run("-n", ns, "link", "set", "lo", "up");
            if (options.disableIpv6)
            {
                // before the veth exists: it inherits default.disable_ipv6 and never sends a solicitation
                disableIpv6(ns);
            }
        }
        if (switchNamespace == null)
        {
            final Host a = hosts.get(0);
            final Host b = hosts.get(1);
            IpCommand.run("link", "add", "name", a.interfaceName(), "netns", a.namespace(), "type", "veth",
                "peer", "name", b.interfaceName(), "netns", b.namespace());
        }
        else
        {
            IpCommand.run("-n", switchNamespace, "link", "add", BRIDGE, "type", "bridge");
            IpCommand.run("-n", switchNamespace, "link", "set", BRIDGE, "up");
            for (final Host host : hosts)
            {
                final String port = "p" + host.index();
                IpCommand.run("link", "add", "name", host.interfaceName(), "netns", host.namespace(), "type", "veth",
                    "peer", "name", port, "netns", switchNamespace);
                if (mtu > 0)
                {
                    IpCommand.run("-n", switchNamespace, "link", "set", port, "mtu", Integer.toString(mtu));
                }
                IpCommand.run("-n", switchNamespace, "link", "set", port, "master", BRIDGE);
                IpCommand.run("-n", switchNamespace, "link", "set", port, "up");
            }
        }
        for (final Host host : hosts)
        {
            final String ns = host.namespace();
            final String dev = host.interfaceName();
            IpCommand.run("-n", ns, "link", "set", dev, "address", host.mac());
            if (mtu > 0)
            {
                IpCommand.run("-n", ns, "link", "set", dev, "mtu", Integer.toString(mtu));
            }
            if (options.assignAddresses)
            {
                IpCommand.run("-n", ns, "addr", "add", host.address() + "/" + PREFIX_LENGTH, "dev", dev);
            }
            IpCommand.run("-n", ns, "link", "set", dev, "up");
        }
        if (options.staticNeighbours && options.assignAddresses)
        {
            for (final Host host : hosts)
            {
                for (final Host peer : hosts)
                {
                    if (peer != host)
                    {
                        IpCommand.run("-n", host.namespace(), "neigh", "replace", peer.address(), "lladdr", peer.mac(),
                            "dev", host.interfaceName(), "nud", "permanent");
                    }
                }
            }
        }
    }

    /**
     * Sets {@code net.ipv6.conf.{all,default}.disable_ipv6=1} in {@code namespace}: from a short-lived platform
     * thread that entered it, because /proc/sys/net resolves against the opening thread's network namespace.
     */
    private static void disableIpv6(final String namespace)
    {
        final FutureTask<Void> task = new FutureTask<>(() ->
        {
            NamespaceEntry.enter(namespace);
            for (final String scope : new String[]{ "all", "default" })
            {
                final Path file = Path.of("/proc/sys/net/ipv6/conf", scope, "disable_ipv6");
                // a kernel without IPv6 has no such file and nothing to silence
                if (Files.exists(file))
                {
                    Files.writeString(file, "1");
                }
            }
            return null;
        });
        final Thread thread = Thread.ofPlatform().name("netns-sysctl-" + namespace).daemon(true).start(task);
        try
        {
            task.get();
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while disabling IPv6 in namespace=" + namespace, ex);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            final String reason = cause instanceof IOException ? "write failed: " + cause : cause.getMessage();
            throw new IllegalStateException("cannot disable IPv6 in namespace=" + namespace + ": " + reason, cause);
        }
    }

    private void deleteNamespaces()
    {
        for (final String ns : namespaces())
        {
            IpCommand.tryRun("netns", "delete", ns);
        }
    }

    /**
     * One host of a topology.
     *
     * @param index         position in the topology, from 0.
     * @param namespace     the network namespace's name.
     * @param interfaceName the veth inside the namespace.
     * @param address       the IPv4 address of the interface (prefix {@value #PREFIX_LENGTH}).
     * @param mac           the interface's MAC address, {@code 02:00:0a:fb:xx:yy}.
     */
    public record Host(int index, String namespace, String interfaceName, String address, String mac)
    {
    }

    /**
     * Describes a topology, then creates it.
     * <p>
     * <b>Note:</b> not thread safe; use from one thread.
     */
    public static final class Builder
    {
        private final String prefix;
        private String instance = "";
        private int hostCount = 2;
        private int subnet;
        private int mtu;
        private boolean staticNeighbours;
        private boolean disableIpv6;
        private boolean assignAddresses = true;
        private List<String> suffixes;
        private List<String> interfaceNames;

        private Builder(final String prefix)
        {
            this.prefix = prefix;
        }

        /**
         * Tells apart several topologies of one process: it follows the pid in every name.
         *
         * @param instance such as {@code x3}; must not start with a digit; empty by default.
         * @return this.
         */
        public Builder instance(final String instance)
        {
            if (!instance.matches("([a-z][a-z0-9]{0,7})?"))
            {
                throw new IllegalArgumentException("instance=" + instance + " must match [a-z][a-z0-9]{0,7} or be empty");
            }
            this.instance = instance;
            return this;
        }

        /**
         * How many hosts.
         *
         * @param hostCount 2 to {@value #MAX_HOSTS}; 2 by default.
         * @return this.
         */
        public Builder hosts(final int hostCount)
        {
            if (hostCount < 2 || hostCount > MAX_HOSTS)
            {
                throw new IllegalArgumentException("hostCount=" + hostCount + " must be between 2 and " + MAX_HOSTS);
            }
            this.hostCount = hostCount;
            return this;
        }

        /**
         * The third byte of the host addresses, {@code 10.251.<subnet>.0/24}.
         *
         * @param subnet 0 to 255; 0 by default.
         * @return this.
         */
        public Builder subnet(final int subnet)
        {
            if (subnet < 0 || subnet > 255)
            {
                throw new IllegalArgumentException("subnet=" + subnet + " must be between 0 and 255");
            }
            this.subnet = subnet;
            return this;
        }

        /**
         * The MTU of every host interface and switch port.
         *
         * @param mtu 68 to 65535, or 0 for the kernel's default (the default).
         * @return this.
         */
        public Builder mtu(final int mtu)
        {
            if (mtu != 0 && (mtu < 68 || mtu > 65535))
            {
                throw new IllegalArgumentException("mtu=" + mtu + " must be 0 or between 68 and 65535");
            }
            this.mtu = mtu;
            return this;
        }

        /**
         * Whether every host gets permanent neighbour entries for all others, so no ARP exchange happens.
         *
         * @param staticNeighbours false by default.
         * @return this.
         */
        public Builder staticNeighbours(final boolean staticNeighbours)
        {
            this.staticNeighbours = staticNeighbours;
            return this;
        }

        /**
         * Whether IPv6 is disabled in every namespace before its links exist, so that no router or neighbour
         * solicitation and no MLD report ever appears on them (raw-frame tests then see only their own traffic).
         *
         * @param disableIpv6 false by default.
         * @return this.
         */
        public Builder disableIpv6(final boolean disableIpv6)
        {
            this.disableIpv6 = disableIpv6;
            return this;
        }

        /**
         * Whether each host interface gets its IPv4 address; without, the links carry no ARP and
         * {@link Host#address()} is only the address the host would have had (and no static neighbours are set).
         *
         * @param assignAddresses true by default.
         * @return this.
         */
        public Builder assignAddresses(final boolean assignAddresses)
        {
            this.assignAddresses = assignAddresses;
            return this;
        }

        /**
         * The last part of each host's namespace name.
         *
         * @param suffixes one per host; {@code h0, h1, ...} by default. The switch's is always {@code sw}.
         * @return this.
         */
        public Builder hostSuffixes(final String... suffixes)
        {
            this.suffixes = List.of(suffixes);
            return this;
        }

        /**
         * Each host's interface name.
         *
         * @param interfaceNames one per host, at most 15 characters each; {@code veth0} for all by default.
         * @return this.
         */
        public Builder interfaceNames(final String... interfaceNames)
        {
            for (final String name : interfaceNames)
            {
                if (name.isEmpty() || name.length() > 15)
                {
                    throw new IllegalArgumentException("interfaceName=" + name + " must have 1 to 15 characters");
                }
            }
            this.interfaceNames = List.of(interfaceNames);
            return this;
        }

        /**
         * Sweeps stale namespaces of this prefix, then creates the namespaces, links and addresses; registers a
         * shutdown hook that removes them should the JVM exit before {@link NetnsTopology#close()}.
         *
         * @return the topology; close it in a finally block or try-with-resources.
         * @throws IllegalStateException naming the failed {@code ip} command; whatever was made is removed.
         */
        public NetnsTopology create()
        {
            checkCount("hostSuffixes", suffixes);
            checkCount("interfaceNames", interfaceNames);
            removeStale(prefix);
            final String base = prefix + ProcessHandle.current().pid() + instance + "-";
            final List<Host> hosts = new ArrayList<>(hostCount);
            for (int i = 0; i < hostCount; i++)
            {
                hosts.add(new Host(
                    i,
                    base + (suffixes == null ? "h" + i : suffixes.get(i)),
                    interfaceNames == null ? "veth0" : interfaceNames.get(i),
                    "10.251." + subnet + "." + (i + 1),
                    String.format("02:00:0a:fb:%02x:%02x", subnet, i + 1)));
            }
            final NetnsTopology topology = new NetnsTopology(hosts, hostCount > 2 ? base + "sw" : null);
            Runtime.getRuntime().addShutdownHook(topology.shutdownHook);
            try
            {
                topology.build(this);
            }
            catch (final RuntimeException ex)
            {
                topology.close();
                throw ex;
            }
            return topology;
        }

        private void checkCount(final String what, final List<String> values)
        {
            if (values != null && values.size() != hostCount)
            {
                throw new IllegalArgumentException(what + ".size=" + values.size() + " must equal hostCount=" + hostCount);
            }
        }
    }
}
