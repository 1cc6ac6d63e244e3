package org.oobnet.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every configuration key of oobnet with its default and limits, in one place.
 * <p>
 * A key such as {@code stage.cpu} is set, from lowest to highest precedence: by its default here, in the TOML
 * file ({@code [stage]} table, {@code cpu = 1}), by the environment variable {@code OOBNET_STAGE_CPU}, by the
 * system property {@code -Doobnet.stage.cpu}. Interface keys take the interface name as their middle part:
 * {@code interfaces.veth0.frame_size}, {@code [interfaces.veth0]}, {@code OOBNET_INTERFACES_VETH0_FRAME_SIZE},
 * {@code -Doobnet.interfaces.veth0.frame_size}. Durations are strings with a unit ({@code "20us"}); byte sizes
 * are integers or strings with a binary unit ({@code "64KiB"}, {@code "64k"}).
 * <p>
 * Several stages are an array of {@code [[stage]]} tables ({@code name}, {@code cpu}, {@code idle_strategy},
 * {@code stall_threshold}, {@code interfaces}) in place of the {@code [stage]} table; the flat {@code stage.*}
 * keys are then the defaults of every table's fields, and {@code OOBNET_STAGE_<NAME>_<FIELD>} /
 * {@code -Doobnet.stage.<name>.<field>} override a field of one named stage.
 * <p>
 * <b>Note:</b> constants only.
 */
public final class Configuration
{
    /** Prefix of the system properties that override a key: {@code -Doobnet.stage.cpu=1}. */
    public static final String PROPERTY_PREFIX = "oobnet.";
    /** Prefix of the environment variables that override a key: {@code OOBNET_STAGE_CPU=1}. */
    public static final String ENV_PREFIX = "OOBNET_";
    /** System property naming the configuration file when none is given explicitly. */
    public static final String CONFIG_FILE_PROPERTY = "oobnet.config";
    /** Environment variable naming the configuration file when neither an explicit file nor the property is. */
    public static final String CONFIG_FILE_ENV = "OOBNET_CONFIG";

    // stage

    /** CPU the OOB stage is pinned to, a number or {@code "auto"}: see {@link CpuTopology#autoCpu()}. */
    public static final String STAGE_CPU = "stage.cpu";
    /** Default of {@link #STAGE_CPU}: automatic. */
    public static final int STAGE_CPU_DEFAULT = StageConfig.CPU_AUTO;

    /** What the stage does after a duty cycle without work: {@code spin|yield|backoff|noop}. */
    public static final String STAGE_IDLE_STRATEGY = "stage.idle_strategy";
    /** Default of {@link #STAGE_IDLE_STRATEGY}: busy-spin, the lowest latency. */
    public static final IdleStrategyType STAGE_IDLE_STRATEGY_DEFAULT = IdleStrategyType.SPIN;

    /** A duty cycle longer than this counts as a stall (the JVM's "switch to in-band"). A duration. */
    public static final String STAGE_STALL_THRESHOLD = "stage.stall_threshold";
    /** Default of {@link #STAGE_STALL_THRESHOLD}: 20 µs, several times a healthy round trip here. */
    public static final long STAGE_STALL_THRESHOLD_DEFAULT_NS = 20_000L;
    /** Smallest {@link #STAGE_STALL_THRESHOLD}: below a microsecond every cache miss would be a stall. */
    public static final long STAGE_STALL_THRESHOLD_MIN_NS = 1_000L;
    /** Largest {@link #STAGE_STALL_THRESHOLD}. */
    public static final long STAGE_STALL_THRESHOLD_MAX_NS = 1_000_000_000L;

    // rings

    /** Capacity in commands of the in-band to OOB control queue; a power of two. */
    public static final String RINGS_CONTROL_QUEUE_CAPACITY = "rings.control_queue_capacity";
    /** Default of {@link #RINGS_CONTROL_QUEUE_CAPACITY}. */
    public static final int RINGS_CONTROL_QUEUE_CAPACITY_DEFAULT = 1024;
    /** Smallest {@link #RINGS_CONTROL_QUEUE_CAPACITY}. */
    public static final int RINGS_CONTROL_QUEUE_CAPACITY_MIN = 2;
    /** Largest {@link #RINGS_CONTROL_QUEUE_CAPACITY}. */
    public static final int RINGS_CONTROL_QUEUE_CAPACITY_MAX = 1 << 20;

    /** Data bytes of each OOB socket's send ring; a power of two. */
    public static final String RINGS_SEND_RING_BYTES = "rings.send_ring_bytes";
    /** Default of {@link #RINGS_SEND_RING_BYTES}: 64 KiB. */
    public static final int RINGS_SEND_RING_BYTES_DEFAULT = 64 * 1024;

    /** Data bytes of each OOB socket's receive ring; a power of two. */
    public static final String RINGS_RECEIVE_RING_BYTES = "rings.receive_ring_bytes";
    /** Default of {@link #RINGS_RECEIVE_RING_BYTES}: 64 KiB. */
    public static final int RINGS_RECEIVE_RING_BYTES_DEFAULT = 64 * 1024;

