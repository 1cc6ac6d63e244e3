package org.oobnet.harness.bench.t2t;

import java.util.BitSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.openhft.affinity.Affinity;
import org.oobnet.harness.env.ChildJvm;
import org.oobnet.harness.env.CpuSet;

/**
 * How a tick-to-trade trader is pinned, the same for every row: only its trading thread runs on the trading CPU
 * (the stage for {@code t2t-stage}; the thread that receives the tick and sends the order for {@code t2t-spin} and
 * {@code t2t-blocking}); the JVM is started on the other CPUs (less the exchange's while any remains), so its main
 * thread, JIT compilers, GC and reporters stay off the trading CPU. A baseline is compared at its best: a spinning
 * thread with a CPU to itself, exactly as the stage gets one.
 * <p>
 * <b>Note:</b> stateless; {@link #pinCurrentThread} on the thread it pins.
 */
final class TraderPinning
{
    private TraderPinning()
    {
    }

    /**
     * In-band, in the runner: the trader child's command line, whatever its row.
     *
     * @param prefix  e.g. {@code ip netns exec <ns>}.
     * @param cpu     the trading CPU, -1 for none (then nothing is pinned).
     * @param peerCpu the exchange's CPU.
     * @param args    the trader's {@code oobnet} arguments.
     * @return the command: the JVM on CPUs other than the trading CPU.
     */
    static List<String> traderCommand(final List<String> prefix, final int cpu, final int peerCpu, final List<String> args)
    {
        final BitSet busy = new BitSet();
        busy.set(Math.max(0, cpu));
        busy.set(Math.max(0, peerCpu));
        return ChildJvm.stageCommand(prefix, cpu, busy, true, args);
    }

    /**
     * The thread rows' trading thread, before its first receive (a stage pins itself: {@code OobConfig.stageCpu}).
     *
     * @param cpu the trading CPU, -1 for none.
     * @return whether the thread now runs on {@code cpu} alone.
     */
    static boolean pinCurrentThread(final int cpu)
    {
        if (cpu < 0)
        {
            return false;
        }
        try
        {
            Affinity.setAffinity(cpu);
            final BitSet mask = Affinity.getAffinity();
            return mask.cardinality() == 1 && mask.get(cpu);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return false;
        }
    }

    /**
     * In-band, on the trader's main thread (whose mask the JVM's other threads share).
     *
     * @param cpu           the trading CPU, -1 for none.
     * @param tradingPinned whether the trading thread runs on it alone.
     * @return the trader's {@code pinning} object: {@code trading_cpu}, {@code trading_thread_pinned},
     *         {@code other_threads_cpus}.
     */
    static ObjectNode observed(final int cpu, final boolean tradingPinned)
    {
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("trading_cpu", cpu);
        o.put("trading_thread_pinned", tradingPinned);
        o.put("other_threads_cpus", CpuSet.format(Affinity.getAffinity()));
        return o;
    }

    /**
     * @param first  a round's {@code pinning}.
     * @param second another round's.
     * @return the first when both agree, else one that says they differ.
     */
    static JsonNode merge(final JsonNode first, final JsonNode second)
    {
        if (first.equals(second))
        {
            return first;
        }
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rounds_differ", true);
        o.set("first", first);
        o.set("second", second);
        return o;
    }
}
