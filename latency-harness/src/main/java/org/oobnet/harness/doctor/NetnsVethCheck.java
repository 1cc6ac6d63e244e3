package org.oobnet.harness.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Really creates what the tests and the demo create: a network namespace and a veth pair inside it, brought
 * up; then removes them, also when a step failed. Names carry this process' id ({@code oobnet-doctor-<pid>}).
 * <p>
 * <b>Note:</b> in-band; runs {@code ip} a few times.
 */
final class NetnsVethCheck implements Check
{
    /** Prefix of the namespaces this check creates; the rest is the creating process' id. */
    static final String PREFIX = "oobnet-doctor-";

    @Override
    public String name()
    {
        return "netns + veth";
    }

    @Override
    public CheckResult run()
    {
        final IpCommand ip = IpCommand.find();
        if (ip == null)
        {
            return CheckResult.fail(name(), "no ip command on PATH, /usr/sbin or /sbin",
                "install iproute2 (apt-get install iproute2)");
        }
        removeStale(ip);
        final long pid = ProcessHandle.current().pid();
        final String namespace = PREFIX + pid;
        final String left = "od" + pid + "a";
        final String right = "od" + pid + "b";
        IpCommand.Result failed = null;
        try
        {
            failed = firstFailure(
                ip.run("netns", "add", namespace),
                () -> ip.run("-n", namespace, "link", "add", left, "type", "veth", "peer", "name", right),
                () -> ip.run("-n", namespace, "link", "set", left, "up"),
                () -> ip.run("-n", namespace, "link", "set", right, "up"));
        }
        finally
        {
            // Deleting the namespace deletes the veth pair inside it.
            if (Files.exists(Path.of("/run/netns", namespace)))
            {
                final IpCommand.Result removed = ip.run("netns", "delete", namespace);
                if (!removed.ok() && failed == null)
                {
                    return CheckResult.warn(name(), "created, but could not remove: " + removed,
                        "remove it by hand: ip netns delete " + namespace);
                }
            }
        }
        if (failed != null)
        {
            return CheckResult.fail(name(), failed.toString(),
                "run as root (CAP_SYS_ADMIN and CAP_NET_ADMIN), with a kernel that has CONFIG_NET_NS and CONFIG_VETH " +
                "(modprobe veth)");
        }
        return CheckResult.ok(name(), "created namespace " + namespace + " with veth pair " + left + "/" + right +
            " up, then removed them");
    }

    /** Removes namespaces left by a doctor that died mid-check: their creating process is gone. */
    private static void removeStale(final IpCommand ip)
    {
        final String[] names = new java.io.File("/run/netns").list();
        if (names == null)
        {
            return;
        }
        for (final String name : names)
        {
            if (name.matches(PREFIX + "[0-9]{1,10}") &&
                ProcessHandle.of(Long.parseLong(name.substring(PREFIX.length()))).isEmpty())
            {
                ip.run("netns", "delete", name);
            }
        }
    }

    @SafeVarargs
    private static IpCommand.Result firstFailure(
        final IpCommand.Result first, final java.util.function.Supplier<IpCommand.Result>... rest)
    {
        if (!first.ok())
        {
            return first;
        }
        for (final java.util.function.Supplier<IpCommand.Result> step : rest)
        {
            final IpCommand.Result result = step.get();
            if (!result.ok())
            {
                return result;
            }
        }
        return null;
    }
}
