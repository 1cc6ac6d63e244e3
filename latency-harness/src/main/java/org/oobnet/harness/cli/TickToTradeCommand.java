package org.oobnet.harness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.harness.env.JvmProfile;
import org.oobnet.harness.env.ParentWatch;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.report.Outputs;
import org.oobnet.harness.report.Progress;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import org.oobnet.harness.bench.t2t.T2tRow;
import org.oobnet.harness.bench.t2t.T2tRunner;
import org.oobnet.harness.bench.t2t.T2tJson;
import org.oobnet.harness.bench.t2t.T2tRun;
import org.oobnet.harness.bench.t2t.ExchangeSimulator;
import org.oobnet.harness.bench.t2t.ThreadTrader;
import org.oobnet.harness.bench.t2t.StageTrader;
import org.oobnet.harness.bench.t2t.T2tTable;
import org.oobnet.harness.bench.t2t.T2tMessages;

/**
 * {@code oobnet latency tick-to-trade}: an exchange simulator in one network namespace publishes MoldUDP64 ticks
 * at a fixed rate and takes SoupBinTCP orders; a trader in the other answers each tick with an order, on one OOB
 * stage ({@code t2t-stage}) and, interleaved in the same run, on ordinary threads with kernel sockets, spinning
 * ({@code t2t-spin}) and blocking ({@code t2t-blocking}). Reported: tick-to-trade, wire to wire ({@code wire_ns}:
 * the tick's kernel TX stamp at the exchange to the order's kernel RX stamp there, the field's tap-to-tap
 * convention; the targets apply to its ratios to the baselines); beside it app to app ({@code latency_ns}: the
 * simulator's send to its read, its own hops included), the in-process latency, the hops, the stage's allocation
 * and the exchange's books. The children are this command with the
 * hidden {@code --role}. Of the shared {@link RunOptions}, {@code --size} and {@code --loopback} are refused (see
 * {@link SharedOptions}).
 * <p>
 * <b>Note:</b> in-band command.
 */
@Command(name = "tick-to-trade", mixinStandardHelpOptions = true, modelTransformer = TickToTradeCommand.SharedOptions.class,
    description = "Tick-to-trade between two network namespaces: MoldUDP64 ticks in, SoupBinTCP orders out, on " +
        "one OOB stage (t2t-stage) and on ordinary threads spinning (t2t-spin) and blocking (t2t-blocking), " +
        "rows interleaved; books checked exact. Tick-to-trade is wire to wire (wire_ns: the tick's kernel TX " +
        "stamp at the exchange to the order's kernel RX stamp there); app to app (latency_ns, the simulator's " +
        "own hops included) is reported beside it.")
public final class TickToTradeCommand implements Callable<Integer>
{
    /** Ticks per second when {@code --rate} is 0. */
    static final long DEFAULT_RATE_HZ = 1000;
    /** The warm-up per row and round unless {@code --warmup} says otherwise (the shared runs' 1 s is too short here). */
    static final String DEFAULT_WARMUP = "10s";

    private static final String NAME = "oobnet latency tick-to-trade";

    @Mixin
    RunOptions options;

    @Option(names = "--rows", defaultValue = "stage,spin,blocking", split = ",", paramLabel = "stage|spin|blocking",
        description = "The rows, run in this order each round (default: ${DEFAULT-VALUE}).")
    List<String> rows;

    @Option(names = "--rounds", defaultValue = "2", paramLabel = "N",
        description = "Alternating rounds sharing the length, so the rows see the same machine (default: " +
            "${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--transport", defaultValue = "packet", paramLabel = "packet|kernel",
        description = "oob-udp's transport for the stage row's feed socket (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--exchange-idle", defaultValue = "yield", paramLabel = "spin|yield|backoff",
        description = "How the exchange simulator's stage waits for orders: spin (it shares its CPU only with the " +
            "sleeping tick thread), yield or backoff (default: ${DEFAULT-VALUE}).")
    String exchangeIdle;