    /** Smallest send or receive ring: a page. */
    public static final int RINGS_RING_BYTES_MIN = 4096;
    /** Largest send or receive ring. */
    public static final int RINGS_RING_BYTES_MAX = 1 << 30;

    // interfaces

    /** Prefix of the per-interface tables: {@code [interfaces.veth0]}. */
    public static final String INTERFACES = "interfaces";

    /** Field of an interface table: frames in its TPACKET_V2 receive ring; a power of two. */
    public static final String INTERFACE_RX_RING_FRAMES = "rx_ring_frames";
    /** Default of {@link #INTERFACE_RX_RING_FRAMES}. */
    public static final int INTERFACE_RX_RING_FRAMES_DEFAULT = 256;

    /** Field of an interface table: bytes per ring frame, headers included; a power of two. */
    public static final String INTERFACE_FRAME_SIZE = "frame_size";
    /** Default of {@link #INTERFACE_FRAME_SIZE}: holds a 1500-byte MTU frame with the TPACKET_V2 header. */
    public static final int INTERFACE_FRAME_SIZE_DEFAULT = 2048;
    /** Smallest {@link #INTERFACE_FRAME_SIZE}: the TPACKET_V2 header plus a minimal Ethernet frame. */
    public static final int INTERFACE_FRAME_SIZE_MIN = 128;
    /** Largest {@link #INTERFACE_FRAME_SIZE}. */
    public static final int INTERFACE_FRAME_SIZE_MAX = 65536;

    /** Field of an interface table: frames in its transmit ring; a power of two. */
    public static final String INTERFACE_TX_RING_FRAMES = "tx_ring_frames";
    /** Default of {@link #INTERFACE_TX_RING_FRAMES}. */
    public static final int INTERFACE_TX_RING_FRAMES_DEFAULT = 256;

    /** Smallest ring in frames. */
    public static final int INTERFACE_RING_FRAMES_MIN = 8;
    /** Largest ring in frames. */
    public static final int INTERFACE_RING_FRAMES_MAX = 1 << 20;

    /** Field of an interface table: whether transmitted frames skip the qdisc ({@code PACKET_QDISC_BYPASS}). */
    public static final String INTERFACE_QDISC_BYPASS = "qdisc_bypass";
    /** Default of {@link #INTERFACE_QDISC_BYPASS}: skip it, one queue less on the way out. */
    public static final boolean INTERFACE_QDISC_BYPASS_DEFAULT = true;

    /** Longest interface name the kernel takes (IFNAMSIZ - 1). */
    public static final int INTERFACE_NAME_MAX_LENGTH = 15;

    // udp

    /** How oob-udp moves datagrams: {@code packet|kernel}. */
    public static final String UDP_TRANSPORT = "udp.transport";
    /** Default of {@link #UDP_TRANSPORT}: the OOB path over AF_PACKET rings. */
    public static final UdpTransport UDP_TRANSPORT_DEFAULT = UdpTransport.PACKET;

    /**
     * Most multicast memberships ((group, interface) pairs) per OOB UDP socket; a join past it fails with
     * {@code ENOBUFS}, as Linux's {@code net.ipv4.igmp_max_memberships} does.
     */
    public static final String UDP_MAX_MEMBERSHIPS = "udp.max_memberships";
    /** Default of {@link #UDP_MAX_MEMBERSHIPS}: Linux's {@code net.ipv4.igmp_max_memberships} default. */
    public static final int UDP_MAX_MEMBERSHIPS_DEFAULT = 20;
    /** Largest {@link #UDP_MAX_MEMBERSHIPS}: the stage scans a socket's memberships per group datagram. */
    public static final int UDP_MAX_MEMBERSHIPS_MAX = 1024;

    // udp: IPv4 reassembly on the stage (packet transport); memory is slots x max_datagram_bytes per interface

    /** Datagrams the stage reassembles at once per interface; 0 drops every fragment (counted), as before. */
    public static final String UDP_REASSEMBLY_SLOTS = "udp.reassembly_slots";
    /** Default of {@link #UDP_REASSEMBLY_SLOTS}: a few feeds' worth of datagrams in flight at once. */
    public static final int UDP_REASSEMBLY_SLOTS_DEFAULT = 16;
    /** Largest {@link #UDP_REASSEMBLY_SLOTS}: with the largest datagrams, 256 MiB per interface. */
    public static final int UDP_REASSEMBLY_SLOTS_MAX = 4096;

    /** Largest IPv4 datagram (header included) a slot holds; larger ones are dropped whole. Bytes. */
    public static final String UDP_REASSEMBLY_SLOT_BYTES = "udp.reassembly_slot_bytes";
    /** Default of {@link #UDP_REASSEMBLY_SLOT_BYTES}: the IPv4 limit, so any datagram a kernel sends. */
    public static final int UDP_REASSEMBLY_SLOT_BYTES_DEFAULT = 65535;
    /** Smallest {@link #UDP_REASSEMBLY_SLOT_BYTES}: the reassembly buffer every host has (RFC 791). */
    public static final int UDP_REASSEMBLY_SLOT_BYTES_MIN = 576;
    /** Largest {@link #UDP_REASSEMBLY_SLOT_BYTES}: the IPv4 total length's limit. */
    public static final int UDP_REASSEMBLY_SLOT_BYTES_MAX = 65535;

