package org.oobnet.harness.doctor;

import org.oobnet.inband.Capabilities;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.oobnet.config.ConfigException;
import org.oobnet.config.ConfigLoader;
import org.oobnet.config.CpuTopology;

/**
 * The preflight of {@code oobnet doctor}: runs every check of the machine and renders one aligned line per
 * check (OK / WARN / FAIL, and for WARN and FAIL what to change). The run fails when any check fails: a
 * requirement of the OOB path is missing; warnings only make latency worse.
 * <p>
 * <b>Note:</b> in-band, not thread safe.
 */
public final class Doctor
{
    /** Exit status when every requirement is met (warnings allowed). */
    public static final int EXIT_READY = 0;
    /** Exit status when a requirement of the OOB path is missing. */
    public static final int EXIT_NOT_READY = 1;

    private final List<Check> checks;

    /**
     * A doctor running the given checks in order.
     *
     * @param checks the checks.
     */
    public Doctor(final List<Check> checks)
    {
        this.checks = List.copyOf(checks);
    }

    /**
     * The checks of this machine, for the configuration that the loader finds (the stage's CPU comes from it;
     * when it is invalid, from the automatic pick).
     *
     * @param loader the configuration loader of this process.
     * @param file   a configuration file given on the command line, if any.
     * @return the doctor.
     */
    public static Doctor forThisMachine(final ConfigLoader loader, final Optional<Path> file)
    {
        final CpuTopology topology = CpuTopology.read();
        int stageCpu;
        try
        {
            stageCpu = loader.load(file).config().stage().resolveCpu(topology);
        }
        catch (final ConfigException ex)
        {
            stageCpu = topology.autoCpu(); // the config check reports the problems
        }
        return new Doctor(List.of(
            new JdkCheck(),
            new CpuCheck(topology),
            new KernelCheck(),
            new ClocksourceCheck(),
            new IsolatedCpusCheck(topology, stageCpu),
            new NohzFullCheck(topology, stageCpu),
            new GovernorCheck(stageCpu),
            new HugepagesCheck(),
            new MemlockCheck(),
            new CapabilityCheck(Capabilities.CAP_NET_RAW, "CAP_NET_RAW",
                "needed by the runtime for oob-packet AF_PACKET sockets and their rings, and oob-udp's packet " +
                "transport; not by oob-udp's kernel transport nor the AF_OOB bus", true),
            new CapabilityCheck(Capabilities.CAP_NET_ADMIN, "CAP_NET_ADMIN",
                "needed only to make network namespaces and veth pairs and take links up or down (demo, latency " +
                "between namespaces, soak, tests); not by the runtime's sockets, rings or PACKET_QDISC_BYPASS", false),
            new NetnsVethCheck(),
            new TimestampingCheck(),
            new ConfigCheck(loader, file)));
    }

    /**
     * Runs every check; a check that throws is a FAIL naming the exception.
     *
     * @return the results in order.
     */
    public List<CheckResult> run()
    {
        final List<CheckResult> results = new ArrayList<>();
        for (final Check check : checks)
        {
            try
            {
                results.add(check.run());
            }
            catch (final RuntimeException ex)
            {
                results.add(CheckResult.fail(check.name(), "the check itself failed: " + ex,
                    "report this as a bug of oobnet doctor, with the line above"));
            }
        }
        return results;
    }

    /**
     * The exit status of a run.
     *
     * @param results the results.
     * @return {@link #EXIT_NOT_READY} when any failed, else {@link #EXIT_READY}.
     */
    public static int exitStatus(final List<CheckResult> results)
    {
        return results.stream().anyMatch(result -> result.status() == Status.FAIL) ? EXIT_NOT_READY : EXIT_READY;
    }

    /**
     * The report: a title, one aligned line per check (continuation lines and the fix indented under the detail),
     * and a summary.
     *
     * @param results the results.
     * @return the text, lines ending with a newline.
     */
    public static String render(final List<CheckResult> results)
    {
        int nameWidth = 0;
        for (final CheckResult result : results)
        {
            nameWidth = Math.max(nameWidth, result.name().length());
        }
        final String indent = " ".repeat(2 + 6 + nameWidth + 2);
        final StringBuilder text = new StringBuilder("oobnet doctor: preflight of this machine for the OOB path\n");
        int ok = 0;
        int warn = 0;
        int fail = 0;
        for (final CheckResult result : results)
        {
            text.append("  ")
                .append(result.status()).append(" ".repeat(6 - result.status().name().length()))
                .append(result.name()).append(" ".repeat(nameWidth - result.name().length() + 2));
            final String[] lines = result.detail().split("\n");
            text.append(lines[0]).append('\n');
            for (int i = 1; i < lines.length; i++)
            {
                text.append(indent).append(lines[i]).append('\n');
            }
            if (!result.fix().isEmpty())
            {
                text.append(indent).append("-> ").append(result.fix()).append('\n');
            }
            switch (result.status())
            {
                case OK -> ok++;
                case WARN -> warn++;
                case FAIL -> fail++;
            }
        }
        text.append("summary: ").append(ok).append(" OK, ").append(warn).append(" WARN, ").append(fail).append(" FAIL: ");
        if (fail > 0)
        {
            text.append("NOT READY, a requirement of the OOB path is missing (FAIL above)\n");
        }
        else if (warn > 0)
        {
            text.append("ready for the OOB path; latency will be noisier until the WARN lines are fixed\n");
        }
        else
        {
            text.append("ready for the OOB path\n");
        }
        return text.toString();
    }
}
