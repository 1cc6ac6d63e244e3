package org.oobnet.harness.bench.mcast;

import org.oobnet.core.RealtimeNanoClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.oobnet.config.UdpTransport;
import org.oobnet.harness.bench.run.StageAllocation;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.PacketPort;
import org.oobnet.udp.RxTimestampSource;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * {@code oobnet mcast dump}: joins groups through the OOB path (one OOB UDP socket bound to each group and port,
 * its stage receive handler counting, {@link GroupStats}) and reports what came: per group and per source counts,
 * sequence gaps of {@code mcast send} payloads, the kind of RX timestamp and the kernel RX timestamp → handler
 * latency, and what the port dropped.
 * <p>
 * <b>Note:</b> in-band; the counting runs on the stage. Runs in the calling thread's network namespace.
 */
public final class McastDump
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What to join and how long to listen.
     *
     * @param interfaceName the interface, or null for the route's.
     * @param joins         the groups and ports.
     * @param source        the source of every join, 0 for any source.
     * @param transport     packet or kernel.
     * @param idle          the stage's idle strategy.
     * @param count         stop after this many datagrams, 0 for no limit.
     * @param durationNs    stop after this long.
     */
    public record Options(String interfaceName, List<McastEndpoints.GroupPort> joins, int source, UdpTransport transport,
        OobConfig.IdleStrategyKind idle, long count, long durationNs)
    {
    }

    private final Options options;
    private final RealtimeNanoClock clock = new RealtimeNanoClock();
    private final AtomicLong total = new AtomicLong();
    private final List<GroupStats> groups = new ArrayList<>();
    private final Map<String, Long> drops = new TreeMap<>();
    private McastEndpoints.Interface nif;
    private long elapsedNs;
    // the stage thread's allocation from the end of the warm-up (the first tenth of --count, at most 10000
    // datagrams) to the end; -1 when not measured
    private long stageAllocatedBytes = -1;

    public McastDump(final Options options)
    {
        this.options = options;
    }

    /**
     * Joins, listens until the count or the duration is reached, leaves.
     *
     * @return this, with the results.
     */
    public McastDump run() throws Exception
    {
        nif = McastEndpoints.resolve(options.interfaceName(), options.joins().getFirst().group());
        // the kernel transport reads its own kernel socket: no packet port (whose tap would see, and count as
        // unknown-port, every frame of the interface)
        final UdpStack stack = UdpStack.open(UdpTransport.KERNEL == options.transport() ?
            UdpStackConfig.of(UdpTransport.KERNEL) : UdpStackConfig.of(options.transport(), nif.name()));
        final List<KSocket> sockets = new ArrayList<>();
        OobRuntime runtime = null;
        try
        {
            final ProtocolRegistry registry = new ProtocolRegistry();
            registry.register(SocketConstants.AF_INET, stack.protocol());
            final Path counters = Files.createTempDirectory("oobnet-mcast");
            runtime = OobRuntime.start(OobConfig.builder().idleStrategy(options.idle()).countersDir(counters).build(),
                registry);
            for (final McastEndpoints.GroupPort join : options.joins())
            {
                final GroupStats stats = new GroupStats(join.group(), join.port(), clock, total);
                final KSocket socket = UdpSockets.open(options.transport());
                sockets.add(socket);
                OobSocket.of(socket).stageReceiveHandler(stats);
                socket.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEADDR, 1);
                // bound to the group: this socket gets this group only, whatever else joins the port
                socket.bind(new InetSocketAddress(McastEndpoints.inet(join.group()), join.port()));
                McastEndpoints.join(socket, join.group(), nif, options.source());
                groups.add(stats);
            }
            final long start = System.nanoTime();
            final long deadline = start + options.durationNs();
            final long warm = 0 == options.count() ? 10_000 : Math.min(10_000, options.count() / 10);
            StageAllocation afterWarmUp = null;
            while (System.nanoTime() - deadline < 0 && (0 == options.count() || total.get() < options.count()))
            {
                if (null == afterWarmUp && total.get() >= warm)
                {
                    afterWarmUp = StageAllocation.mark(runtime);
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            elapsedNs = System.nanoTime() - start;
            if (null != afterWarmUp)
            {
                stageAllocatedBytes = afterWarmUp.bytesSince();
            }
        }
        finally
        {
            for (final KSocket socket : sockets)
            {
                if (UdpTransport.KERNEL == options.transport())
                {
                    // the kernel socket's own drops (its receive buffer full), before it goes
                    final long full = UdpSockets.kernelReceiveDrops(socket);
                    final long truncated = UdpSockets.state(OobSocket.of(socket)).kernelTransport().truncatedCount();
                    if (0 != full)
                    {
                        drops.merge("kernel socket buffer full", full, Long::sum);
                    }
                    if (0 != truncated)
                    {
                        drops.merge("truncated", truncated, Long::sum);
                    }
                }
                socket.close();
            }
            if (null != runtime)
            {
                runtime.close();
            }
            // the stage stopped: its counts are final
            for (final PacketPort port : stack.ports())
            {
                final String[] labels = port.counterLabels();
                for (int i = 0; i < labels.length; i++)
                {
                    final long value = port.counterValue(i);
                    if (labels[i].startsWith("drops ") && 0 != value || labels[i].equals(org.oobnet.packet.stats.PacketCounter.KERNEL_DROPS.label()) && 0 != value)
                    {
                        drops.merge(labels[i].replace("drops ", ""), value, Long::sum);
                    }
                }
            }
            stack.close();
        }
        return this;
    }

    /**
     * @return the results as {@code --json} writes them.
     */
    ObjectNode json()
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("interface", nif.name());
        root.put("transport", options.transport().name().toLowerCase(java.util.Locale.ROOT));
        root.put("elapsed_ns", elapsedNs);
        long received = 0;
        long gaps = 0;
        long late = 0;
        final Map<String, Long> byGroup = new TreeMap<>();
        final Map<String, Long> bySource = new TreeMap<>();
        final long[] kinds = new long[RxTimestampSource.values().length];
        final Histogram latency = new Histogram(3);
        final var perGroup = root.putArray("groups");
        for (final GroupStats stats : groups)
        {
            received += stats.received;
            gaps += stats.gaps;
            late += stats.lateOrDuplicate;
            byGroup.merge(Ipv4Flyweight.formatAddress(stats.group), stats.received, Long::sum);
            final ObjectNode group = perGroup.addObject();
            group.put("group", Ipv4Flyweight.formatAddress(stats.group));
            group.put("port", stats.port);
            group.put("received", stats.received);
            group.put("gaps", stats.gaps);
            final ObjectNode sources = group.putObject("by_source");
            for (int i = 0; i < stats.sourceCount; i++)
            {
                final String source = Ipv4Flyweight.formatAddress(stats.sources[i]);
                bySource.merge(source, stats.bySource[i], Long::sum);
                sources.put(source, stats.bySource[i]);
            }
            for (int i = 0; i < kinds.length; i++)
            {
                kinds[i] += stats.byTimestampSource[i];
            }
            latency.add(stats.latencyNs);
        }
        root.put("received", received);
        final ObjectNode groupsNode = root.putObject("by_group");
        byGroup.forEach(groupsNode::put);
        final ObjectNode sourcesNode = root.putObject("by_source");
        bySource.forEach(sourcesNode::put);
        root.put("gaps", gaps);
        root.put("late_or_duplicate", late);
        root.put("timestamps", timestampKind(kinds).label());
        final ObjectNode latencyNode = root.putObject("latency_ns");
        latencyNode.put("count", latency.getTotalCount());
        latencyNode.put("p50", latency.getValueAtPercentile(50));
        latencyNode.put("p99", latency.getValueAtPercentile(99));
        latencyNode.put("max", latency.getMaxValue());
        root.put("stage_allocated_bytes", stageAllocatedBytes);
        final ObjectNode dropsNode = root.putObject("drops");
        drops.forEach(dropsNode::put);
        return root;
    }

    /**
     * Prints the summary and writes {@code json} when not null.
     */
    public void report(final PrintWriter out, final Path json) throws IOException
    {
        final ObjectNode root = json();
        out.printf("mcast dump: interface %s transport %s, %d datagrams in %.1f s, timestamps %s%n", nif.name(),
            root.get("transport").asText(), root.get("received").asLong(), elapsedNs / 1e9,
            root.get("timestamps").asText());
        for (final GroupStats stats : groups)
        {
            out.printf("  group %s:%d received=%d gaps=%d late-or-duplicate=%d%n", Ipv4Flyweight.formatAddress(
                stats.group), stats.port, stats.received, stats.gaps, stats.lateOrDuplicate);
            for (int i = 0; i < stats.sourceCount; i++)
            {
                out.printf("    source %s received=%d gaps=%d%n", Ipv4Flyweight.formatAddress(stats.sources[i]),
                    stats.bySource[i], stats.gapsBySource[i]);
            }
        }
        final var latency = root.get("latency_ns");
        out.printf("  rx-timestamp->handler latency ns: p50=%d p99=%d max=%d (%d samples)%n",
            latency.get("p50").asLong(), latency.get("p99").asLong(), latency.get("max").asLong(),
            latency.get("count").asLong());
        out.printf("  drops: %s%n", drops.isEmpty() ? "none" : drops.toString());
        out.printf("  stage allocated after warm-up: %s%n", stageAllocatedBytes < 0 ? "not measured" :
            stageAllocatedBytes + " B");
        out.flush();
        if (null != json)
        {
            JSON.writeValue(json.toFile(), root);
        }
    }

    private static RxTimestampSource timestampKind(final long[] kinds)
    {
        RxTimestampSource most = RxTimestampSource.NONE;
        long mostCount = 0;
        for (final RxTimestampSource kind : RxTimestampSource.values())
        {
            if (kinds[kind.ordinal()] > mostCount)
            {
                most = kind;
                mostCount = kinds[kind.ordinal()];
            }
        }
        return most;
    }

    /**
     * @return the per-group counts (final once {@link #run} returned).
     */
    List<GroupStats> groups()
    {
        return groups;
    }
}
