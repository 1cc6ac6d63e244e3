package org.oobnet.harness.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.oobnet.harness.bench.feed.KernelFeedPublisher;
import org.oobnet.harness.bench.feed.OobFeedPublisher;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.publish.LineFaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oobnet feed publish}: publishes a MoldUDP64 session on line A (and B) with a request server: the other
 * side of {@code oobnet feed moldudp64}. {@code --path kernel} (the default) publishes in-band on kernel UDP
 * sockets ({@link KernelFeedPublisher}); {@code --path oob} through a MoldUDP64 feed socket on the OOB stage
 * ({@link OobFeedPublisher}), which takes no fault injection. Each message starts with its sequence number (8 bytes,
 * big-endian). Loss, reordering and repeats can be injected per line by a seeded schedule (this kernel has no
 * netem). After the last message it sends the end of session, repeated while it lingers to answer requests. This
 * command checks the options and prints the summary.
 * <p>
 * <b>Note:</b> in-band command, one thread.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Publish a MoldUDP64 session on line A (and B) with a request server; seeded loss per line " +
        "(kernel path).")
public final class FeedPublishCommand implements Callable<Integer>
{
    private static final String NAME = "oobnet feed publish";

    @Mixin
    FeedLineOptions feedLines;

    @Option(names = "--interface", paramLabel = "IF",
        description = "The interface multicast lines leave by (default: the kernel's route to the group).")
    String interfaceName;

    @Option(names = "--session", defaultValue = "OOBNET", paramLabel = "NAME",
        description = "The session's name, up to 10 characters (default: ${DEFAULT-VALUE}).")
    String session;

    @Option(names = "--count", defaultValue = "100000", paramLabel = "N",
        description = "Messages to publish (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--rate", defaultValue = "100000", paramLabel = "MSGS_PER_S",
        description = "Messages per second, 0 as fast as the sockets take them (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--size", defaultValue = "32", paramLabel = "BYTES",
        description = "Each message's length, 8 to 1378 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "N",
        description = "Messages per packet at most (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--drop-a", defaultValue = "0", paramLabel = "P",
        description = "Fraction of line A's packets dropped, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double dropA;

    @Option(names = "--drop-b", defaultValue = "0", paramLabel = "P",
        description = "Fraction of line B's packets dropped, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double dropB;

    @Option(names = "--swap", defaultValue = "0", paramLabel = "P",
        description = "Fraction of each line's packets swapped with the next (default: ${DEFAULT-VALUE}).")
    double swap;

    @Option(names = "--repeat", defaultValue = "0", paramLabel = "P",
        description = "Fraction of each line's packets sent twice (default: ${DEFAULT-VALUE}).")
    double repeat;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "The faults' seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--linger", defaultValue = "2s", paramLabel = "DURATION",
        description = "How long to answer requests after the last message (default: ${DEFAULT-VALUE}).")
    String linger;

    @Option(names = "--path", defaultValue = "kernel", paramLabel = "kernel|oob",
        description = "kernel: in-band kernel UDP sockets (default). oob: a MoldUDP64 feed socket on the OOB stage " +
            "(packet transport): its OOB UDP socket sends the lines and answers requests, from its store of the " +
            "last 4096 messages, with a heartbeat a second. oob does not take the fault flags (--drop-a, " +
            "--drop-b, --swap, --repeat, --seed) nor --batch (a packet leaves at each stage cycle or when full), " +
            "and sends no end of session (stop the receiver with --count).")
    String path;

    @Option(names = "--counters-dir", paramLabel = "DIR",
        description = "--path oob: where the runtime keeps its counters file, for oobnet stat (default: the runtime's).")
    Path countersDir;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final InetSocketAddress a = feedLines.lineA();
        final InetSocketAddress b = feedLines.lineB();
        final InetSocketAddress requestAddress = feedLines.request();
        MoldUdp64Descriptor.checkSession(session);
        final int packetCapacity = KernelFeedPublisher.PACKET_CAPACITY;
        if (size < 8 || size > packetCapacity - MoldUdp64Descriptor.HEADER_LENGTH - 2)
        {
            throw new IllegalArgumentException("--size=" + size + " must be 8 to " +
                (packetCapacity - MoldUdp64Descriptor.HEADER_LENGTH - 2));
        }
        if (count < 1 || rate < 0 || batch < 1)
        {
            throw new IllegalArgumentException("--count=" + count + " must be at least 1, --rate=" + rate +
                " at least 0, --batch=" + batch + " at least 1");
        }
        final long lingerNs = Durations.parseNs("--linger", linger);
        if ("oob".equals(path))
        {
            return publishOob(a, b, requestAddress, lingerNs);
        }
        if (!"kernel".equals(path))
        {
            throw new IllegalArgumentException("--path=" + path + " is not one of kernel, oob");
        }
        if (null != countersDir)
        {
            throw new IllegalArgumentException("--counters-dir is for --path oob (the kernel path has no runtime)");
        }
        // the faults check their fractions: made before anything is printed or opened
        final LineFaults faultsA = new LineFaults(seed, dropA, swap, repeat);
        final LineFaults faultsB = new LineFaults(seed + 1, dropB, swap, repeat);
        System.err.println(NAME + ": " + count + " messages on " + feedLines.describeLines() +
            ", requests on " + feedLines.request);
        final Map<String, Object> summary = KernelFeedPublisher.publish(new KernelFeedPublisher.Settings(interfaceName,
            a, b, requestAddress, session, count, rate, size, batch, faultsA, faultsB, lingerNs));
        FeedOptions.report(NAME, summary, json, System.out);
        return 0;
    }

    private int publishOob(
        final InetSocketAddress a, final InetSocketAddress b, final InetSocketAddress requestAddress, final long lingerNs)
        throws Exception
    {
        for (final String option : List.of("--drop-a", "--drop-b", "--swap", "--repeat", "--seed", "--batch"))
        {
            if (spec.commandLine().getParseResult().hasMatchedOption(option))
            {
                throw new IllegalArgumentException(option + " is for --path kernel: --path oob publishes through " +
                    "the stage's feed socket, which injects no faults and packs its own packets");
            }
        }
        final InetAddress requestHost = requestAddress.getAddress();
        if (requestHost.isAnyLocalAddress() && null == interfaceName)
        {
            throw new IllegalArgumentException("--request=" + feedLines.request + ": --path oob needs the " +
                "publisher's own address there, or --interface");
        }
        final String ifName = null != interfaceName ? interfaceName : interfaceOf(requestHost);
        final InetAddress local = requestHost.isAnyLocalAddress() ? FeedOptions.interfaceAddress(ifName) : requestHost;
        final List<InetSocketAddress> lines = null == b ? List.of(a) : List.of(a, b);
        System.err.println(NAME + ": " + count + " messages on " + feedLines.describeLines() + " from the OOB stage on " +
            ifName + ", requests on " + local.getHostAddress() + ":" + requestAddress.getPort());
        final Map<String, Object> summary = OobFeedPublisher.publish(ifName, local, lines, requestAddress.getPort(),
            session, count, rate, size, lingerNs, countersDir);
        FeedOptions.report(NAME, summary, json, System.out);
        return 0;
    }

    private static String interfaceOf(final InetAddress address)
    {
        try
        {
            final NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            if (null == nif)
            {
                throw new IllegalArgumentException("--request=" + address.getHostAddress() + " is no address of this " +
                    "host: --path oob answers requests there (or name the interface with --interface)");
            }
            return nif.getName();
        }
        catch (final SocketException ex)
        {
            throw new IllegalArgumentException("--request=" + address.getHostAddress() + ": " + ex.getMessage(), ex);
        }
    }
}
