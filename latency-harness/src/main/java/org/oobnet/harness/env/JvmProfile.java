package org.oobnet.harness.env;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM flags of latency runs. {@link #BASE} goes to every JVM of ours (FFM, Agrona, headless charts);
 * {@link #LOW_LATENCY} is the low-latency profile, applied to the measuring and reflecting child processes unless
 * {@code --profile off}. Each flag is justified in {@code docs/tuning.md}.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class JvmProfile
{
    /** Flags every JVM that runs oobnet code needs. */
    public static final List<String> BASE = List.of(
        "--enable-native-access=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        // the number of the JIT's compiles in a measured phase (report/JitDelta reads HotSpot's counter)
        "--add-exports", "java.management/sun.management=ALL-UNNAMED",
        "-Djava.awt.headless=true",
        // the runs report the stage's per-hop timestamps (off by default in the runtime: about 135 ns a frame);
        // OOBNET_CHILD_JAVA_OPTS=-Doobnet.hops=false, appended later, wins for an A/B of their cost
        "-Doobnet.hops=true");

    /** The low-latency profile; see docs/tuning.md for why each flag is here. */
    public static final List<String> LOW_LATENCY = List.of(
        "-Xms128m",
        "-Xmx128m",
        "-XX:+AlwaysPreTouch",
        "-XX:+UseTransparentHugePages",
        "-XX:+UseSerialGC",
        "-XX:+UnlockDiagnosticVMOptions",
        "-XX:GuaranteedSafepointInterval=0",
        "-XX:PerMethodTrapLimit=0",
        "-XX:PerBytecodeTrapLimit=0",
        "-XX:+AlwaysPreTouchStacks",
        "-XX:+PerfDisableSharedMem");

    private JvmProfile()
    {
    }

    /**
     * @return whether this JVM was started with every flag of {@link #LOW_LATENCY}.
     */
    public static boolean isActive()
    {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().containsAll(LOW_LATENCY);
    }
}
