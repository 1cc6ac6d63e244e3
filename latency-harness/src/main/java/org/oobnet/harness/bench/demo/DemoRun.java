package org.oobnet.harness.bench.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.oobnet.harness.bench.run.RowSpec;
import org.oobnet.harness.bench.run.RunSettings;
import org.oobnet.harness.env.LoopbackNetwork;
import org.oobnet.harness.bench.transport.Transports;
import org.oobnet.harness.report.Outputs;
import org.oobnet.harness.report.Progress;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunResult;
import org.oobnet.harness.bench.udp.UdpRunner;
import org.oobnet.harness.bench.floor.FloorRows;

/**
 * The README's first command: a ~20 s UDP round-trip comparison, 64-byte messages, between two network namespaces
 * (loopback without privileges, where the packet transport is left out): oob-udp's packet transport (the OOB
 * path), its kernel busy-poll transport, and a blocking kernel socket on an ordinary thread (inband), next to the C
 * floor (a minimal C ring ping-pong, UDP-framed and raw) when a C compiler exists. Prints a progress line, the table, and where the files are.
 * <p>
 * <b>Note:</b> in-band.
 */
public final class DemoRun
{
    /** The rows, fastest first; a transport missing from this build is left out (and named). */
    static final List<RowSpec> ROWS = List.of(
        RowSpec.of("packet", true),
        RowSpec.of("kernel", true),
        RowSpec.of("inband", true));

    /** The measured seconds the demo shares among its rows (JVM starts and warm-ups come on top). */
    static final int MEASURED_SECONDS = 9;

    private DemoRun()
    {
    }

    /**
     * @param out where the table goes (progress goes to standard error).
     * @return the exit status: 0 when every row ran.
     * @throws IOException when the result files cannot be written.
     */
    public static int run(final PrintStream out) throws IOException
    {
        final List<RowSpec> rows = new ArrayList<>();
        for (final RowSpec row : ROWS)
        {
            if (Transports.isAvailable(row.transport()))
            {
                rows.add(row);
            }
        }
        Transports.missing().forEach((name, why) -> out.println("oobnet demo: transport=" + name + " left out: " + why));
        final List<String> floors = new ArrayList<>();
        FloorRows.addIfBuilt(floors, out, "oobnet demo");
        for (final String spec : floors)
        {
            rows.add(RowSpec.parse(spec, false));
        }
        final Path dir = ResultFolder.timestamped(Path.of("results"), "demo");
        final ResultFolder folder = new ResultFolder(dir);
        final RunSettings probe = RunSettings.defaults(1_000_000_000L, 1_000_000_000L);
        try (UdpRunner runner = new UdpRunner(probe, folder, out, false, new Progress(System.err, true)))
        {
            final boolean namespaces = !(runner.network() instanceof LoopbackNetwork);
            if (!namespaces)
            {
                rows.removeIf(row ->
                {
                    final boolean drop = row.needsNamespaces();
                    if (drop)
                    {
                        out.println("oobnet demo: " + row.label() + " left out: it needs two network namespaces");
                    }
                    return drop;
                });
            }
            final int seconds = Math.max(2, MEASURED_SECONDS / rows.size());
            runner.length(seconds * 1_000_000_000L);
            out.println("oobnet demo: 64-byte round trips, " + rows.size() + " runs of " + seconds +
                " s after a 1 s warm-up each; network=" + runner.network().kind() + ", measuring CPU " +
                probe.cpu() + ", reflector CPU " + probe.peerCpu());
            final List<RunResult> results = runner.run(rows, 1);
            Outputs.finish(folder, "oobnet demo: UDP round trip, 64 bytes", results, null, out);
            return results.size() == rows.size() ? 0 : 1;
        }
    }
}