    @Option(names = "--order-receive-interval", defaultValue = "50us", paramLabel = "TIME",
        description = "How often the stage (t2t-stage) receives from its order connection while no order went out " +
            "in the last TIME: a recv is a syscall, most of a duty cycle's cost, and the feed ring is polled every " +
            "cycle regardless; 0ns: every cycle (default: ${DEFAULT-VALUE}).")
    String orderReceiveInterval;

    @Option(names = "--keep-stamps",
        description = "Keep each row's per-tick times (<run>.exchange.stamps, <run>.trader.stamps; format in " +
            "docs/architecture.md) in the result folder instead of deleting them once joined into the hops.")
    boolean keepStamps;

    @Option(names = "--stage-steps",
        description = "Split the stage row's trader_pickup into its steps on the stage (rx_ring_pickup, udp_demux, " +
            "feed_arbitration, record_to_strategy: -Doobnet.hops.steps=true in its trader; two clock reads more " +
            "on each tick's way in).")
    boolean stageSteps;

    @Option(names = "--role", hidden = true)
    String role;

    @Option(names = "--trader", hidden = true)
    String trader;

    @Option(names = "--exchange", hidden = true)
    String exchange;

    @Option(names = "--bind", hidden = true)
    String bind;

    @Option(names = "--interface", hidden = true)
    String interfaceName;

    @Option(names = "--label", hidden = true)
    String label;

    @Option(names = "--network", hidden = true, defaultValue = "veth")
    String network;

    @Option(names = "--child-output", hidden = true)
    Path childOutput;

    @Option(names = "--exit-with-parent", hidden = true)
    boolean exitWithParent;

    @Override
    public Integer call() throws IOException
    {
        try
        {
            final UdpTransport udp = udpTransport(transport);
            exchangeIdle(exchangeIdle);
            final long orderReceiveIntervalNs = Durations.parseNs("order-receive-interval", orderReceiveInterval);
            final MeasurementPlan plan = options.plan(role == null ? Math.max(1, rounds) : 1);
            final long rateHz = plan.rateHz() > 0 ? plan.rateHz() : DEFAULT_RATE_HZ;
            if (role == null)
            {
                return orchestrate(rateHz, orderReceiveIntervalNs);
            }
            if (childOutput == null || interfaceName == null)
            {
                throw new IllegalArgumentException("role=" + role + " needs --child-output and --interface");
            }
            return switch (role)
            {
                case "exchange" -> exchange(plan, rateHz);
                case "trader" -> trader(plan, rateHz, udp, orderReceiveIntervalNs);
                default -> throw new IllegalArgumentException("role=" + role + " is not one of exchange, trader");
            };
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(NAME + ": " + ex.getMessage());
            return 2;
        }
    }

    private int orchestrate(final long rateHz, final long orderReceiveIntervalNs) throws IOException
    {
        if (rounds < 1)
        {
            throw new IllegalArgumentException("rounds=" + rounds + " must be at least 1");
        }
        final List<T2tRow> chosen = new ArrayList<>();
        for (final String mode : rows)
        {
            final T2tRow row = T2tRow.ofMode("rows", mode.trim());
            if (chosen.contains(row))
            {
                throw new IllegalArgumentException("rows=" + String.join(",", rows) + " names " + mode + " twice");
            }
            chosen.add(row);
        }
        final PrintStream out = System.out;
        final ResultFolder folder = Outputs.folder(options.out, "tick-to-trade");
        final T2tRun run;
        try (T2tRunner runner = new T2tRunner(options.settings(), folder, out, transport, exchangeIdle,
            orderReceiveIntervalNs, keepStamps, stageSteps, Progress.forLongRun(System.err, options.plan().durationNs())))
        {
            run = runner.run(chosen, rounds, rateHz);
        }
        catch (final IOException ex)
        {
            out.println(NAME + ": cannot create the two network namespaces the run needs (" + ex.getMessage() +
                "); run as root or with CAP_NET_ADMIN and CAP_SYS_ADMIN");
            return 1;
        }
        final List<RunResult> rowsOut = new ArrayList<>();
        run.rows().forEach(r -> rowsOut.add(r.tickToTrade()));
        // the plot, the .hgrm files and the generic table; the JSON files are then rewritten with the t2t fields
        Outputs.finish(folder, "Tick-to-trade, " + rateHz + " ticks/s", rowsOut, options.json(), out);
        out.println();
        T2tTable.lines(run).forEach(out::println);
        T2tJson.write(folder.dir().resolve(ResultFolder.SUMMARY_FILE), run);
        if (options.json() != null)
        {
            T2tJson.write(options.json(), run);
        }
        return run.rows().size() == chosen.size() ? 0 : 1;
    }

