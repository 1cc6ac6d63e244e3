package org.oobnet.harness.latency.cli;

import java.net.InetSocketAddress;

/**
 * Forwards {@code host:port} parsing to {@link org.oobnet.harness.cli.UdpCommand}, for the {@code feed} package,
 * which moves in a later round of issue 18.
 * <p>
 * <b>Note:</b> stateless.
 */
// FIXME(issue 18): delete once feed/ imports org.oobnet.harness.cli.UdpCommand.
public final class UdpCommand
{
    private UdpCommand()
    {
    }

    /**
     * @param name the option, for the error message.
     * @param text {@code host:port}.
     * @return the address.
     * @throws IllegalArgumentException naming the option.
     */
    public static InetSocketAddress parseAddress(final String name, final String text)
    {
        return org.oobnet.harness.cli.UdpCommand.parseAddress(name, text);
    }
}
