package org.oobnet.inband.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.oobnet.inband.netns.IpCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;
    static final int CAP_SYS_ADMIN = 21;

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
     * The effective capability set of this process, decoded from {@code /proc/self/status}.
     *
     * @return the CapEff bit mask, 0 when it cannot be read.
     */
    public static long effectiveCapabilities()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("CapEff:"))
                {
                    return Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                }
            }
        }
        catch (final IOException ignore)
        {
            // Unreadable status: report no capabilities, the test then skips or fails with the reason.
        }
        return 0;
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
