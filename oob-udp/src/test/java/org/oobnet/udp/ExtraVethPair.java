package org.oobnet.udp;

import java.util.ArrayList;
import java.util.List;

import org.oobnet.netns.IpCommand;
import org.oobnet.netns.testing.NetnsFixture;

/**
 * A second veth pair between two hosts of a {@link NetnsFixture} (beside the fixture's own), each end addressed
 * ({@code /24}) and up: for a host with two OOB interfaces. Removed with the fixture's namespaces.
 */
public final class ExtraVethPair
{
    private ExtraVethPair()
    {
    }

    /**
     * @param fixture  the fixture.
     * @param a        one host.
     * @param aName    the interface name in {@code a}.
     * @param aAddress its address, in 10.251.0.0/16.
     * @param b        the other host.
     * @param bName    the interface name in {@code b}.
     * @param bAddress its address.
     */
    public static void add(
        final NetnsFixture fixture,
        final NetnsFixture.Host a,
        final String aName,
        final String aAddress,
        final NetnsFixture.Host b,
        final String bName,
        final String bAddress)
    {
        ip(fixture, a, "link", "add", aName, "type", "veth", "peer", "name", bName, "netns", b.namespace());
        ip(fixture, a, "addr", "add", aAddress + "/24", "dev", aName);
        ip(fixture, a, "link", "set", aName, "up");
        ip(fixture, b, "addr", "add", bAddress + "/24", "dev", bName);
        ip(fixture, b, "link", "set", bName, "up");
    }

    /**
     * Runs {@code ip args...} in {@code host}'s namespace.
     */
    static void ip(final NetnsFixture fixture, final NetnsFixture.Host host, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(IpCommand.ipBinary()));
        command.addAll(List.of(args));
        IpCommand.exec(fixture.commandIn(host, command));
    }
}
