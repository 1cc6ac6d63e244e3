package org.oobnet.netns.testing;

import org.oobnet.netns.NamespaceEntry;
import org.oobnet.netns.NetnsTopology;

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
 * Throwaway test hosts: a {@link NetnsTopology} (N network namespaces joined by veth, addresses in 10.251.0.0/24)
 * plus one thread per host that entered the host's namespace, and JUnit's skip-or-fail when not privileged.
 * <p>
 * Host {@code i} (from 0) has interface {@value #HOST_INTERFACE}, address {@code 10.251.0.(i+1)/24} and the locally
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
    public static final int PREFIX_LENGTH = NetnsTopology.PREFIX_LENGTH;

    private static final AtomicInteger FIXTURE_IDS = new AtomicInteger();

    private final NetnsTopology topology;
    private final List<Host> hosts;
    private final List<ExecutorService> hostThreads = new ArrayList<>();
    private boolean closed;

    private NetnsFixture(final NetnsTopology topology)
    {
        this.topology = topology;
        final List<Host> built = new ArrayList<>();
        for (final NetnsTopology.Host host : topology.hosts())
        {
            built.add(new Host(host.index(), host.namespace(), host.interfaceName(), host.address(), host.mac()));
        }
        this.hosts = List.copyOf(built);
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
        if (hostCount < 2 || hostCount > NetnsTopology.MAX_HOSTS)
        {
            throw new IllegalArgumentException("hostCount=" + hostCount + " must be between 2 and 200");
        }
        Privileges.requireNetworkPrivileges("a network-namespace test");
        final NetnsTopology topology = NetnsTopology.builder(PREFIX)
            .instance("x" + FIXTURE_IDS.incrementAndGet())
            .hosts(hostCount)
            // no router solicitations or MLD: raw-frame tests see only their own traffic
            .disableIpv6(true)
            .create();
        final NetnsFixture fixture = new NetnsFixture(topology);
        try
        {
            fixture.startHostThreads();
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
        return NetnsTopology.commandIn(host.namespace(), command);
    }

    /**
     * Names of every namespace this fixture made (hosts, then the switch when there is one).
     *
     * @return namespace names.
     */
    public List<String> namespaces()
    {
        return topology.namespaces();
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
        topology.close();
    }

    /**
     * Removes namespaces whose name carries this fixture's prefix and the pid of a process that is gone.
     */
    public static void removeStaleNamespaces()
    {
        NetnsTopology.removeStale(PREFIX);
    }

    /**
     * Names of all network namespaces that {@code ip netns} knows.
     *
     * @return namespace names.
     */
    public static List<String> listNamespaces()
    {
        return NetnsTopology.listNamespaces();
    }

    static long ownerPid(final String namespace)
    {
        return NetnsTopology.ownerPid(PREFIX, namespace);
    }

    private void startHostThreads()
    {
        for (final Host host : hosts)
        {
            hostThreads.add(Executors.newSingleThreadExecutor(r -> new HostThread(host, r)));
        }
        for (final Host host : hosts)
        {
            try
            {
                // Enter the namespace now, so that a setns failure surfaces here rather than in a test's task.
                call(host, () -> null);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("cannot enter namespace " + host.namespace() + ": " + ex, ex);
            }
        }
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
