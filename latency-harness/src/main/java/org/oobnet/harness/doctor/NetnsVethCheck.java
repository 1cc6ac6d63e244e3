package org.oobnet.harness.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.oobnet.netns.IpCommand;
import org.oobnet.netns.NetnsTopology;

/**
 * Really creates what the tests and the demo create: a network namespace and a veth pair inside it, brought
 * up; then removes them, also when a step failed. Names carry this process' id ({@code oobnet-doctor-<pid>}).
 * <p>
 * <b>Note:</b> in-band; runs {@code ip} a few times, each bounded by {@link #TIMEOUT_MS}.
 */
final class NetnsVethCheck implements Check
{
    /** Prefix of the namespaces this check creates; the rest is the creating process' id. */
    static final String PREFIX = "oobnet-doctor-";
    /** A preflight must not hang: each {@code ip} command gets this long. */
    static final long TIMEOUT_MS = 10_000;

    @Override
    public String name()
    {
        return "netns + veth";
    }

    @Override
    public CheckResult run()
    {
        final String ip = IpCommand.ipBinary();
        if (ip == null)
        {
            return CheckResult.fail(name(), "no ip command on PATH, /usr/sbin or /sbin",
                "install iproute2 (apt-get install iproute2)");
        }
        // Namespaces left by a doctor that died mid-check: their creating process is gone.
        NetnsTopology.removeStale(PREFIX);
        final long pid = ProcessHandle.current().pid();
        final String namespace = PREFIX + pid;
        final String left = "od" + pid + "a";
        final String right = "od" + pid + "b";
        IpCommand.Result failed = null;
        try
        {
            failed = firstFailure(ip,
                List.of("netns", "add", namespace),
                List.of("-n", namespace, "link", "add", left, "type", "veth", "peer", "name", right),
                List.of("-n", namespace, "link", "set", left, "up"),
                List.of("-n", namespace, "link", "set", right, "up"));
        }
        finally
        {
            // Deleting the namespace deletes the veth pair inside it.
            if (Files.exists(Path.of("/run/netns", namespace)))
            {
                final IpCommand.Result removed = run(ip, List.of("netns", "delete", namespace));
                if (!removed.ok() && failed == null)
                {
                    return CheckResult.warn(name(), "created, but could not remove: " + describe(removed),
                        "remove it by hand: ip netns delete " + namespace);
                }
            }
        }
        if (failed != null)
        {
            return CheckResult.fail(name(), describe(failed),
                "run as root (CAP_SYS_ADMIN and CAP_NET_ADMIN), with a kernel that has CONFIG_NET_NS and CONFIG_VETH " +
                "(modprobe veth)");
        }
        return CheckResult.ok(name(), "created namespace " + namespace + " with veth pair " + left + "/" + right +
            " up, then removed them");
    }

    @SafeVarargs
    private static IpCommand.Result firstFailure(final String ip, final List<String>... steps)
    {
        for (final List<String> step : steps)
        {
            final IpCommand.Result result = run(ip, step);
            if (!result.ok())
            {
                return result;
            }
        }
        return null;
    }

    private static IpCommand.Result run(final String ip, final List<String> args)
    {
        final List<String> command = new ArrayList<>(args.size() + 1);
        command.add(ip);
        command.addAll(args);
        return IpCommand.tryExec(command, TIMEOUT_MS);
    }

    // "ip netns add oobnet-doctor-42: <what ip said>", the command without the binary's path
    private static String describe(final IpCommand.Result result)
    {
        final String command = result.command().replaceFirst("^\\S*/ip ", "ip ");
        return command + ": " + (result.output().isBlank() ? "exit status " + result.exitCode() : result.output().strip());
    }
}
