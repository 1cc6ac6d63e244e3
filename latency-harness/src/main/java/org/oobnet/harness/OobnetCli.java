package org.oobnet.harness;

import picocli.CommandLine;

/**
 * Forwards to {@link org.oobnet.harness.cli.OobnetCli}, the {@code oobnet} command line, for the {@code feed} and
 * {@code mcast} tests, which move in a later round of issue 18.
 */
// FIXME(issue 18): delete once the feed/ and mcast/ tests use org.oobnet.harness.cli.OobnetCli.
public final class OobnetCli
{
    private OobnetCli()
    {
    }

    /**
     * @return a new command line for {@code oobnet}.
     */
    public static CommandLine commandLine()
    {
        return org.oobnet.harness.cli.OobnetCli.commandLine();
    }
}
