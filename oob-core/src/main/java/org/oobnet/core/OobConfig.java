package org.oobnet.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the OOB runtime needs to start: the stage's CPU and idle strategy, the stall threshold, queue and ring
 * sizes, and where the counters file lives.
 * <p>
 * Every value is validated once, here, and every problem is reported together as {@code name=value} messages.
 * <b>Note:</b> immutable, thread safe.
 *
 * @param stageCpu               CPU the stage thread is pinned to, or {@link #CPU_AUTO} for the default: an
 *                               isolated CPU if {@code /sys/devices/system/cpu/isolated} lists one, else the last.
 * @param idleStrategy           what the stage does on a cycle with no work.
 * @param stallThresholdNs       a cycle longer than this is a stall: counted and kept in the stall histogram.
 * @param controlQueueCapacity   capacity of the in-band to stage command queue (rounded up to a power of two).
 * @param commandLimit           most commands the stage executes per cycle.
 * @param sendRingBytes          capacity of each socket's send ring (app threads to stage), a power of two.
 * @param receiveRingBytes       capacity of each socket's receive ring (stage to consumer), a power of two.
 * @param maxSockets             most OOB sockets alive at once in one runtime.
 * @param countersDir            directory of the counters file ({@code counters.dat}), created owner-only.
 * @param countersValuesBytes    size of the counters values region (each counter takes 128 bytes).
 * @param errorLogBytes          size of the distinct error log region.
 * @param releaseDrainTimeoutNs  how long {@code release} lets the stage drain a socket's send ring before the
 *                               remaining messages are dropped and counted.
 * @param stageAnswerTimeoutNs   how long an in-band call waits for a stage that runs but does not answer (stalled,
 *                               not stopped) before it fails with {@link StageTimeoutException}; a release waits
 *                               this plus {@code releaseDrainTimeoutNs}.
 * @param stages                 the stages, each its own pinned thread; the first is the default stage and its
 *                               settings are {@code stageCpu}, {@code idleStrategy} and {@code stallThresholdNs}.
 *                               Empty (or null) means one stage, {@link #DEFAULT_STAGE_NAME}, serving every
 *                               interface.
 */
public record OobConfig(
    int stageCpu,
    IdleStrategyKind idleStrategy,
    long stallThresholdNs,
    int controlQueueCapacity,
    int commandLimit,
    int sendRingBytes,
    int receiveRingBytes,
    int maxSockets,
    Path countersDir,
    int countersValuesBytes,
    int errorLogBytes,
    long releaseDrainTimeoutNs,
    long stageAnswerTimeoutNs,
    List<StageSpec> stages)
{
    /** The name of the one stage of a configuration that lists none (the config module's default name). */
    public static final String DEFAULT_STAGE_NAME = org.oobnet.config.StageDefinition.DEFAULT_NAME;

    /** The stage CPU is chosen at start: an isolated CPU if any, else the last CPU. */
    public static final int CPU_AUTO = -1;
    /** Default stall threshold: 100 µs, well above a normal cycle and below a descheduling. */
    public static final long DEFAULT_STALL_THRESHOLD_NS = 100_000L;
    /** Default capacity of the command queue. */
    public static final int DEFAULT_CONTROL_QUEUE_CAPACITY = 1024;
    /** Default commands per cycle. */
    public static final int DEFAULT_COMMAND_LIMIT = 16;
    /** Default per-socket ring capacity: 64 KiB. */
    public static final int DEFAULT_RING_BYTES = 64 * 1024;
    /** Default most live sockets: ten thousand idle sockets (one per instrument or group) and room to spare. */
    public static final int DEFAULT_MAX_SOCKETS = 12 * 1024;
    /** Counters a socket takes in oob-core (its {@code SocketCounters}). */
    public static final int COUNTERS_PER_SOCKET = 10;
    /** Counters kept for the runtime, the stall histogram and protocols' own counters beyond the sockets'. */
    public static final int COUNTERS_HEADROOM = 4096;
    /** Default counters values region: sized for {@link #DEFAULT_MAX_SOCKETS} ({@link #countersValuesBytesFor}). */
    public static final int DEFAULT_COUNTERS_VALUES_BYTES = countersValuesBytesFor(DEFAULT_MAX_SOCKETS);
    /** Default error log: 1 MiB. */
    public static final int DEFAULT_ERROR_LOG_BYTES = 1024 * 1024;
    /** Default drain timeout at release: 1 s. */
    public static final long DEFAULT_RELEASE_DRAIN_TIMEOUT_NS = 1_000_000_000L;
    /**
     * Default wait for a stage's answer: 30 s, far past any descheduling of a running stage on a loaded machine (a
     * release waits its drain timeout on top).
     */
    public static final long DEFAULT_STAGE_ANSWER_TIMEOUT_NS = 30_000_000_000L;

    /**
     * Validates every field and reports all problems in one exception.
     */
    public OobConfig
    {
        final List<String> problems = new ArrayList<>();
        if (stageCpu < CPU_AUTO)
        {
            problems.add("stageCpu=" + stageCpu + " must be a CPU number or -1 (auto)");
        }
        if (null == idleStrategy)
        {
            problems.add("idleStrategy=null must be one of spin, yield, backoff, noop");
        }
        if (stallThresholdNs <= 0)
        {
            problems.add("stallThresholdNs=" + stallThresholdNs + " must be > 0");
        }
        if (controlQueueCapacity < 2)
        {
            problems.add("controlQueueCapacity=" + controlQueueCapacity + " must be >= 2");
        }
        if (commandLimit < 1)
        {
            problems.add("commandLimit=" + commandLimit + " must be >= 1");
        }
        checkRing(problems, "sendRingBytes", sendRingBytes);
        checkRing(problems, "receiveRingBytes", receiveRingBytes);
        if (maxSockets < 1)
        {
            problems.add("maxSockets=" + maxSockets + " must be >= 1");
        }
        if (null == countersDir)
        {
            problems.add("countersDir=null must be a directory path");
        }
        if (countersValuesBytes < 128 * 64 || Integer.bitCount(countersValuesBytes) != 1)
        {
            problems.add("countersValuesBytes=" + countersValuesBytes + " must be a power of two >= 8192");
        }
        if (errorLogBytes < 4096 || (errorLogBytes & 4095) != 0)
        {
            problems.add("errorLogBytes=" + errorLogBytes + " must be a multiple of 4096");
        }
        if (releaseDrainTimeoutNs < 0)
        {
            problems.add("releaseDrainTimeoutNs=" + releaseDrainTimeoutNs + " must be >= 0");
        }
        if (stageAnswerTimeoutNs <= 0)
        {
            problems.add("stageAnswerTimeoutNs=" + stageAnswerTimeoutNs + " must be > 0");
        }
        stages = null == stages || stages.isEmpty() ?
            List.of(new StageSpec(DEFAULT_STAGE_NAME, stageCpu, null == idleStrategy ? IdleStrategyKind.SPIN : idleStrategy,
                stallThresholdNs, List.of())) :
            List.copyOf(stages);
        checkStages(problems, stages);
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException("invalid OOB config: " + String.join("; ", problems));
        }
    }

    /**
     * The counters values region that {@code maxSockets} sockets need: each socket's own counters plus
     * {@link #COUNTERS_HEADROOM}, 128 bytes a counter, rounded up to a power of two. The file's metadata region
     * is four times as large; both are sparse, so only allocated counters take memory (640 bytes each).
     *
     * @param maxSockets the most live sockets.
     * @return bytes.
     */
    public static int countersValuesBytesFor(final int maxSockets)
    {
        final long counters = (long)Math.max(1, maxSockets) * COUNTERS_PER_SOCKET + COUNTERS_HEADROOM;
        final long bytes = counters * 128;
        return (int)Math.min(1L << 28, Long.highestOneBit(bytes - 1) << 1);
    }

    // the config module checks a loaded file the same way; this covers stages built in code
    private static void checkStages(final List<String> problems, final List<StageSpec> stages)
    {
        final java.util.Set<String> names = new java.util.HashSet<>();
        final java.util.Map<Integer, String> cpus = new java.util.HashMap<>();
        final java.util.Map<String, String> interfaces = new java.util.HashMap<>();
        for (final StageSpec stage : stages)
        {
            if (!names.add(stage.name()))
            {
                problems.add("stages: name=" + stage.name() + " is given to two stages");
            }
            final String other = stage.cpu() >= 0 ? cpus.putIfAbsent(stage.cpu(), stage.name()) : null;
            if (null != other)
            {
                problems.add("stages: cpu=" + stage.cpu() + " is given to stages " + other + " and " + stage.name());
            }
            for (final String ifname : stage.interfaces())
            {
                final String claimed = interfaces.putIfAbsent(ifname, stage.name());
                if (null != claimed)
                {
                    problems.add("stages: interface " + ifname + " is claimed by stages " + claimed + " and " +
                        stage.name());
                }
            }
        }
    }

    /**
     * One stage: a pinned thread with its own command queue, devices, sockets and timers.
     *
     * @param name             unique in the runtime; sockets are placed on it by this name
     *                         ({@link OobSocket#SO_OOB_STAGE}).
     * @param cpu              the CPU it is pinned to, or {@link #CPU_AUTO}.
     * @param idleStrategy     what it does on a cycle with no work.
     * @param stallThresholdNs a cycle longer than this is a stall.
     * @param interfaces       the interfaces it serves; empty for the first stage means every interface no other
     *                         stage claims, for another stage none (AF_OOB sockets and sockets placed by name).
     */
    public record StageSpec(
        String name, int cpu, IdleStrategyKind idleStrategy, long stallThresholdNs, List<String> interfaces)
    {
        /**
         * Checks the name and copies the list.
         *
         * @param name             the name.
         * @param cpu              the CPU or {@link #CPU_AUTO}.
         * @param idleStrategy     the idle strategy.
         * @param stallThresholdNs the stall threshold.
         * @param interfaces       the interfaces it serves.
         */
        public StageSpec
        {
            if (null == name || !name.matches("[A-Za-z0-9_-]{1,32}"))
            {
                throw new IllegalArgumentException("stage name=" + name + " must be 1 to 32 of [A-Za-z0-9_-]");
            }
            Objects.requireNonNull(idleStrategy, "idleStrategy");
            interfaces = List.copyOf(interfaces);
        }

        StageSpec withSettings(final int cpu, final IdleStrategyKind idleStrategy, final long stallThresholdNs)
        {
            return new StageSpec(name, cpu, idleStrategy, stallThresholdNs, interfaces);
        }
    }

    private static void checkRing(final List<String> problems, final String name, final int bytes)
    {
        if (bytes < 1024 || Integer.bitCount(bytes) != 1)
        {
            problems.add(name + "=" + bytes + " must be a power of two >= 1024");
        }
    }

    /**
     * The defaults: auto CPU, busy spin, 100 µs stall threshold, 64 KiB rings, counters under
     * {@link #defaultCountersDir()}.
     *
     * @return the default configuration.
     */
    public static OobConfig defaults()
    {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The runtime's part of the whole oobnet configuration (file, environment, properties; already validated by
     * the config module): stage CPU, idle strategy and stall threshold, ring sizes, the counters directory. What the
     * file does not cover keeps this class's defaults.
     *
     * @param config the loaded configuration.
     * @return the runtime configuration.
     */
    public static OobConfig from(final org.oobnet.config.OobnetConfig config)
    {
        final List<StageSpec> stages = new ArrayList<>();
        for (final org.oobnet.config.StageDefinition stage : config.stages())
        {
            stages.add(new StageSpec(stage.name(), stage.settings().cpu(),
                IdleStrategyKind.valueOf(stage.settings().idleStrategy().name()),
                stage.settings().stallThresholdNs(), stage.interfaces()));
        }
        return builder()
            .stageCpu(config.stage().cpu())
            .idleStrategy(IdleStrategyKind.valueOf(config.stage().idleStrategy().name()))
            .stallThresholdNs(config.stage().stallThresholdNs())
            .controlQueueCapacity(config.rings().controlQueueCapacity())
            .sendRingBytes(config.rings().sendRingBytes())
            .receiveRingBytes(config.rings().receiveRingBytes())
            .countersDir(config.counters().directory())
            .stages(stages)
            .build();
    }

    /**
     * A builder starting from this configuration.
     *
     * @return a new builder holding this configuration's values.
     */
    public Builder toBuilder()
    {
        return new Builder()
            .stageCpu(stageCpu)
            .idleStrategy(idleStrategy)
            .stallThresholdNs(stallThresholdNs)
            .controlQueueCapacity(controlQueueCapacity)
            .commandLimit(commandLimit)
            .sendRingBytes(sendRingBytes)
            .receiveRingBytes(receiveRingBytes)
            .maxSockets(maxSockets)
            .countersDir(countersDir)
            .countersValuesBytes(countersValuesBytes)
            .errorLogBytes(errorLogBytes)
            .releaseDrainTimeoutNs(releaseDrainTimeoutNs)
            .stageAnswerTimeoutNs(stageAnswerTimeoutNs)
            .stages(stages);
    }

    /**
     * Where the counters live by default, the config module's {@code counters.directory} default:
     * {@code /dev/shm/oobnet} when {@code /dev/shm} exists (memory backed, as Aeron does), else
     * {@code <java.io.tmpdir>/oobnet}.
     *
     * @return the default counters directory.
     */
    public static Path defaultCountersDir()
    {
        return org.oobnet.config.Configuration.COUNTERS_DIRECTORY_DEFAULT;
    }

    /**
     * What the stage does on a cycle that found no work.
     */
    public enum IdleStrategyKind
    {
        /** Busy spin ({@code Thread.onSpinWait}): lowest latency, burns the CPU. The default. */
        SPIN,
        /** {@code Thread.yield()}: gives the CPU to other runnable threads. */
        YIELD,
        /** Spin, then yield, then park with exponential back-off up to 1 ms. */
        BACKOFF,
        /** Nothing at all between cycles. */
        NOOP;

        /**
         * Parses {@code spin|yield|backoff|noop}, case-insensitively.
         *
         * @param name the name.
         * @return the kind.
         * @throws IllegalArgumentException naming the bad value and the accepted ones.
         */
        public static IdleStrategyKind parse(final String name)
        {
            Objects.requireNonNull(name, "idleStrategy");
            for (final IdleStrategyKind kind : values())
            {
                if (kind.name().equals(name.trim().toUpperCase(Locale.ROOT)))
                {
                    return kind;
                }
            }
            throw new IllegalArgumentException("idleStrategy=" + name + " must be one of spin, yield, backoff, noop");
        }
    }

    /**
     * Builds an {@link OobConfig} from the defaults.
     * <b>Note:</b> not thread safe.
     */
    public static final class Builder
    {
        private int stageCpu = CPU_AUTO;
        private IdleStrategyKind idleStrategy = IdleStrategyKind.SPIN;
        private long stallThresholdNs = DEFAULT_STALL_THRESHOLD_NS;
        private int controlQueueCapacity = DEFAULT_CONTROL_QUEUE_CAPACITY;
        private int commandLimit = DEFAULT_COMMAND_LIMIT;
        private int sendRingBytes = DEFAULT_RING_BYTES;
        private int receiveRingBytes = DEFAULT_RING_BYTES;
        private int maxSockets = DEFAULT_MAX_SOCKETS;
        private Path countersDir = defaultCountersDir();
        private int countersValuesBytes; // 0: sized from maxSockets at build
        private int errorLogBytes = DEFAULT_ERROR_LOG_BYTES;
        private long releaseDrainTimeoutNs = DEFAULT_RELEASE_DRAIN_TIMEOUT_NS;
        private long stageAnswerTimeoutNs = DEFAULT_STAGE_ANSWER_TIMEOUT_NS;
        private List<StageSpec> stages = List.of();

        private Builder()
        {
        }

        /** @param value the stage CPU, or {@link #CPU_AUTO}. @return this. */
        public Builder stageCpu(final int value)
        {
            stageCpu = value;
            return this;
        }

        /** @param value the idle strategy. @return this. */
        public Builder idleStrategy(final IdleStrategyKind value)
        {
            idleStrategy = value;
            return this;
        }

        /** @param value the stall threshold in ns. @return this. */
        public Builder stallThresholdNs(final long value)
        {
            stallThresholdNs = value;
            return this;
        }

        /** @param value the command queue capacity. @return this. */
        public Builder controlQueueCapacity(final int value)
        {
            controlQueueCapacity = value;
            return this;
        }

        /** @param value the most commands per cycle. @return this. */
        public Builder commandLimit(final int value)
        {
            commandLimit = value;
            return this;
        }

        /** @param value each socket's send ring capacity in bytes. @return this. */
        public Builder sendRingBytes(final int value)
        {
            sendRingBytes = value;
            return this;
        }

        /** @param value each socket's receive ring capacity in bytes. @return this. */
        public Builder receiveRingBytes(final int value)
        {
            receiveRingBytes = value;
            return this;
        }

        /** @param value the most live OOB sockets. @return this. */
        public Builder maxSockets(final int value)
        {
            maxSockets = value;
            return this;
        }

        /** @param value the counters directory. @return this. */
        public Builder countersDir(final Path value)
        {
            countersDir = value;
            return this;
        }

        /**
         * @param value the counters values region size; 0 (the default) sizes it from the most live sockets
         *              ({@link #countersValuesBytesFor}).
         * @return this.
         */
        public Builder countersValuesBytes(final int value)
        {
            countersValuesBytes = value;
            return this;
        }

        /** @param value the error log size. @return this. */
        public Builder errorLogBytes(final int value)
        {
            errorLogBytes = value;
            return this;
        }

        /** @param value the release drain timeout in ns. @return this. */
        public Builder releaseDrainTimeoutNs(final long value)
        {
            releaseDrainTimeoutNs = value;
            return this;
        }

        /** @param value the longest wait for a stage's answer in ns ({@link StageTimeoutException}). @return this. */
        public Builder stageAnswerTimeoutNs(final long value)
        {
            stageAnswerTimeoutNs = value;
            return this;
        }

        /**
         * The stages; the first one's CPU, idle strategy and stall threshold become this builder's (later calls of
         * {@link #stageCpu}, {@link #idleStrategy}, {@link #stallThresholdNs} change the first stage).
         *
         * @param value the stages; empty for one default stage.
         * @return this.
         */
        public Builder stages(final List<StageSpec> value)
        {
            stages = List.copyOf(value);
            if (!stages.isEmpty())
            {
                stageCpu = stages.getFirst().cpu();
                idleStrategy = stages.getFirst().idleStrategy();
                stallThresholdNs = stages.getFirst().stallThresholdNs();
            }
            return this;
        }

        /**
         * @return the validated configuration.
         * @throws IllegalArgumentException listing every invalid value.
         */
        public OobConfig build()
        {
            return new OobConfig(
                stageCpu,
                idleStrategy,
                stallThresholdNs,
                controlQueueCapacity,
                commandLimit,
                sendRingBytes,
                receiveRingBytes,
                maxSockets,
                countersDir,
                0 == countersValuesBytes ? countersValuesBytesFor(maxSockets) : countersValuesBytes,
                errorLogBytes,
                releaseDrainTimeoutNs,
                stageAnswerTimeoutNs,
                stagesWithFirst());
        }

        // the first stage follows this builder's stage settings
        private List<StageSpec> stagesWithFirst()
        {
            if (stages.isEmpty() || null == idleStrategy)
            {
                return stages;
            }
            final List<StageSpec> copy = new ArrayList<>(stages);
            copy.set(0, copy.getFirst().withSettings(stageCpu, idleStrategy, stallThresholdNs));
            return copy;
        }
    }
}
