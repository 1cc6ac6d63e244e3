package org.oobnet.packet;

import org.oobnet.packet.ring.RingGeometry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration of OOB packet sockets: ring geometry, socket options, the interfaces enabled for OOB traffic.
 * Every key lives here with its default; {@link #fromProperties} parses {@code packet.*} keys, and validation
 * reports every problem together, each as {@code key=value} and the rule it broke.
 * <p>
 * <b>Note:</b> immutable, safe to share between threads.
 *
 * @param rxFrames             {@value #RX_FRAMES_KEY}: frames in the RX ring.
 * @param rxFrameSize          {@value #RX_FRAME_SIZE_KEY}: bytes per RX frame.
 * @param rxBlockSize          {@value #RX_BLOCK_SIZE_KEY}: bytes per RX block.
 * @param txFrames             {@value #TX_FRAMES_KEY}: frames in the TX ring, 0 for no TX ring.
 * @param txFrameSize          {@value #TX_FRAME_SIZE_KEY}: bytes per TX frame.
 * @param txBlockSize          {@value #TX_BLOCK_SIZE_KEY}: bytes per TX block.
 * @param qdiscBypass          {@value #QDISC_BYPASS_KEY}: {@code PACKET_QDISC_BYPASS}, sends skip the qdisc
 *                             (default). It also decides what a down carrier does to sent frames: bypassed, the
 *                             kernel refuses them ({@code ENOBUFS}) and they wait in the TX ring until the link is
 *                             back; through the qdisc, the kernel's {@code noop} qdisc takes them while the carrier
 *                             is down, discards them and reports success, so they are lost without a count.
 * @param ignoreOutgoing       {@value #IGNORE_OUTGOING_KEY}: {@code PACKET_IGNORE_OUTGOING}, the RX ring does not
 *                             see the host's own sends.
 * @param promiscuous          {@value #PROMISCUOUS_KEY}: {@code PACKET_MR_PROMISC} membership on the bound interface.
 * @param verifyFilter         {@value #VERIFY_FILTER_KEY}: the stage re-runs the socket's filter over each frame and
 *                             counts misses (frames queued before the filter was attached).
 * @param rxBatchLimit         {@value #RX_BATCH_LIMIT_KEY}: most RX frames a socket takes per stage cycle.
 * @param healthCheckIntervalNs {@value #HEALTH_CHECK_INTERVAL_KEY}: how often the stage asks the kernel for the
 *                             socket's pending error ({@code SO_ERROR}) and binding (interface down or deleted).
 * @param interfaces           {@value #INTERFACES_KEY}: interfaces enabled for OOB traffic (comma separated);
 *                             empty enables every interface.
 * @param multicastGroups      {@value #MULTICAST_GROUPS_KEY}: IPv4 groups (comma separated) whose link-layer
 *                             addresses each socket joins on its interface ({@code PACKET_MR_MULTICAST}).
 */
public record PacketConfig(
    int rxFrames,
    int rxFrameSize,
    int rxBlockSize,
    int txFrames,
    int txFrameSize,
    int txBlockSize,
    boolean qdiscBypass,
    boolean ignoreOutgoing,
    boolean promiscuous,
    boolean verifyFilter,
    int rxBatchLimit,
    long healthCheckIntervalNs,
    Set<String> interfaces,
    List<Integer> multicastGroups)
{
    /** Key: frames in the RX ring. */
    public static final String RX_FRAMES_KEY = "packet.rx.frames";
    /** Key: bytes per RX frame. */
    public static final String RX_FRAME_SIZE_KEY = "packet.rx.frame-size";
    /** Key: bytes per RX block. */
    public static final String RX_BLOCK_SIZE_KEY = "packet.rx.block-size";
    /** Key: frames in the TX ring. */
    public static final String TX_FRAMES_KEY = "packet.tx.frames";
    /** Key: bytes per TX frame. */
    public static final String TX_FRAME_SIZE_KEY = "packet.tx.frame-size";
    /** Key: bytes per TX block. */
    public static final String TX_BLOCK_SIZE_KEY = "packet.tx.block-size";
    /** Key: {@code PACKET_QDISC_BYPASS}. */
    public static final String QDISC_BYPASS_KEY = "packet.qdisc-bypass";
    /** Key: {@code PACKET_IGNORE_OUTGOING}. */
    public static final String IGNORE_OUTGOING_KEY = "packet.ignore-outgoing";
    /** Key: promiscuous membership. */
    public static final String PROMISCUOUS_KEY = "packet.promiscuous";
    /** Key: stage re-check of the filter. */
    public static final String VERIFY_FILTER_KEY = "packet.verify-filter";
    /** Key: RX frames per socket per cycle. */
    public static final String RX_BATCH_LIMIT_KEY = "packet.rx.batch-limit";
    /** Key: health check interval, ns. */
    public static final String HEALTH_CHECK_INTERVAL_KEY = "packet.health-check-interval-ns";
    /** Key: interfaces enabled for OOB traffic. */
    public static final String INTERFACES_KEY = "packet.interfaces";
    /** Key: IPv4 multicast groups joined at the link layer. */
    public static final String MULTICAST_GROUPS_KEY = "packet.multicast-groups";

    /** Default RX frames: 256 frames of 2 KiB, two per 4 KiB block. */
    public static final int DEFAULT_RX_FRAMES = 256;
    /** Default frame size: room for a 1500-byte MTU frame behind the 66-byte RX header area. */
    public static final int DEFAULT_FRAME_SIZE = 2048;
    /** Default block size: one 4 KiB page. */
    public static final int DEFAULT_BLOCK_SIZE = 4096;
    /** Default TX frames. */
    public static final int DEFAULT_TX_FRAMES = 256;
    /** Default RX batch per cycle. */
    public static final int DEFAULT_RX_BATCH_LIMIT = 64;
    /** Default health check interval: 10 ms, two cheap syscalls per socket, far from every cycle. */
    public static final long DEFAULT_HEALTH_CHECK_INTERVAL_NS = 10_000_000L;
    /** The page size rings are validated against. */
    public static final int PAGE_SIZE = 4096;

    /**
     * Validates the values.
     */
    public PacketConfig
    {
        interfaces = Set.copyOf(interfaces);
        multicastGroups = List.copyOf(multicastGroups);
        final List<String> problems = problems(
            rxFrames, rxFrameSize, rxBlockSize, txFrames, txFrameSize, txBlockSize, rxBatchLimit, healthCheckIntervalNs);
        for (final int group : multicastGroups)
        {
            if ((group >>> 28) != 0xe)
            {
                problems.add(MULTICAST_GROUPS_KEY + "=" + ipv4ToString(group) + " must be in 224.0.0.0/4");
            }
        }
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException("invalid packet configuration: " + String.join("; ", problems));
        }
    }

    /**
     * The defaults.
     *
     * @return every key at its default.
     */
    public static PacketConfig defaults()
    {
        return new PacketConfig(DEFAULT_RX_FRAMES, DEFAULT_FRAME_SIZE, DEFAULT_BLOCK_SIZE, DEFAULT_TX_FRAMES,
            DEFAULT_FRAME_SIZE, DEFAULT_BLOCK_SIZE, true, true, false, false, DEFAULT_RX_BATCH_LIMIT,
            DEFAULT_HEALTH_CHECK_INTERVAL_NS, Set.of(), List.of());
    }

    /**
     * Parse {@code packet.*} keys over the defaults; other keys are ignored.
     *
     * @param properties key to value.
     * @return the configuration.
     * @throws IllegalArgumentException naming every bad key and value together.
     */
    public static PacketConfig fromProperties(final Map<String, String> properties)
    {
        final PacketConfig d = defaults();
        final List<String> problems = new ArrayList<>();
        final int rxFrames = intValue(properties, RX_FRAMES_KEY, d.rxFrames, problems);
        final int rxFrameSize = intValue(properties, RX_FRAME_SIZE_KEY, d.rxFrameSize, problems);
        final int rxBlockSize = intValue(properties, RX_BLOCK_SIZE_KEY, d.rxBlockSize, problems);
        final int txFrames = intValue(properties, TX_FRAMES_KEY, d.txFrames, problems);
        final int txFrameSize = intValue(properties, TX_FRAME_SIZE_KEY, d.txFrameSize, problems);
        final int txBlockSize = intValue(properties, TX_BLOCK_SIZE_KEY, d.txBlockSize, problems);
        final boolean qdiscBypass = boolValue(properties, QDISC_BYPASS_KEY, d.qdiscBypass, problems);
        final boolean ignoreOutgoing = boolValue(properties, IGNORE_OUTGOING_KEY, d.ignoreOutgoing, problems);
        final boolean promiscuous = boolValue(properties, PROMISCUOUS_KEY, d.promiscuous, problems);
        final boolean verifyFilter = boolValue(properties, VERIFY_FILTER_KEY, d.verifyFilter, problems);
        final int rxBatchLimit = intValue(properties, RX_BATCH_LIMIT_KEY, d.rxBatchLimit, problems);
        final long healthNs = longValue(properties, HEALTH_CHECK_INTERVAL_KEY, d.healthCheckIntervalNs, problems);
        final Set<String> interfaces = new TreeSet<>();
        final String list = properties.get(INTERFACES_KEY);
        if (null != list)
        {
            for (final String name : list.split(","))
            {
                if (!name.isBlank())
                {
                    interfaces.add(name.trim());
                }
            }
        }
        final List<Integer> groups = new ArrayList<>();
        final String groupList = properties.get(MULTICAST_GROUPS_KEY);
        if (null != groupList)
        {
            for (final String text : groupList.split(","))
            {
                if (text.isBlank())
                {
                    continue;
                }
                final int group = parseIpv4(text.trim());
                if (group == -1 || (group >>> 28) != 0xe)
                {
                    problems.add(MULTICAST_GROUPS_KEY + "=" + text.trim() + " must be an IPv4 address in 224.0.0.0/4");
                }
                else
                {
                    groups.add(group);
                }
            }
        }
        if (problems.isEmpty())
        {
            problems.addAll(problems(
                rxFrames, rxFrameSize, rxBlockSize, txFrames, txFrameSize, txBlockSize, rxBatchLimit, healthNs));
        }
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException("invalid packet configuration: " + String.join("; ", problems));
        }
        return new PacketConfig(rxFrames, rxFrameSize, rxBlockSize, txFrames, txFrameSize, txBlockSize, qdiscBypass,
            ignoreOutgoing, promiscuous, verifyFilter, rxBatchLimit, healthNs, interfaces, groups);
    }

    /**
     * The RX ring's geometry.
     *
     * @return validated geometry.
     */
    public RingGeometry rxGeometry()
    {
        return RingGeometry.of(rxFrameSize, rxFrames, rxBlockSize, PAGE_SIZE);
    }

    /**
     * The TX ring's geometry.
     *
     * @return validated geometry, or null when {@code txFrames} is 0.
     */
    public RingGeometry txGeometry()
    {
        return 0 == txFrames ? null : RingGeometry.of(txFrameSize, txFrames, txBlockSize, PAGE_SIZE);
    }

    /**
     * Whether OOB traffic is enabled on an interface.
     *
     * @param name the interface's name.
     * @return true when {@link #interfaces} is empty or lists it.
     */
    public boolean isEnabled(final String name)
    {
        return interfaces.isEmpty() || interfaces.contains(name);
    }

    private static List<String> problems(
        final int rxFrames, final int rxFrameSize, final int rxBlockSize, final int txFrames, final int txFrameSize,
        final int txBlockSize, final int rxBatchLimit, final long healthCheckIntervalNs)
    {
        final List<String> problems = new ArrayList<>();
        for (final String p : RingGeometry.check(rxFrameSize, rxFrames, rxBlockSize, PAGE_SIZE))
        {
            problems.add("packet.rx: " + p);
        }
        if (txFrames < 0)
        {
            problems.add(TX_FRAMES_KEY + "=" + txFrames + " must be 0 (no TX ring) or positive");
        }
        else if (txFrames > 0)
        {
            for (final String p : RingGeometry.check(txFrameSize, txFrames, txBlockSize, PAGE_SIZE))
            {
                problems.add("packet.tx: " + p);
            }
        }
        if (rxBatchLimit <= 0)
        {
            problems.add(RX_BATCH_LIMIT_KEY + "=" + rxBatchLimit + " must be positive");
        }
        if (healthCheckIntervalNs <= 0)
        {
            problems.add(HEALTH_CHECK_INTERVAL_KEY + "=" + healthCheckIntervalNs + " must be positive");
        }
        return problems;
    }

    /**
     * The link-layer address an IPv4 multicast group maps to: {@code 01:00:5e} and the group's low 23 bits.
     *
     * @param group the group, host order int.
     * @return the MAC, low 48 bits.
     */
    public static long multicastMac(final int group)
    {
        return 0x01_00_5e_00_00_00L | (group & 0x7f_ffffL);
    }

    static String ipv4ToString(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." +
            (address & 0xff);
    }

    // -1 for text that is not a dotted quad (-1 itself, 255.255.255.255, is not a multicast group either)
    private static int parseIpv4(final String text)
    {
        final String[] parts = text.split("\\.");
        if (parts.length != 4)
        {
            return -1;
        }
        int address = 0;
        for (final String part : parts)
        {
            final int octet;
            try
            {
                octet = Integer.parseInt(part);
            }
            catch (final NumberFormatException e)
            {
                return -1;
            }
            if (octet < 0 || octet > 255)
            {
                return -1;
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    private static int intValue(
        final Map<String, String> properties, final String key, final int defaultValue, final List<String> problems)
    {
        final String value = properties.get(key);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException e)
        {
            problems.add(key + "=" + value + " must be an integer");
            return defaultValue;
        }
    }

    private static long longValue(
        final Map<String, String> properties, final String key, final long defaultValue, final List<String> problems)
    {
        final String value = properties.get(key);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException e)
        {
            problems.add(key + "=" + value + " must be an integer");
            return defaultValue;
        }
    }

    private static boolean boolValue(
        final Map<String, String> properties, final String key, final boolean defaultValue, final List<String> problems)
    {
        final String value = properties.get(key);
        if (null == value)
        {
            return defaultValue;
        }
        return switch (value.trim())
        {
            case "true" -> true;
            case "false" -> false;
            default ->
            {
                problems.add(key + "=" + value + " must be true or false");
                yield defaultValue;
            }
        };
    }
}