    /** Most fragments of one datagram; one more drops the datagram whole. */
    public static final String UDP_REASSEMBLY_MAX_FRAGMENTS = "udp.reassembly_max_fragments";
    /** Default of {@link #UDP_REASSEMBLY_MAX_FRAGMENTS}: 64 KiB in 1500-byte frames takes 45. */
    public static final int UDP_REASSEMBLY_MAX_FRAGMENTS_DEFAULT = 64;
    /** Smallest {@link #UDP_REASSEMBLY_MAX_FRAGMENTS}. */
    public static final int UDP_REASSEMBLY_MAX_FRAGMENTS_MIN = 2;
    /** Largest {@link #UDP_REASSEMBLY_MAX_FRAGMENTS}: 8-byte fragments of 64 KiB. */
    public static final int UDP_REASSEMBLY_MAX_FRAGMENTS_MAX = 8192;

    /** How long a datagram's fragments wait for the rest before the datagram is dropped (counted). A duration. */
    public static final String UDP_REASSEMBLY_TIMEOUT = "udp.reassembly_timeout";
    /** Default of {@link #UDP_REASSEMBLY_TIMEOUT}: 100 ms; market data that late is stale (Linux waits 30 s). */
    public static final long UDP_REASSEMBLY_TIMEOUT_DEFAULT_NS = 100_000_000L;
    /** Smallest {@link #UDP_REASSEMBLY_TIMEOUT}. */
    public static final long UDP_REASSEMBLY_TIMEOUT_MIN_NS = 1_000_000L;
    /** Largest {@link #UDP_REASSEMBLY_TIMEOUT}: Linux's {@code ipfrag_time} default. */
    public static final long UDP_REASSEMBLY_TIMEOUT_MAX_NS = 30_000_000_000L;

    // counters

    /** Directory of the counters file; an absolute path. */
    public static final String COUNTERS_DIRECTORY = "counters.directory";
    /** Default of {@link #COUNTERS_DIRECTORY}: {@code /dev/shm/oobnet} when there is a /dev/shm, else under tmp. */
    public static final Path COUNTERS_DIRECTORY_DEFAULT = Files.isDirectory(Path.of("/dev/shm"))
        ? Path.of("/dev/shm", "oobnet")
        : Path.of(System.getProperty("java.io.tmpdir"), "oobnet").toAbsolutePath();

    // harness

    /** UDP payload bytes of each ping of the latency harness. */
    public static final String HARNESS_MESSAGE_SIZE_BYTES = "harness.message_size_bytes";
    /** Default of {@link #HARNESS_MESSAGE_SIZE_BYTES}. */
    public static final int HARNESS_MESSAGE_SIZE_BYTES_DEFAULT = 64;
    /** Largest {@link #HARNESS_MESSAGE_SIZE_BYTES}: the largest UDP/IPv4 payload. */
    public static final int HARNESS_MESSAGE_SIZE_BYTES_MAX = 65507;

    /** How long the measured part of a harness run lasts. A duration. */
    public static final String HARNESS_DURATION = "harness.duration";
    /** Default of {@link #HARNESS_DURATION}: 10 s. */
    public static final long HARNESS_DURATION_DEFAULT_NS = 10_000_000_000L;
    /** Smallest {@link #HARNESS_DURATION}. */
    public static final long HARNESS_DURATION_MIN_NS = 1_000_000L;
    /** Largest {@link #HARNESS_DURATION}: a day. */
    public static final long HARNESS_DURATION_MAX_NS = 86_400_000_000_000L;

    /** How long a harness run goes before measuring. A duration, may be 0. */
    public static final String HARNESS_WARMUP = "harness.warmup";
    /** Default of {@link #HARNESS_WARMUP}: 2 s, enough for C2 to compile the loops. */
    public static final long HARNESS_WARMUP_DEFAULT_NS = 2_000_000_000L;
    /** Largest {@link #HARNESS_WARMUP}: an hour. */
    public static final long HARNESS_WARMUP_MAX_NS = 3_600_000_000_000L;

    /** Pings per second of the harness; 0 sends the next ping as soon as the pong arrived. */
    public static final String HARNESS_RATE_PER_SECOND = "harness.rate_per_second";
    /** Default of {@link #HARNESS_RATE_PER_SECOND}: one ping per millisecond, as latmus' default period. */
    public static final int HARNESS_RATE_PER_SECOND_DEFAULT = 1000;
    /** Largest {@link #HARNESS_RATE_PER_SECOND}. */
    public static final int HARNESS_RATE_PER_SECOND_MAX = 10_000_000;

    private Configuration()
    {
    }
}
