package org.oobnet.harness.latency.cli;

import java.io.PrintStream;
import java.net.InetSocketAddress;

/**
 * Forwards to {@link org.oobnet.harness.cli.StackInterface}, for the {@code feed} package, which moves in a later
 * round of issue 18.
 * <p>
 * <b>Note:</b> in-band; stateless.
 */
// FIXME(issue 18): delete once feed/ imports org.oobnet.harness.cli.StackInterface.
public final class StackInterface
{
    private StackInterface()
    {
    }

    /**
     * @param peer     the address the run sends to.
     * @param override the {@code --interface} value, or null.
     * @param notes    where the choice is reported.
     * @param command  the command's name, for the report.
     * @return the interface's name.
     * @throws IllegalArgumentException when there is no route to the peer.
     */
    public static String forPeer(final InetSocketAddress peer, final String override, final PrintStream notes,
        final String command)
    {
        return org.oobnet.harness.cli.StackInterface.forPeer(peer, override, notes, command);
    }
}
