package org.oobnet.core;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.config.IdleStrategyType;
import org.oobnet.config.OobnetConfig;
import org.oobnet.config.StageConfig;
import org.oobnet.config.StageDefinition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OobConfigTest
{
    @Test
    void shouldHaveSaneDefaults()
    {
        final OobConfig config = OobConfig.defaults();
        assertEquals(OobConfig.CPU_AUTO, config.stageCpu());
        assertEquals(OobConfig.IdleStrategyKind.SPIN, config.idleStrategy());
        assertEquals(100_000L, config.stallThresholdNs());
        assertEquals(64 * 1024, config.sendRingBytes());
        assertEquals(config, config.toBuilder().build());
    }

    @Test
    void shouldReportEveryProblemTogetherWhenInvalid()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> OobConfig.builder()
            .stageCpu(-2)
            .stallThresholdNs(0)
            .sendRingBytes(1000)
            .countersDir(null)
            .build());
        assertEquals("invalid OOB config: stageCpu=-2 must be a CPU number or -1 (auto); stallThresholdNs=0 must be " +
            "> 0; sendRingBytes=1000 must be a power of two >= 1024; countersDir=null must be a directory path",
            ex.getMessage());
    }

    @Test
    void shouldParseIdleStrategyNamesAndNameTheBadOne()
    {
        assertEquals(OobConfig.IdleStrategyKind.BACKOFF, OobConfig.IdleStrategyKind.parse(" Backoff"));
        assertEquals("idleStrategy=sleep must be one of spin, yield, backoff, noop",
            assertThrows(IllegalArgumentException.class, () -> OobConfig.IdleStrategyKind.parse("sleep")).getMessage());
    }

    @Test
    void shouldTakeRuntimePartOfLoadedConfiguration()
    {
        final OobnetConfig loaded = OobnetConfig.defaults()
            .withStage(new StageConfig(1, IdleStrategyType.YIELD, 50_000L));
        final OobConfig config = OobConfig.from(loaded);
        assertEquals(1, config.stageCpu());
        assertEquals(OobConfig.IdleStrategyKind.YIELD, config.idleStrategy());
        assertEquals(50_000L, config.stallThresholdNs());
        assertEquals(loaded.rings().sendRingBytes(), config.sendRingBytes());
        assertEquals(loaded.counters().directory(), config.countersDir());
    }

    @Test
    void shouldTakeEveryConfiguredStage()
    {
        final StageConfig settings = new StageConfig(0, IdleStrategyType.YIELD, 50_000L);
        final OobnetConfig loaded = OobnetConfig.defaults().withStages(List.of(
            new StageDefinition("feed", settings, List.of("veth0")),
            new StageDefinition("orders", new StageConfig(1, IdleStrategyType.BACKOFF, 70_000L), List.of("veth1"))));

        final OobConfig config = OobConfig.from(loaded);

        assertEquals(List.of(
            new OobConfig.StageSpec("feed", 0, OobConfig.IdleStrategyKind.YIELD, 50_000L, List.of("veth0")),
            new OobConfig.StageSpec("orders", 1, OobConfig.IdleStrategyKind.BACKOFF, 70_000L, List.of("veth1"))),
            config.stages());
        assertEquals(0, config.stageCpu());
        // the first stage follows the builder's stage settings
        assertEquals(3, config.toBuilder().stageCpu(3).build().stages().getFirst().cpu());
        assertEquals(List.of(new OobConfig.StageSpec(OobConfig.DEFAULT_STAGE_NAME, OobConfig.CPU_AUTO,
            OobConfig.IdleStrategyKind.SPIN, OobConfig.DEFAULT_STALL_THRESHOLD_NS, List.of())),
            OobConfig.defaults().stages());
    }

    @Test
    void shouldNameWhatIsWrongWithStagesBuiltInCode()
    {
        final OobConfig.StageSpec a = new OobConfig.StageSpec("a", 1, OobConfig.IdleStrategyKind.YIELD, 1_000L,
            List.of("veth0"));
        final OobConfig.StageSpec b = new OobConfig.StageSpec("a", 1, OobConfig.IdleStrategyKind.YIELD, 1_000L,
            List.of("veth0"));

        assertEquals("invalid OOB config: stages: name=a is given to two stages; stages: cpu=1 is given to stages " +
            "a and a; stages: interface veth0 is claimed by stages a and a",
            assertThrows(IllegalArgumentException.class, () -> OobConfig.builder().stages(List.of(a, b)).build())
                .getMessage());
        assertEquals("stage name=a b must be 1 to 32 of [A-Za-z0-9_-]",
            assertThrows(IllegalArgumentException.class, () -> new OobConfig.StageSpec("a b", 1,
                OobConfig.IdleStrategyKind.YIELD, 1_000L, List.of())).getMessage());
    }

    @Test
    void shouldNameTheStageThatFindsNoCpuLeft(@org.junit.jupiter.api.io.TempDir final Path dir)
    {
        final org.oobnet.config.CpuTopology topology = org.oobnet.config.CpuTopology.read();
        final int usable = topology.online().intersect(topology.allowed()).toArray().length;
        final List<OobConfig.StageSpec> stages = new java.util.ArrayList<>();
        for (int i = 0; i <= usable; i++)
        {
            stages.add(new OobConfig.StageSpec("s" + i, OobConfig.CPU_AUTO, OobConfig.IdleStrategyKind.BACKOFF,
                100_000L, List.of()));
        }
        final OobConfig config = CoreTests.config(dir).stages(stages).build();

        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> OobRuntime.start(config));
        assertEquals("stage s" + usable + ": cpu=auto finds no CPU left (" + usable + " taken by the other stages: " +
            new java.util.TreeSet<>(java.util.Arrays.stream(topology.online().intersect(topology.allowed()).toArray())
                .boxed().toList()) + ")", refused.getMessage());
        assertEquals(null, org.oobnet.inband.KSocket.installedOobHooks(), "nothing left installed");
    }

    @Test
    void shouldChooseStageCpuFromTheTopology()
    {
        final StageCpu chosen = StageCpu.choose(OobConfig.CPU_AUTO);
        assertEquals(Runtime.getRuntime().availableProcessors() > 0, chosen.cpu() >= 0);
        assertEquals(Path.of("/dev/shm").toFile().isDirectory() ? Path.of("/dev/shm/oobnet") : OobConfig.defaultCountersDir(),
            OobConfig.defaultCountersDir());
    }
}
