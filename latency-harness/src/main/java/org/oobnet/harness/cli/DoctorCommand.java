package org.oobnet.harness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.oobnet.config.ConfigLoader;
import org.oobnet.harness.doctor.CheckResult;
import org.oobnet.harness.doctor.Doctor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code oobnet doctor}: the preflight a latency run needs, as cyclictest and latmus users run before measuring.
 * Exits 1 when a requirement of the OOB path is missing, 0 otherwise (warnings included).
 * <p>
 * <b>Note:</b> in-band; creates and removes a network namespace.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = "Preflight this machine for the OOB path (exit 1 when not ready).")
final class DoctorCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "TOML configuration file to check as well.")
    Path config;

    @Override
    public Integer call()
    {
        if (null != config && !java.nio.file.Files.isRegularFile(config))
        {
            // a bad argument, not a finding about the machine: one line, the usage exit status
            spec.commandLine().getErr().println("oobnet doctor: --config " + config + ": no such file (give a TOML " +
                "file, e.g. config/oobnet.example.toml)");
            spec.commandLine().getErr().flush();
            return 2;
        }
        final List<CheckResult> results =
            Doctor.forThisMachine(ConfigLoader.fromEnvironment(), Optional.ofNullable(config)).run();
        spec.commandLine().getOut().print(Doctor.render(results));
        spec.commandLine().getOut().flush();
        return Doctor.exitStatus(results);
    }
}