    private int exchange(final MeasurementPlan plan, final long rateHz) throws IOException
    {
        if (bind == null)
        {
            throw new IllegalArgumentException("role=exchange needs --bind");
        }
        final int cpu = options.cpu();
        final RunDescription description = new RunDescription(label != null ? label : "t2t", "t2t",
            label != null ? label.substring(label.indexOf('-') + 1) : "-", "exchange", T2tMessages.TICK_LENGTH, cpu,
            CpuSet.isIsolated(cpu), options.peerCpu(), rateHz, JvmProfile.isActive(), network, plan.durationNs(),
            plan.count());
        final long warmupTicks = warmupTicks(plan, rateHz);
        final long measuredTicks = measuredTicks(plan, rateHz);
        if (measuredTicks < 1)
        {
            throw new IllegalArgumentException("duration/count gives no measured tick at " + rateHz + " ticks/s");
        }
        if (exitWithParent)
        {
            ParentWatch.onEndOfInput(System.in, () -> System.exit(3));
        }
        new ExchangeSimulator(bind, interfaceName, cpu, description, warmupTicks, measuredTicks,
            options.receiveTimeoutNs(), exchangeIdle(exchangeIdle)).run(System.out, childOutput);
        return 0;
    }

    private int trader(final MeasurementPlan plan, final long rateHz, final UdpTransport udp,
        final long orderReceiveIntervalNs) throws IOException
    {
        if (exchange == null || trader == null)
        {
            throw new IllegalArgumentException("role=trader needs --exchange and --trader");
        }
        final InetSocketAddress address = UdpCommand.parseAddress("exchange", exchange);
        final T2tRow row = T2tRow.ofMode("trader", trader);
        final AtomicBoolean stop = new AtomicBoolean();
        if (exitWithParent)
        {
            ParentWatch.onEndOfInput(System.in, () -> stop.set(true));
        }
        final long expectedNs = plan.warmupNs() + plan.durationNs() +
            TimeUnit.SECONDS.toNanos(plan.warmupCount() + plan.count()) / rateHz;
        final int cpu = options.cpu();
        final String idle = options.idleName();
        if (row == T2tRow.STAGE)
        {
            new StageTrader(address, interfaceName, udp, cpu, UdpCommand.stageIdle(idle, cpu),
                orderReceiveIntervalNs).run(expectedNs,
                warmupTicks(plan, rateHz) + measuredTicks(plan, rateHz), stop::get, childOutput, System.out);
        }
        else
        {
            // a spinning trader spins unless told to yield or park (the tests, a shared machine)
            final boolean yield = !"auto".equalsIgnoreCase(idle) && IdleKind.parse(idle) != IdleKind.SPIN;
            new ThreadTrader(address, interfaceName, row == T2tRow.SPIN, yield, cpu).run(expectedNs,
                warmupTicks(plan, rateHz) + measuredTicks(plan, rateHz), stop::get, childOutput, System.out);
        }
        return 0;
    }

    private static long warmupTicks(final MeasurementPlan plan, final long rateHz)
    {
        return plan.warmupNs() > 0 ? ticks(plan.warmupNs(), rateHz) : plan.warmupCount();
    }

