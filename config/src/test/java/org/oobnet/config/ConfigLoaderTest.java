package org.oobnet.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ConfigLoaderTest extends LoaderFixture
{
    @Test
    void shouldUseDefaultsWhenNothingIsGiven()
    {
        final EffectiveConfig effective = load(null);

        assertEquals(OobnetConfig.defaults(), effective.config());
        assertTrue(effective.values().stream().allMatch(value -> value.source() == ConfigSource.DEFAULT));
        assertEquals(2, effective.config().stage().resolveCpu(TOPOLOGY));
        assertEquals(Optional.empty(), effective.file());
    }

    @Test
    void shouldReadFileAndRecordLinesWhenFileGiven() throws IOException
    {
        final Path file = file("""
            [stage]
            cpu = 1
            idle_strategy = "yield"
            stall_threshold = "50us"

            [rings]
            control_queue_capacity = 4096
            send_ring_bytes = "1MiB"
            receive_ring_bytes = 131072

            [interfaces.veth0]
            rx_ring_frames = 512
            qdisc_bypass = false

            [interfaces."eth0.100"]

            [udp]
            transport = "kernel"

            [counters]
            directory = "/tmp/oobnet-counters"

            [harness]
            message_size_bytes = 256
            duration = "30s"
            warmup = "0s"
            rate_per_second = 0
            """);

        final EffectiveConfig effective = load(file);
        final OobnetConfig config = effective.config();

        assertEquals(new StageConfig(1, IdleStrategyType.YIELD, 50_000L), config.stage());
        assertEquals(new RingsConfig(4096, 1 << 20, 131072), config.rings());
        assertEquals(List.of(
                new InterfaceConfig("veth0", 512, 2048, 256, false),
                new InterfaceConfig("eth0.100", 256, 2048, 256, true)),
            config.interfaces());
        assertEquals(new UdpConfig(UdpTransport.KERNEL), config.udp());
        assertEquals(new CountersConfig(Path.of("/tmp/oobnet-counters")), config.counters());
        assertEquals(new HarnessConfig(256, 30_000_000_000L, 0L, 0), config.harness());
        assertEquals(new ConfigValue("stage.cpu", "1", new ConfigSource.File(file, 2)),
            effective.value("stage.cpu").orElseThrow());
        assertEquals(new ConfigValue("rings.send_ring_bytes", "\"1MiB\"", new ConfigSource.File(file, 8)),
            effective.value("rings.send_ring_bytes").orElseThrow());
        assertEquals(new ConfigValue("interfaces.veth0.frame_size", "2048", ConfigSource.DEFAULT),
            effective.value("interfaces.veth0.frame_size").orElseThrow());
        assertEquals(Optional.of(file), effective.file());
    }

    @Test
    void shouldOverrideFileWithEnvAndEnvWithPropertyWhenAllSet() throws IOException
    {
        final Path file = file("[stage]\ncpu = 0\nidle_strategy = \"yield\"\n[harness]\nduration = \"5s\"\n");
        env.put("OOBNET_STAGE_CPU", "1");
        env.put("OOBNET_STAGE_IDLE_STRATEGY", "backoff");
        properties.setProperty("oobnet.stage.idle_strategy", "noop");

        final EffectiveConfig effective = load(file);

        assertEquals(new StageConfig(1, IdleStrategyType.NOOP, 20_000L), effective.config().stage());
        assertEquals(new ConfigSource.Env("OOBNET_STAGE_CPU"), effective.value("stage.cpu").orElseThrow().source());
        assertEquals(new ConfigSource.SystemProperty("oobnet.stage.idle_strategy"),
            effective.value("stage.idle_strategy").orElseThrow().source());
        assertEquals(new ConfigSource.File(file, 5), effective.value("harness.duration").orElseThrow().source());
    }

    @Test
    void shouldDeclareInterfacesWhenSetByEnvOrProperty() throws IOException
    {
        final Path file = file("[interfaces.veth-a]\nframe_size = 4096\n");
        env.put("OOBNET_INTERFACES_VETH_A_RX_RING_FRAMES", "1024");
        env.put("OOBNET_INTERFACES_ETH1_QDISC_BYPASS", "false");
        properties.setProperty("oobnet.interfaces.veth-a.frame_size", "8192");
        properties.setProperty("oobnet.interfaces.lo.tx_ring_frames", "64");

        final OobnetConfig config = load(file).config();

        assertEquals(List.of(
                new InterfaceConfig("veth-a", 1024, 8192, 256, true),
                new InterfaceConfig("eth1", 256, 2048, 256, false),
                new InterfaceConfig("lo", 256, 2048, 64, true)),
            config.interfaces());
        assertEquals(InterfaceConfig.defaults("veth9"), config.interfaceConfig("veth9"));
    }

    @Test
    void shouldIgnoreVariablesAndPropertiesOutsideTheTables()
    {
        env.put("OOBNET_TEST", "1");
        env.put("OOBNET_REQUIRE_PRIVILEGED", "1");
        env.put("PATH", "/usr/bin");
        properties.setProperty("oobnet.home", "/work");
        properties.setProperty("oobnet.java.home", "/usr/lib/jvm/x");

        assertEquals(OobnetConfig.defaults(), load(null).config());
    }

    @Test
    void shouldTakeFileFromPropertyThenEnvWhenNoneGiven() throws IOException
    {
        final Path file = file("[stage]\ncpu = 1\n");
        env.put("OOBNET_CONFIG", file.toString());
        final ConfigLoader loader = new ConfigLoader(env, properties, TOPOLOGY);

        assertEquals(Optional.of(file), loader.configFile(Optional.empty()));
        assertEquals(1, loader.load(Optional.empty()).config().stage().cpu());

        properties.setProperty("oobnet.config", "/elsewhere.toml");
        assertEquals(Optional.of(Path.of("/elsewhere.toml")),
            new ConfigLoader(env, properties, TOPOLOGY).configFile(Optional.empty()));
        assertEquals(Optional.of(Path.of("/given.toml")),
            new ConfigLoader(env, properties, TOPOLOGY).configFile(Optional.of(Path.of("/given.toml"))));
    }

    @Test
    void shouldSuggestNearestKeyWhenKeyUnknown() throws IOException
    {
        final Path file = file("[stage]\nidle_stratgy = \"spin\"\n[stgae]\ncpu = 1\n");

        assertEquals("""
            invalid oobnet configuration (2 problems):
              stage.idle_stratgy="spin": unknown key, did you mean stage.idle_strategy? [%1$s:2]
              stgae.cpu=1: unknown key, did you mean stage.cpu? [%1$s:4]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldListValidKeysWhenUnknownKeyIsNotATypo() throws IOException
    {
        final Path file = file("[rings]\ncolour = \"red\"\n[interfaces.veth0]\nspeed = 10\n[logging]\nlevel = 1\n");

        assertEquals("""
            invalid oobnet configuration (3 problems):
              rings.colour="red": unknown key (the keys of [rings] are control_queue_capacity, send_ring_bytes, \
            receive_ring_bytes) [%1$s:2]
              interfaces.veth0.speed=10: unknown key (the keys of an interface table are rx_ring_frames, frame_size, \
            tx_ring_frames, qdisc_bypass) [%1$s:4]
              logging.level=1: unknown key (the tables are stage, rings, interfaces, udp, counters, harness) \
            [%1$s:6]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldSuggestNearestWhenEnvOrPropertyUnknown()
    {
        env.put("OOBNET_STAGE_CPUS", "1");
        env.put("OOBNET_INTERFACES_VETH0_FRAMESIZE", "2048");
        properties.setProperty("oobnet.rings.send_ring_byte", "4096");

        assertEquals("""
            invalid oobnet configuration (3 problems):
              OOBNET_INTERFACES_VETH0_FRAMESIZE=2048: unknown key, did you mean OOBNET_INTERFACES_VETH0_FRAME_SIZE?
              OOBNET_STAGE_CPUS=1: unknown key, did you mean OOBNET_STAGE_CPU?
              rings.send_ring_byte=4096: unknown key, did you mean rings.send_ring_bytes? \
            [-Doobnet.rings.send_ring_byte]""", problemsOf(null));
    }

    @Test
    void shouldRefuseWhenTypeIsWrong() throws IOException
    {
        final Path file = file("""
            [stage]
            cpu = true
            idle_strategy = 1
            stall_threshold = 20
            [rings]
            control_queue_capacity = "many"
            send_ring_bytes = 1.5
            [interfaces.veth0]
            qdisc_bypass = "yes"
            [counters]
            directory = ["/tmp"]
            """);

        assertEquals("""
            invalid oobnet configuration (7 problems):
              stage.cpu=true: expected a CPU number or "auto", got a boolean [%1$s:2]
              stage.idle_strategy=1: expected one of spin, yield, backoff, noop, got an integer [%1$s:3]
              stage.stall_threshold=20: expected a duration with a unit (ns, us, ms, s, m, h) such as "20us", \
            got an integer [%1$s:4]
              rings.control_queue_capacity="many": expected an integer, got a string [%1$s:6]
              rings.send_ring_bytes=1.5: expected a byte size such as 65536 or "64KiB", got a float [%1$s:7]
              counters.directory=["/tmp"]: expected an absolute path, got an array [%1$s:11]
              interfaces.veth0.qdisc_bypass="yes": expected a boolean (true or false), got a string \
            [%1$s:9]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldRefuseWhenEnvTextIsNotOfTheType()
    {
        env.put("OOBNET_RINGS_CONTROL_QUEUE_CAPACITY", "lots");
        env.put("OOBNET_INTERFACES_VETH0_QDISC_BYPASS", "yes");
        properties.setProperty("oobnet.stage.cpu", "first");

        assertEquals("""
            invalid oobnet configuration (3 problems):
              stage.cpu=first: expected a CPU number or "auto" [-Doobnet.stage.cpu]
              rings.control_queue_capacity=lots: expected an integer [env OOBNET_RINGS_CONTROL_QUEUE_CAPACITY]
              interfaces.veth0.qdisc_bypass=yes: expected true or false \
            [env OOBNET_INTERFACES_VETH0_QDISC_BYPASS]""", problemsOf(null));
    }

    @Test
    void shouldRefuseWhenOutOfRange() throws IOException
    {
        final Path file = file("""
            [stage]
            stall_threshold = "500ns"
            idle_strategy = "sleep"
            [harness]
            message_size_bytes = 70000
            rate_per_second = -1
            duration = "2d"
            [counters]
            directory = "relative/dir"
            [interfaces.veth0]
            frame_size = 131072
            """);

        assertEquals("""
            invalid oobnet configuration (7 problems):
              stage.idle_strategy="sleep": must be one of spin, yield, backoff, noop [%1$s:3]
              stage.stall_threshold="500ns": must be between 1us and 1s [%1$s:2]
              counters.directory="relative/dir": must be an absolute path [%1$s:9]
              harness.message_size_bytes=70000: must be between 1 and 65507 [%1$s:5]
              harness.duration="2d": unknown unit "d" (use ns, us, ms, s, m or h) [%1$s:7]
              harness.rate_per_second=-1: must be between 0 and 10000000 [%1$s:6]
              interfaces.veth0.frame_size=131072: must be a power of two between 128 and 65536 \
            [%1$s:11]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldLoadMaxMembershipsWhenInRange() throws IOException
    {
        final Path file = file("""
            [udp]
            max_memberships = 64
            """);

        assertEquals(new UdpConfig(UdpTransport.PACKET, 64, ReassemblyConfig.DEFAULTS), load(file).config().udp());
    }

    @Test
    void shouldRefuseMaxMembershipsWhenOutOfRange() throws IOException
    {
        final Path file = file("""
            [udp]
            max_memberships = 0
            """);

        assertEquals("""
            invalid oobnet configuration (1 problem):
              udp.max_memberships=0: must be between 1 and 1024 [%1$s:2]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldReadReassemblyLimitsWhenUdpTableSetsThem() throws IOException
    {
        final Path file = file("""
            [udp]
            reassembly_slots = 4
            reassembly_slot_bytes = 9216
            reassembly_max_fragments = 8
            reassembly_timeout = "5ms"
            """);

        assertEquals(new UdpConfig(UdpTransport.PACKET, 20, new ReassemblyConfig(4, 9216, 8, 5_000_000L)),
            load(file).config().udp());
        assertEquals(4L * 9216, load(file).config().udp().reassembly().memoryBytes());
    }

    @Test
    void shouldRefuseWhenReassemblyLimitsAreOutOfRange() throws IOException
    {
        final Path file = file("""
            [udp]
            reassembly_slots = -1
            reassembly_slot_bytes = 65536
            reassembly_max_fragments = 1
            reassembly_timeout = "1m"
            """);

        assertEquals("""
            invalid oobnet configuration (4 problems):
              udp.reassembly_slots=-1: must be between 0 and 4096 [%1$s:2]
              udp.reassembly_slot_bytes=65536: must be between 576 and 65535 [%1$s:3]
              udp.reassembly_max_fragments=1: must be between 2 and 8192 [%1$s:4]
              udp.reassembly_timeout="1m": must be between 1ms and 30s [%1$s:5]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldNameEveryLimitWhenReassemblyConfigIsBuiltOutOfRange()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new ReassemblyConfig(5000, 100, 9000, 0));

        assertEquals("invalid ReassemblyConfig: udp.reassembly_slots=5000 must be 0..4096;" +
            " udp.reassembly_slot_bytes=100 must be 576..65535; udp.reassembly_max_fragments=9000 must be" +
            " 2..8192; udp.reassembly_timeoutNs=0 must be 1000000..30000000000;", error.getMessage());
    }

    @Test
    void shouldRefuseWhenRingSizeIsNotAPowerOfTwo() throws IOException
    {
        final Path file = file("""
            [rings]
            control_queue_capacity = 1000
            send_ring_bytes = "100KiB"
            receive_ring_bytes = 65535
            [interfaces.veth0]
            rx_ring_frames = 300
            frame_size = 1500
            tx_ring_frames = 12
            """);

        assertEquals("""
            invalid oobnet configuration (6 problems):
              rings.control_queue_capacity=1000: not a power of two (nearest: 512 or 1024) [%1$s:2]
              rings.send_ring_bytes="100KiB": not a power of two (nearest: 65536 or 131072) [%1$s:3]
              rings.receive_ring_bytes=65535: not a power of two (nearest: 32768 or 65536) [%1$s:4]
              interfaces.veth0.rx_ring_frames=300: not a power of two (nearest: 256 or 512) [%1$s:6]
              interfaces.veth0.frame_size=1500: not a power of two (nearest: 1024 or 2048) [%1$s:7]
              interfaces.veth0.tx_ring_frames=12: not a power of two (nearest: 8 or 16) \
            [%1$s:8]""".formatted(file), problemsOf(file));
    }

    @Test
    void shouldRefuseWhenCpuDoesNotExist()
    {
        env.put("OOBNET_STAGE_CPU", "7");

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage.cpu=7: no such CPU (this machine has CPUs 0-3) [env OOBNET_STAGE_CPU]""", problemsOf(null));
    }

    @Test
    void shouldRefuseWhenProcessMayNotUseCpu()
    {
        properties.setProperty("oobnet.stage.cpu", "3");

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage.cpu=3: this process may not run on CPU 3 (its affinity allows CPUs 0-2) \
            [-Doobnet.stage.cpu]""", problemsOf(null));
    }

    @Test
    void shouldRefuseCpuAgainstThisMachineWhenReadFromProc()
    {
        final CpuTopology real = CpuTopology.read();
        final Properties cpu = new Properties();
        cpu.setProperty("oobnet.stage.cpu", "4096");

        final ConfigException ex = assertThrows(ConfigException.class,
            () -> new ConfigLoader(Map.of(), cpu, real).load(Optional.empty()));

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage.cpu=4096: no such CPU (this machine has CPUs %s) [-Doobnet.stage.cpu]"""
            .formatted(real.online()), ex.getMessage());
    }

    @Test
    void shouldReportLineAndColumnWhenSyntaxIsWrong() throws IOException
    {
        final Path file = file("[stage]\ncpu = 1\nidle_strategy = \"spin\n[rings]\nsend_ring_bytes = \n");
        env.put("OOBNET_STAGE_CPU", "9");

        assertEquals("""
            invalid oobnet configuration (3 problems):
              %1$s:3:22: TOML syntax error: Unexpected end of line, expected " or a character
              %1$s:5:19: TOML syntax error: Unexpected end of line, expected a value
              stage.cpu=9: no such CPU (this machine has CPUs 0-3) [env OOBNET_STAGE_CPU]"""
            .formatted(file), problemsOf(file));
    }

    @Test
    void shouldRefuseWhenFileIsMissing()
    {
        final Path missing = dir.resolve("missing.toml");

        assertEquals("""
            invalid oobnet configuration (1 problem):
              %s: no such configuration file""".formatted(missing), problemsOf(missing));
    }

    @Test
    void shouldRefuseWhenTableIsNotATable() throws IOException
    {
        final Path file = file("stage = 1\ninterfaces = [\"veth0\"]\n[interfaces]\n");
        final Path file2 = Files.writeString(dir.resolve("b.toml"), "[interfaces]\nveth0 = 1\n");

        assertEquals("""
            invalid oobnet configuration (1 problem):
              stage=1: expected a table [stage] [%1$s:1]""".formatted(file),
            problemsOf(Files.writeString(file, "stage = 1\n")));
        assertEquals("""
            invalid oobnet configuration (1 problem):
              interfaces=["veth0"]: expected one table per interface, such as [interfaces.veth0] [%1$s:1]"""
            .formatted(file), problemsOf(Files.writeString(file, "interfaces = [\"veth0\"]\n")));
        assertEquals("""
            invalid oobnet configuration (1 problem):
              interfaces.veth0=1: expected a table [interfaces.veth0] of interface settings [%1$s:2]"""
            .formatted(file2), problemsOf(file2));
    }

    @Test
    void shouldRefuseWhenInterfaceNameIsInvalid() throws IOException
    {
        final Path file = file("[interfaces.a-very-long-interface]\n[interfaces.\"a/b\"]\n");

        assertEquals("""
            invalid oobnet configuration (2 problems):
              interfaces.a-very-long-interface: interface name longer than 15 characters [%1$s:1]
              interfaces.a/b: not a valid interface name (no '/', ':' or white space; not . or ..) [%1$s:2]"""
            .formatted(file), problemsOf(file));
    }

    @Test
    void shouldReportEveryProblemOfEveryLayerTogether() throws IOException
    {
        final Path file = file("[stage]\ncpu = 5\n[rings]\nsend_ring_bytes = 3000\n");
        env.put("OOBNET_UDP_TRANSPORT", "xdp");
        properties.setProperty("oobnet.harness.warmup", "-1s");

        final ConfigException ex = assertThrows(ConfigException.class, () -> load(file));

        assertEquals(List.of(
                new ConfigProblem("stage.cpu", "5", "no such CPU (this machine has CPUs 0-3)",
                    new ConfigSource.File(file, 2)),
                new ConfigProblem("rings.send_ring_bytes", "3000", "must be a power of two between 4096 and 1073741824",
                    new ConfigSource.File(file, 4)),
                new ConfigProblem("udp.transport", "xdp", "must be one of packet, kernel",
                    new ConfigSource.Env("OOBNET_UDP_TRANSPORT")),
                new ConfigProblem("harness.warmup", "-1s",
                    "expected a duration with a unit (ns, us, ms, s, m, h) such as \"20us\"",
                    new ConfigSource.SystemProperty("oobnet.harness.warmup"))),
            ex.problems());
    }

    @Test
    void shouldRenderEveryValueWithItsSourceWhenPrinting() throws IOException
    {
        final Path file = file("[stage]\nidle_strategy = \"yield\"\n[interfaces.veth0]\nframe_size = 4096\n");
        env.put("OOBNET_RINGS_SEND_RING_BYTES", "128k");
        properties.setProperty("oobnet.counters.directory", "/tmp/c");

        final String text = load(file).render();

        assertEquals("""
            # oobnet effective configuration; precedence: default < file < OOBNET_* env < -Doobnet.* property
            # file: %1$s
            stage.cpu                       = "auto"    # default; auto picks CPU 2 (isolated)
            stage.idle_strategy             = "yield"   # %1$s:2
            stage.stall_threshold           = "20us"    # default
            rings.control_queue_capacity    = 1024      # default
            rings.send_ring_bytes           = "128KiB"  # env OOBNET_RINGS_SEND_RING_BYTES
            rings.receive_ring_bytes        = "64KiB"   # default
            udp.transport                   = "packet"  # default
            udp.max_memberships             = 20        # default
            udp.reassembly_slots            = 16        # default
            udp.reassembly_slot_bytes       = 65535     # default
            udp.reassembly_max_fragments    = 64        # default
            udp.reassembly_timeout          = "100ms"   # default
            counters.directory              = "/tmp/c"  # -Doobnet.counters.directory
            harness.message_size_bytes      = 64        # default
            harness.duration                = "10s"     # default
            harness.warmup                  = "2s"      # default
            harness.rate_per_second         = 1000      # default
            interfaces.veth0.rx_ring_frames = 256       # default
            interfaces.veth0.frame_size     = 4096      # %1$s:4
            interfaces.veth0.tx_ring_frames = 256       # default
            interfaces.veth0.qdisc_bypass   = true      # default
            """.formatted(file), text);
    }

    @Test
    void shouldLoadSameConfigurationWhenPrintedOutputIsReadBack() throws IOException
    {
        final Path file = file("[stage]\ncpu = 1\n[interfaces.\"eth0.100\"]\nframe_size = 4096\n[harness]\nwarmup = \"0s\"\n");
        final EffectiveConfig first = load(file);

        final Path printed = Files.writeString(dir.resolve("printed.toml"), first.render());

        assertEquals(first.config(), load(printed).config());
    }

    @Test
    void shouldLoadExampleFileWithDefaultValuesWhenShipped()
    {
        final Path example = Path.of("oobnet.example.toml");

        final EffectiveConfig effective = load(example);

        final OobnetConfig defaults = OobnetConfig.defaults();
        assertEquals(new OobnetConfig(defaults.stage(), defaults.rings(), List.of(InterfaceConfig.defaults("veth0")),
                defaults.udp(), new CountersConfig(Path.of("/dev/shm/oobnet")), defaults.harness()),
            effective.config());
        assertTrue(effective.values().stream().allMatch(value -> value.source() instanceof ConfigSource.File),
            "every key of the example is set in it");
    }
}
