package org.oobnet.harness.bench.floor;

import java.io.PrintStream;
import java.util.List;
import org.oobnet.harness.bench.run.RowSpec;


/**
 * The default rows' C floor: {@code floor/udp} and {@code floor/raw} when the floor program builds, else a line
 * saying why they are left out.
 * <p>
 * <b>Note:</b> in-band; stateless.
 */
public final class FloorRows
{
    private FloorRows()
    {
    }

    /**
     * @param specs  the row specs to add to.
     * @param out    where a left-out line goes.
     * @param prefix the command's name for that line.
     */
    public static void addIfBuilt(final List<String> specs, final PrintStream out, final String prefix)
    {
        final FloorProgram program = FloorProgram.build();
        if (program.isAvailable())
        {
            specs.add(RowSpec.FLOOR + "/udp");
            specs.add(RowSpec.FLOOR + "/raw");
        }
        else
        {
            out.println(prefix + ": floor-udp, floor-raw left out: " + program.unavailableReason());
        }
    }

    /**
     * @param spec a row spec.
     * @return whether it is a floor row.
     */
    public static boolean isFloor(final String spec)
    {
        return spec.trim().startsWith(RowSpec.FLOOR + "/");
    }
}
