package org.oobnet.harness.bench.run;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.oobnet.core.OobRuntime;
import org.oobnet.core.RuntimeStage;
import org.oobnet.core.StringConstants;

/**
 * The bytes a runtime's stage threads allocated since a mark taken at the end of a warm-up: what every harness run
 * reports as its stage's allocation ({@code stage_alloc_bytes}).
 * <p>
 * Taking the mark first resolves, in-band, the string constants of the classes the warm-up loaded
 * ({@link StringConstants}), the libraries the harness runs on a stage ({@link #STAGE_LIBRARIES}) included: a method
 * first compiled later, when a cold path is first taken (a late datagram, a drop, a fault), then finds nothing of
 * its class to make on the stage.
 * <p>
 * <b>Note:</b> in-band; one instance per measured phase.
 */
public final class StageAllocation
{
    /** Packages outside oobnet and Agrona whose code the harness runs on a stage: its handlers' histograms. */
    public static final List<String> STAGE_LIBRARIES = List.of("org.HdrHistogram");

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final long[] threadIds;
    private final long startBytes;

    private StageAllocation(final OobRuntime runtime)
    {
        resolveStageStrings();
        final List<RuntimeStage> stages = runtime.stages();
        threadIds = new long[stages.size()];
        for (int i = 0; i < threadIds.length; i++)
        {
            threadIds[i] = stages.get(i).thread().threadId();
        }
        startBytes = allocated();
    }

    /**
     * The end of a warm-up: resolves the loaded classes' string constants and reads every stage's allocated bytes.
     *
     * @param runtime the running runtime.
     * @return the mark, to read {@link #bytesSince()} from.
     */
    public static StageAllocation mark(final OobRuntime runtime)
    {
        return new StageAllocation(runtime);
    }

    /**
     * Resolves the string constants of the loaded classes that run on a stage (oobnet's, Agrona's, the JDK's and
     * {@link #STAGE_LIBRARIES}'), for a measurement whose stage is not in this JVM's runtime or not read here.
     */
    public static void resolveStageStrings()
    {
        for (final String library : STAGE_LIBRARIES)
        {
            StringConstants.include(library);
        }
        StringConstants.resolveLoaded();
    }

    /**
     * @return the bytes every stage of the runtime allocated since the mark, or -1 when a stage thread ended.
     */
    public long bytesSince()
    {
        final long now = allocated();
        return now < 0 ? -1 : now - startBytes;
    }

    private long allocated()
    {
        long sum = 0;
        for (final long id : threadIds)
        {
            final long bytes = THREADS.getThreadAllocatedBytes(id);
            if (bytes < 0)
            {
                return -1;
            }
            sum += bytes;
        }
        return sum;
    }
}
