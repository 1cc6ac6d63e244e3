package org.oobnet.core;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.config.ConfigException;
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
    void shouldRefuseSeveralStagesUntilTheRuntimeRunsThem()
    {
        final StageConfig settings = new StageConfig(0, IdleStrategyType.YIELD, 50_000L);
        final OobnetConfig loaded = OobnetConfig.defaults().withStages(List.of(
            new StageDefinition("feed", settings, List.of("veth0")),
            new StageDefinition("orders", settings.withCpu(1), List.of("veth1"))));

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage=feed, orders: 2 stages configured; this runtime runs one stage so far (keep one [[stage]])""",
            assertThrows(ConfigException.class, () -> OobConfig.from(loaded)).getMessage());
        assertEquals(0, OobConfig.from(loaded.withStages(loaded.stages().subList(0, 1))).stageCpu());
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
