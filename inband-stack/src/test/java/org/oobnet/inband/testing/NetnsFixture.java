package org.oobnet.inband.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throwaway test hosts: N network namespaces joined by veth pairs, addresses in 10.251.0.0/24, removed on
 * {@link #close()}, at JVM exit, and (if the JVM died) by the next fixture's sweep of stale names.
 * <p>
 * Two hosts are joined by one veth pair; more hosts hang off a bridge in an extra "switch" namespace. Host
 * {@code i} (from 0) has interface {@value #HOST_INTERFACE}, address {@code 10.251.0.(i+1)/24} and the locally
 * administered MAC {@code 02:00:0a:fb:00:(i+1)}. Code runs inside a host on that host's own thread, which entered
 * the namespace with {@code setns}: a socket it creates stays in the namespace whatever thread uses it later.
 * <p>
 * <b>Note:</b> {@link #call} and {@link #run} are thread safe; create and close from one thread.
 */
public final class NetnsFixture implements AutoCloseable
{
    /** Every namespace this fixture creates starts with this prefix, then the owning process id. */
    public static final String PREFIX = "oobt";
    /** Name of each host's interface inside its namespace. */
    public static final String HOST_INTERFACE = "veth0";
    /** Network prefix length of the host addresses. */
    public static final int PREFIX_LENGTH = 24;

    private static final AtomicInteger FIXTURE_IDS = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();

    private final String name;
    private final List<Host> hosts;
    private final List<ExecutorService> hostThreads = new ArrayList<>();
    private final String switchNamespace;
    private final Thread cleanupAtExit;
    private boolean closed;

    private NetnsFixture(final String name, final int hostCount)
    {
        this.name = name;
        final List<Host> built = new ArrayList<>(hostCount);
        for (int i = 0; i < hostCount; i++)
        {
            built.add(new Host(i, name + "-h" + i, HOST_INTERFACE, "10.251.0." + (i + 1), macOf(i)));
        }
        this.hosts = List.copyOf(built);
        this.switchNamespace = hostCount > 2 ? name + "-sw" : null;
        this.cleanupAtExit = new Thread(this::removeNamespaces, name + "-cleanup");
    }

    /**
     * Creates {@code hostCount} hosts joined by veth, all interfaces up, after sweeping stale namespaces left by
     * dead test JVMs. Skips the calling test without the privileges (fails under {@code OOBNET_REQUIRE_PRIVILEGED=1}).
     *
     * @param hostCount how many hosts, 2 to 200.
     * @return the fixture; close it in a finally block or try-with-resources.
     */
    public static NetnsFixture create(final int hostCount)
    {
        if (hostCount < 2 || hostCount > 200)
        {
            throw new IllegalArgumentException("hostCount=" + hostCount + " must be between 2 and 200");
        }
        Privileges.requireNetworkPrivileges("a network-namespace test");
        removeStaleNamespaces();
        final NetnsFixture fixture = new NetnsFixture(PREFIX + PID + "x" + FIXTURE_IDS.incrementAndGet(), hostCount);
        Runtime.getRuntime().addShutdownHook(fixture.cleanupAtExit);
        try
        {
            fixture.build();
        }
        catch (final RuntimeException ex)
        {
            fixture.close();
            throw ex;
        }
        return fixture;
    }

    /**
     * The hosts, in order.
     *
     * @return an unmodifiable list of hosts.
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
     * Runs {@code task} inside {@code host}'s network namespace, on the host's own thread, and returns its result.
     *
     * @param host the host.
     * @param task what to run.
     * @param <T>  result type.
     * @return the task's result.
     * @throws Exception what the task threw.
     */
    public <T> T call(final Host host, final Callable<T> task) throws Exception
    {
        final Future<T> future = hostThreads.get(host.index()).submit(() ->
        {
            ((HostThread)Thread.currentThread()).checkEntered();
            return task.call();
        });
        try
        {
            return future.get();
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof Exception cause)
            {
                throw cause;
            }
            throw ex;
        }
    }

    /**
     * Runs {@code task} inside {@code host}'s network namespace, on the host's own thread.
     *
     * @param host the host.
     * @param task what to run.
     * @throws Exception what the task threw.
     */
    public void run(final Host host, final ThrowingRunnable task) throws Exception
    {
        call(host, () ->
        {
            task.run();
            return null;
        });
    }

    /**
     * A command line that runs {@code command} as a separate process inside {@code host}'s namespace.
     *
     * @param host    the host.
     * @param command the program and its arguments.
     * @return {@code ip netns exec <namespace> command...}, ready for {@link ProcessBuilder}.
     */
    public List<String> commandIn(final Host host, final List<String> command)
    {
        final List<String> line = new ArrayList<>(command.size() + 4);
        line.add(IpCommand.ipBinary());
        line.add("netns");
        line.add("exec");
        line.add(host.namespace());
        line.addAll(command);
        return line;
    }

    /**
     * Names of every namespace this fixture made (hosts, then the switch when there is one).
     *
     * @return namespace names.
     */
    public List<String> namespaces()
    {
        final List<String> names = new ArrayList<>();
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
     * Stops the host threads and removes every namespace (and with them the veth pairs and bridge).
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final ExecutorService thread : hostThreads)
        {
            thread.shutdownNow();
        }
        for (final ExecutorService thread : hostThreads)
        {
            try
            {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        removeNamespaces();
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        }
        catch (final IllegalStateException ignore)
        {
            // Already shutting down: the hook is running or has run.
        }
    }

    /**
     * Removes namespaces whose name carries this fixture's prefix and the pid of a process that is gone.
     */
    public static void removeStaleNamespaces()
    {
        for (final String ns : listNamespaces())
        {
            final long owner = ownerPid(ns);
            if (owner > 0 && ProcessHandle.of(owner).isEmpty())
            {
                IpCommand.tryRun("netns", "delete", ns);
            }
        }
    }

    /**
     * Names of all network namespaces that {@code ip netns} knows.
     *
     * @return namespace names.
     */
    public static List<String> listNamespaces()
    {
        final List<String> names = new ArrayList<>();
        final IpCommand.Result result = IpCommand.tryRun("netns", "list");
        if (result.exitCode() == 0)
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

    static long ownerPid(final String namespace)
    {
        if (!namespace.startsWith(PREFIX))
        {
            return -1;
        }
        final int end = namespace.indexOf('x', PREFIX.length());
        if (end <= PREFIX.length())
        {
            return -1;
        }
        try
        {
            return Long.parseLong(namespace.substring(PREFIX.length(), end));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private void build()
    {
        for (final String ns : namespaces())
        {
            IpCommand.run("netns", "add", ns);
            IpCommand.run("-n", ns, "link", "set", "lo", "up");
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
            IpCommand.run("-n", switchNamespace, "link", "add", "br0", "type", "bridge");
            IpCommand.run("-n", switchNamespace, "link", "set", "br0", "up");
            for (final Host host : hosts)
            {
                final String port = "p" + host.index();
                IpCommand.run("link", "add", "name", host.interfaceName(), "netns", host.namespace(), "type", "veth",
                    "peer", "name", port, "netns", switchNamespace);
                IpCommand.run("-n", switchNamespace, "link", "set", port, "master", "br0");
                IpCommand.run("-n", switchNamespace, "link", "set", port, "up");
            }
        }
        for (final Host host : hosts)
        {
            IpCommand.run("-n", host.namespace(), "link", "set", host.interfaceName(), "address", host.mac());
            IpCommand.run("-n", host.namespace(), "addr", "add", host.address() + "/" + PREFIX_LENGTH,
                "dev", host.interfaceName());
            IpCommand.run("-n", host.namespace(), "link", "set", host.interfaceName(), "up");
            hostThreads.add(Executors.newSingleThreadExecutor(r -> new HostThread(host, r)));
        }
        for (final Host host : hosts)
        {
            try
            {
                // Enter the namespace now, so that a setns failure surfaces here rather than in a test's task,
                // and silence IPv6 (router solicitations, MLD) so that raw-frame tests see only their own traffic.
                call(host, () ->
                {
                    quietIpv6();
                    return null;
                });
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("cannot enter namespace " + host.namespace() + ": " + ex, ex);
            }
        }
    }

    private static void quietIpv6()
    {
        // /proc/sys/net resolves against the opening thread's network namespace, which is the host's here.
        final Path disable = Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6");
        if (Files.exists(disable))
        {
            try
            {
                Files.writeString(disable, "1");
            }
            catch (final IOException ignore)
            {
                // IPv6 noise only adds foreign frames, which tests must tolerate anyway.
            }
        }
    }

    private void removeNamespaces()
    {
        for (final String ns : namespaces())
        {
            IpCommand.tryRun("netns", "delete", ns);
        }
    }

    private static String macOf(final int index)
    {
        return String.format("02:00:0a:fb:%02x:%02x", (index + 1) >> 8, (index + 1) & 0xff);
    }

    /**
     * One test host.
     *
     * @param index         position in the fixture, from 0.
     * @param namespace     the network namespace's name.
     * @param interfaceName the veth inside the namespace.
     * @param address       the IPv4 address of the interface (prefix {@value #PREFIX_LENGTH}).
     * @param mac           the interface's MAC address, {@code 02:00:0a:fb:xx:yy}.
     */
    public record Host(int index, String namespace, String interfaceName, String address, String mac)
    {
    }

    /**
     * A task that may throw, for {@link #run}.
     */
    @FunctionalInterface
    public interface ThrowingRunnable
    {
        /**
         * Runs the task.
         *
         * @throws Exception anything.
         */
        void run() throws Exception;
    }

    /**
     * A host's thread: enters the namespace first, then serves the host's tasks for the fixture's lifetime.
     */
    private static final class HostThread extends Thread
    {
        private final Host host;
        private volatile RuntimeException entryFailure;

        HostThread(final Host host, final Runnable work)
        {
            super(work, "netns-" + host.namespace());
            this.host = host;
            setDaemon(true);
        }

        @Override
        public void run()
        {
            try
            {
                NamespaceEntry.enter(host.namespace());
            }
            catch (final RuntimeException ex)
            {
                // Every task on this thread fails with the reason instead of running in the wrong namespace.
                entryFailure = ex;
            }
            super.run();
        }

        void checkEntered()
        {
            final RuntimeException failure = entryFailure;
            if (failure != null)
            {
                throw failure;
            }
        }
    }
}