    private static long measuredTicks(final MeasurementPlan plan, final long rateHz)
    {
        return plan.durationNs() > 0 ? ticks(plan.durationNs(), rateHz) : plan.count();
    }

    private static OobConfig.IdleStrategyKind exchangeIdle(final String name)
    {
        return switch (name)
        {
            case "spin" -> OobConfig.IdleStrategyKind.SPIN;
            case "yield" -> OobConfig.IdleStrategyKind.YIELD;
            case "backoff" -> OobConfig.IdleStrategyKind.BACKOFF;
            default -> throw new IllegalArgumentException("exchange-idle=" + name + " is not one of spin, yield, backoff");
        };
    }

    private static long ticks(final long ns, final long rateHz)
    {
        return ns * rateHz / TimeUnit.SECONDS.toNanos(1);
    }

    /**
     * The shared latency options as tick-to-trade takes them: {@code --size} and {@code --loopback} are refused
     * (fixed-length messages; two namespaces only), and the options whose shared description says something else
     * here are described as they work here.
     */
    public static final class SharedOptions implements IModelTransformer
    {
        @Override
        public CommandSpec transform(final CommandSpec spec)
        {
            OptionOverrides.refuse(spec, "--size", "a tick and an order are fixed-length MoldUDP64 and SoupBinTCP " +
                "messages (" + T2tMessages.TICK_LENGTH + " and " + T2tMessages.ORDER_LENGTH + " bytes)");
            OptionOverrides.refuse(spec, "--loopback", "the exchange and the trader always run in two network " +
                "namespaces (a multicast feed over a veth pair; run as root)");
            OptionOverrides.describe(spec, "--count", "Measured ticks per row, shared by the rounds (instead of " +
                "--duration).");
            // every round starts fresh JVMs: with 4 s of warm-up their compilers still ran 0.5-0.7 s of each 5 s
            // measured round on the exchange's CPU and order_out's p50 doubled (BENCHMARKS.md, Session 14)
            OptionOverrides.redefault(spec, "--warmup", DEFAULT_WARMUP, "Warm-up of each row in each round, excluded " +
                "from the results: a count of ticks or a time; each round starts fresh JVMs, whose compilers need " +
                "about 10 s to go quiet (default: ${DEFAULT-VALUE}).");
            OptionOverrides.describe(spec, "--rate", "Ticks per second (0: " + DEFAULT_RATE_HZ + "); each tick is " +
                "timed from just before it goes to the kernel, not from its scheduled time (default: " +
                "${DEFAULT-VALUE}).");
            OptionOverrides.describe(spec, "--cpu", "CPU of the trader's trading thread, every row alike: its " +
                "stage (t2t-stage) or the thread that receives ticks and sends orders (t2t-spin, t2t-blocking); the " +
                "trader's other threads run on other CPUs (default: the first isolated CPU, else the last CPU).");
            OptionOverrides.describe(spec, "--peer-cpu", "CPU of the exchange simulator's JVM (default: another " +
                "isolated CPU, else the CPU before --cpu).");
            OptionOverrides.describe(spec, "--idle", "How the trader waits for a tick: spin, yield or park (park: " +
                "the stage backs off, the t2t-spin thread yields); auto: spin. t2t-blocking blocks in receive; the " +
                "exchange's stage follows --exchange-idle (default: ${DEFAULT-VALUE}).");
            OptionOverrides.describe(spec, "--receive-timeout", "How long the exchange waits for the orders after " +
                "its last tick and after the trader's last order or retransmission request (at most 30 s); a tick " +
                "still unanswered then counts as lost (default: ${DEFAULT-VALUE}).");
            return spec;
        }
    }

    private static UdpTransport udpTransport(final String name)
    {
        return switch (name)
        {
            case "packet" -> UdpTransport.PACKET;
            case "kernel" -> UdpTransport.KERNEL;
            default -> throw new IllegalArgumentException("transport=" + name + " is not one of packet, kernel");
        };
    }
}
