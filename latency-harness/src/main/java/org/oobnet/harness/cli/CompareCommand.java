package org.oobnet.harness.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.oobnet.harness.bench.run.RowSpec;
import org.oobnet.harness.bench.transport.Transports;
import org.oobnet.harness.report.Outputs;
import org.oobnet.harness.report.Progress;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.oobnet.harness.bench.udp.UdpRunner;
import org.oobnet.harness.bench.floor.FloorRows;

/**
 * {@code oobnet latency compare}: several UDP rows (transports, profile on/off) in one invocation, run alternating
 * round by round so that drifts of a noisy machine hit every row alike, printed side by side with ratios to the
 * {@code inband} and {@code kernel} rows and to the C floor ({@code floor-udp} for UDP rows, {@code floor-raw} for
 * raw-frame rows).
 * <p>
 * <b>Note:</b> in-band command.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Several runs (udp transports, packet) alternating, side by side, with ratios to the inband " +
        "and kernel rows.")
public final class CompareCommand implements Callable<Integer>
{
    @Mixin
    RunOptions options;

    @Option(names = "--runs", split = ",", paramLabel = "RUN[,RUN...]", hideParamSyntax = true,
        description = "Rows to compare: udp/<transport>, packet (through the OOB stage), packet/rings, or the C " +
            "floor floor/udp, floor/raw (default: udp over every transport in this build, packet, and the floor " +
            "rows when a C compiler exists).")
    List<String> runs;

    @Option(names = "--profile", split = ",", defaultValue = "on", paramLabel = "on|off[,...]", hideParamSyntax = true,
        description = "Low-latency JVM profile per row: on, off, or on,off for both (default: ${DEFAULT-VALUE}).")
    List<String> profiles;

    @Option(names = "--variant", paramLabel = "NAME=FLAGS",
        description = "Also run each JVM row with these JVM flags (space separated) on both sides, labelled " +
            "<row>-NAME; repeatable, e.g. --variant 'nodata=-XX:-UsePerfData'. For an A/B of flags in one run.")
    List<String> variants;

    @Option(names = "--rounds", defaultValue = "2", paramLabel = "N",
        description = "Alternating rounds; each row's length is split across them (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws IOException
    {
        final List<RowSpec> rows = new ArrayList<>();
        try
        {
            if (rounds < 1)
            {
                throw new IllegalArgumentException("rounds=" + rounds + " must be at least 1");
            }
            final List<String> specs = new ArrayList<>();
            if (runs == null)
            {
                Transports.available().stream().map(t -> RowSpec.UDP + "/" + t.name()).forEach(specs::add);
                specs.add(RowSpec.PACKET);
                FloorRows.addIfBuilt(specs, System.out, "oobnet");
                Transports.missing().forEach((name, why) ->
                    System.out.println("oobnet: transport=" + name + " left out: " + why));
            }
            else
            {
                specs.addAll(runs);
            }
            for (final String spec : specs)
            {
                if (FloorRows.isFloor(spec))
                {
                    // no JVM in a floor row: one row whatever the profiles
                    rows.add(RowSpec.parse(spec, false));
                    continue;
                }
                for (final String p : profiles)
                {
                    final RowSpec row = RowSpec.parse(spec, UdpCommand.parseOnOff("profile", p));
                    rows.add(row);
                    for (final String v : variants == null ? List.<String>of() : variants)
                    {
                        final int eq = v.indexOf('=');
                        if (eq < 1 || v.substring(eq + 1).isBlank())
                        {
                            throw new IllegalArgumentException("variant=" + v + " is not NAME=FLAGS");
                        }
                        rows.add(row.variant(v.substring(0, eq), List.of(v.substring(eq + 1).trim().split("\\s+"))));
                    }
                }
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("oobnet latency compare: " + ex.getMessage());
            return 2;
        }
        final ResultFolder folder = Outputs.folder(options.out, "compare");
        try (UdpRunner runner = new UdpRunner(options.settings(), folder, System.out, false, new Progress(System.err, true)))
        {
            final List<RunResult> results = runner.run(rows, rounds);
            runner.printSummaries(results);
            Outputs.finish(folder, "Round trip, " + options.size() + " bytes, " + rounds + " alternating rounds",
                results, options.json, System.out);
            return results.size() == rows.size() ? 0 : 1;
        }
    }
}
