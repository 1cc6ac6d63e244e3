package org.oobnet.netns.testing;

import org.oobnet.inband.Capabilities;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.oobnet.netns.IpCommand;


/**
 * Decides whether a privileged integration test may run: with the capabilities it runs; without them it skips
 * with its reason, unless {@code OOBNET_REQUIRE_PRIVILEGED=1} (set by {@code .ci/run}), where a skip is a failure.
 * <p>
 * <b>Note:</b> thread safe, stateless.
 */
public final class Privileges
{
    /** Environment variable that turns a privileged test's skip into a failure. */
    public static final String REQUIRE_PRIVILEGED_ENV = "OOBNET_REQUIRE_PRIVILEGED";

    static final int CAP_NET_ADMIN = Capabilities.CAP_NET_ADMIN;
    static final int CAP_NET_RAW = Capabilities.CAP_NET_RAW;
    static final int CAP_SYS_ADMIN = Capabilities.CAP_SYS_ADMIN;

    private Privileges()
    {
    }

    /**
     * Skips (or, under {@code OOBNET_REQUIRE_PRIVILEGED=1}, fails) the calling test unless this process can create
     * network namespaces and veth pairs and open raw sockets.
     *
     * @param what what the test needs the privileges for, named in the skip or failure message.
     */
    public static void requireNetworkPrivileges(final String what)
    {
        final String missing = missingNetworkPrivileges();
        if (missing == null)
        {
            return;
        }
        final String reason = what + " needs " + missing + " (run as root, or grant the capabilities)";
        if (isPrivilegeRequired())
        {
            Assertions.fail(reason + "; " + REQUIRE_PRIVILEGED_ENV + "=1 forbids skipping");
        }
        Assumptions.abort(reason);
    }

    /**
     * Whether the environment demands that privileged tests run rather than skip.
     *
     * @return true when {@code OOBNET_REQUIRE_PRIVILEGED=1}.
     */
    public static boolean isPrivilegeRequired()
    {
        return "1".equals(System.getenv(REQUIRE_PRIVILEGED_ENV));
    }

    /**
     * Names what is missing for network-namespace tests, or null when nothing is.
     *
     * @return a description such as {@code "CAP_NET_ADMIN, CAP_SYS_ADMIN"}, or null.
     */
    public static String missingNetworkPrivileges()
    {
        final long caps = effectiveCapabilities();
        final StringBuilder missing = new StringBuilder();
        appendIfMissing(missing, caps, CAP_NET_ADMIN, "CAP_NET_ADMIN");
        appendIfMissing(missing, caps, CAP_NET_RAW, "CAP_NET_RAW");
        // setns(CLONE_NEWNET) and `ip netns add` (a mount of the namespace file) need CAP_SYS_ADMIN.
        appendIfMissing(missing, caps, CAP_SYS_ADMIN, "CAP_SYS_ADMIN");
        if (IpCommand.ipBinary() == null)
        {
            appendItem(missing, "the `ip` command of iproute2");
        }
        return missing.isEmpty() ? null : missing.toString();
    }

    /**
     * The effective capability set of this process.
     *
     * @return the CapEff bit mask, 0 when it cannot be read.
     */
    public static long effectiveCapabilities()
    {
        try
        {
            return Capabilities.effective().bits();
        }
        catch (final RuntimeException unreadable)
        {
            // No readable CapEff: report none held; the test then skips or fails, naming what is missing.
            return 0;
        }
    }

    private static void appendIfMissing(final StringBuilder missing, final long caps, final int bit, final String name)
    {
        if ((caps & (1L << bit)) == 0)
        {
            appendItem(missing, name);
        }
    }

    private static void appendItem(final StringBuilder missing, final String item)
    {
        if (!missing.isEmpty())
        {
            missing.append(", ");
        }
        missing.append(item);
    }
}
