package org.oobnet.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The {@code [[stage]]} list: loading, overrides, and every named refusal. */
class StageListTest extends LoaderFixture
{
    @Test
    void shouldHaveOneStageNamedMainWhenNoListIsGiven() throws IOException
    {
        final OobnetConfig config = load(file("[stage]\ncpu = 1\n")).config();

        assertEquals(List.of(new StageDefinition("main", new StageConfig(1, IdleStrategyType.SPIN, 20_000L), List.of())),
            config.stages());
        assertEquals(config.stages(), OobnetConfig.defaults().withStage(config.stage()).stages());
    }

    @Test
    void shouldLoadEachStageWithFlatKeysAsDefaultsAndOverridesByName() throws IOException
    {
        final Path file = file("""
            [[stage]]
            name = "feed"
            cpu = 0
            interfaces = ["veth0", "veth1"]

            [[stage]]
            name = "orders"
            idle_strategy = "backoff"
            stall_threshold = "50us"
            interfaces = ["veth2"]
            """);
        env.put("OOBNET_STAGE_IDLE_STRATEGY", "yield");
        env.put("OOBNET_STAGE_FEED_STALL_THRESHOLD", "1ms");
        properties.setProperty("oobnet.stage.orders.cpu", "1");

        final EffectiveConfig effective = load(file);

        final List<StageDefinition> expected = List.of(
            new StageDefinition("feed", new StageConfig(0, IdleStrategyType.YIELD, 1_000_000L), List.of("veth0", "veth1")),
            new StageDefinition("orders", new StageConfig(1, IdleStrategyType.BACKOFF, 50_000L), List.of("veth2")));
        assertEquals(expected, effective.config().stages());
        assertEquals(expected.getFirst().settings(), effective.config().stage());
        assertEquals(new ConfigValue("stage.feed.idle_strategy", "\"yield\"", new ConfigSource.Env("OOBNET_STAGE_IDLE_STRATEGY")),
            effective.value("stage.feed.idle_strategy").orElseThrow());
        assertEquals(new ConfigValue("stage.orders.cpu", "1", new ConfigSource.SystemProperty("oobnet.stage.orders.cpu")),
            effective.value("stage.orders.cpu").orElseThrow());
        assertEquals(new ConfigValue("stage.feed.interfaces", "[\"veth0\", \"veth1\"]", new ConfigSource.File(file, 4)),
            effective.value("stage.feed.interfaces").orElseThrow());
    }

    @Test
    void shouldGiveAutoStagesDistinctCpusIsolatedFirst() throws IOException
    {
        final Path file = file("[[stage]]\nname = \"a\"\n[[stage]]\nname = \"b\"\ncpu = 2\n[[stage]]\nname = \"c\"\n");

        assertEquals(1, TOPOLOGY.autoCpuExcept(Set.of(2)));
        assertEquals(0, TOPOLOGY.autoCpuExcept(Set.of(1, 2)));
        assertEquals(-1, TOPOLOGY.autoCpuExcept(Set.of(0, 1, 2)));
        assertEquals(3, load(file).config().stages().size());
    }

    @Test
    void shouldCheckInterfacesAgainstThisProcessNamespaceByDefault() throws IOException
    {
        // lo exists in every network namespace; the other name in none (longest legal name, not made by any test)
        final Path file = file("[[stage]]\nname = \"feed\"\ninterfaces = [\"lo\", \"oobnet-nosuch9\"]\n");

        final ConfigException ex = assertThrows(ConfigException.class,
            () -> new ConfigLoader(Map.of(), new java.util.Properties(), TOPOLOGY).load(Optional.of(file)));

        assertEquals(1, ex.problems().size(), ex.getMessage());
        assertEquals(new ConfigProblem("stage.feed.interfaces", "\"oobnet-nosuch9\"",
            ex.problems().getFirst().reason(), new ConfigSource.File(file, 3)), ex.problems().getFirst());
        assertTrue(ex.problems().getFirst().reason().startsWith("no such interface in this network namespace (it has "),
            ex.getMessage());
        assertTrue(ex.problems().getFirst().reason().contains("lo"), ex.getMessage());
    }

