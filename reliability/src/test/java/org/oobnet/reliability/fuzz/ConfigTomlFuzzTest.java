package org.oobnet.reliability.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.oobnet.config.ConfigException;
import org.oobnet.config.ConfigLoader;
import org.oobnet.config.ConfigProblem;
import org.oobnet.config.CpuTopology;
import org.oobnet.config.EffectiveConfig;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fuzzes the TOML configuration loader with arbitrary file contents: a configuration, or a
 * {@link ConfigException} naming at least one problem with a message; never another exception or a hang.
 * The seed corpus holds the project's example configuration.
 */
class ConfigTomlFuzzTest
{
    private static final ConfigLoader LOADER = new ConfigLoader(Map.of(), new Properties(), CpuTopology.read());
    private static Path dir;
    private static Path file;

    @BeforeAll
    static void createFile() throws IOException
    {
        dir = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp"),
            "oobnet-fuzz-config-");
        file = dir.resolve("oobnet.toml");
    }

    @AfterAll
    static void deleteFile() throws IOException
    {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldLoadOrListProblemsWhenTomlIsArbitrary(final byte[] toml) throws IOException
    {
        Files.write(file, toml);
        try
        {
            final EffectiveConfig config = LOADER.load(Optional.of(file));
            assertNotNull(config.config());
            assertNotNull(config.render());
        }
        catch (final ConfigException ex)
        {
            assertFalse(ex.problems().isEmpty(), "a ConfigException without problems");
            for (final ConfigProblem problem : ex.problems())
            {
                assertNotNull(problem.toString());
            }
            assertNotNull(ex.getMessage());
        }
    }
}
