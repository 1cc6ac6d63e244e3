package org.oobnet.harness.doctor;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

import org.oobnet.config.ConfigException;
import org.oobnet.config.ConfigLoader;

/**
 * Whether the configuration (file, environment, properties) loads: nothing starts with an invalid one.
 * <p>
 * <b>Note:</b> stateless.
 */
final class ConfigCheck implements Check
{
    private final ConfigLoader loader;
    private final Optional<Path> file;

    ConfigCheck(final ConfigLoader loader, final Optional<Path> file)
    {
        this.loader = loader;
        this.file = file;
    }

    @Override
    public String name()
    {
        return "config";
    }

    @Override
    public CheckResult run()
    {
        final String from = loader.configFile(file).map(Path::toString).orElse("defaults, no file");
        try
        {
            loader.load(file);
            return CheckResult.ok(name(), "valid (" + from + ", with OOBNET_* and -Doobnet.* overrides)");
        }
        catch (final ConfigException ex)
        {
            return CheckResult.fail(name(), ex.problems().size() + " problem(s) in " + from + ":\n" +
                    ex.problems().stream().map(Object::toString).collect(Collectors.joining("\n")),
                "fix the values above; ./oobnet config --print shows every value and where it came from");
        }
    }
}