    @Test
    void shouldRefuseTwoStagesOnOneCpu() throws IOException
    {
        final Path file = file("[[stage]]\nname = \"feed\"\ncpu = 1\n[[stage]]\nname = \"orders\"\ncpu = 1\n");

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage.orders.cpu=1: two stages on one CPU: stage feed already runs on CPU 1 [%1$s:6]"""
            .formatted(file), problemsOf(file));
    }

    @Test
    void shouldRefuseTwoStagesOnOneCpuWhenBothTakeTheFlatCpu() throws IOException
    {
        final Path file = file("[[stage]]\nname = \"feed\"\n[[stage]]\nname = \"orders\"\n");
        env.put("OOBNET_STAGE_CPU", "2");

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage.orders.cpu=2: two stages on one CPU: stage feed already runs on CPU 2 [env OOBNET_STAGE_CPU]""",
            problemsOf(file));
    }

    @Test
    void shouldRefuseOneInterfaceClaimedByTwoStages() throws IOException
    {
        final Path file = file("""
            [[stage]]
            name = "feed"
            interfaces = ["veth0"]
            [[stage]]
            name = "orders"
            interfaces = ["veth1", "veth0"]
            """);

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage.orders.interfaces="veth0": interface already served by stage feed \
            (an interface belongs to one stage) [%1$s:6]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldRefuseUnknownInterfaceNamingThoseOfTheNamespace() throws IOException
    {
        final Path file = file("[[stage]]\nname = \"feed\"\ninterfaces = [\"veth9\", \"a/b\", 7, \"veth0\", \"veth0\"]\n");

        assertEquals("""
            invalid oobnet configuration (4 problems):
              stage.feed.interfaces="veth9": no such interface in this network namespace (it has lo, veth0, veth1, \
            veth2) [%1$s:3]
              stage.feed.interfaces="a/b": not a valid interface name (no '/', ':' or white space; not . or ..) \
            [%1$s:3]
              stage.feed.interfaces=7: expected an interface name, got an integer [%1$s:3]
              stage.feed.interfaces="veth0": interface listed twice [%1$s:3]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldRefuseStageWithNoCpuLeft() throws IOException
    {
        final Path file = file("""
            [[stage]]
            name = "a"
            [[stage]]
            name = "b"
            cpu = 0
            [[stage]]
            name = "c"
            [[stage]]
            name = "d"
            """);

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage.d.cpu="auto": no CPU left for this stage: this process may use CPUs 0-2, taken by stages \
            b (0), a (2), c (1) [default]""", problemsOf(file));
    }

    @Test
    void shouldRefuseDuplicateStageName() throws IOException
    {
        final Path file = file("[[stage]]\nname = \"feed\"\ncpu = 0\n[[stage]]\nname = \"feed\"\ncpu = 1\n");

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage.feed.name="feed": duplicate stage name, also the name of the stage given at %1$s:2 [%1$s:5]"""
            .formatted(file), problemsOf(file));
    }

    @Test
    void shouldRefuseMalformedTablesAndOverridesOfNoStage() throws IOException
    {
        final Path file = file("""
            [[stage]]
            cpu = 0
            [[stage]]
            name = "bad name"
            [[stage]]
            name = "feed"
            cpus = 1
            interfaces = "veth0"
            """);
        env.put("OOBNET_STAGE_ORDERS_CPU", "1");
        properties.setProperty("oobnet.stage.order.idle_strategy", "yield");

        assertEquals("""
            invalid oobnet configuration (6 problems):
              stage.feed.cpus=1: unknown key, did you mean cpu? [%1$s:7]
              OOBNET_STAGE_ORDERS_CPU=1: no such stage (the stages are bad name, feed)
              stage.order.idle_strategy=yield: no such stage (the stages are bad name, feed) \
            [-Doobnet.stage.order.idle_strategy]
              stage[1]: a [[stage]] table needs a name, such as name = "feed"
              stage."bad name".name="bad name": a stage name is letters, digits, '_' and '-' [%1$s:4]
              stage.feed.interfaces="veth0": expected an array of interface names such as ["veth0"], got a string \
            [%1$s:8]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldLoadSameStagesWhenPrintedOutputIsReadBack() throws IOException
    {
        final Path file = file("""
            [[stage]]
            name = "feed"
            cpu = 0
            interfaces = ["veth0"]
            [[stage]]
            name = "orders"
            idle_strategy = "yield"
            """);
        final EffectiveConfig first = load(file);

        final String text = first.render();
        final Path printed = Files.writeString(dir.resolve("printed.toml"), text);

        assertEquals(first.config(), load(printed).config(), text);
        assertTrue(text.contains("\n[[stage]]\nname                         = \"orders\"\n"), text);
        assertTrue(text.contains("\n# stage.cpu                  = \"auto\"             # default; the default of each [[stage]]\n"),
            text);
    }
}
