package org.oobnet.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the loader tests share: a fixed machine, an environment and properties of their own, a file to write. */
abstract class LoaderFixture
{
    /** Four CPUs, the process may use 0-2, CPU 2 isolated: "auto" picks 2. */
    static final CpuTopology TOPOLOGY = new CpuTopology(
        CpuList.parse("0-3"), CpuList.parse("0-2"), CpuList.parse("2"), CpuList.empty());

    /** The interfaces a [[stage]] table may name. */
    static final Set<String> INTERFACES = Set.of("lo", "veth0", "veth1", "veth2");

    @TempDir
    Path dir;

    final Map<String, String> env = new HashMap<>();
    final Properties properties = new Properties();

    EffectiveConfig load(final Path file)
    {
        return new ConfigLoader(env, properties, TOPOLOGY, INTERFACES).load(Optional.ofNullable(file));
    }

    Path file(final String text) throws IOException
    {
        return Files.writeString(dir.resolve("oobnet.toml"), text);
    }

    String problemsOf(final Path file)
    {
        return assertThrows(ConfigException.class, () -> load(file)).getMessage();
    }
}
