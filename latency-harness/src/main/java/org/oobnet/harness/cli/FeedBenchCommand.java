package org.oobnet.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.oobnet.core.OobConfig;
import org.oobnet.harness.bench.feed.FeedBenchRun;
import org.oobnet.harness.bench.feed.FeedBenchSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oobnet feed bench}: one OOB stage receiving MoldUDP64 from two lines (one lossy) against Nassau's
 * {@code MoldUDP64Client} on kernel sockets, same feed, same run ({@link FeedBenchRun} does it); this command
 * checks the options and prints the summary.
 * <p>
 * <b>Note:</b> in-band command; needs root (namespaces).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure one OOB stage receiving MoldUDP64 from two lines (one lossy) against Nassau's " +
        "MoldUDP64Client on kernel sockets, same feed, same run; messages/s, latency percentiles, ratios (root).")
public final class FeedBenchCommand implements Callable<Integer>
{
    @Option(names = "--messages", defaultValue = "1000000", paramLabel = "N",
        description = "Messages in the session (default: ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--per-packet", defaultValue = "8", paramLabel = "N",
        description = "Messages per packet (default: ${DEFAULT-VALUE}).")
    int perPacket;

    @Option(names = "--size", defaultValue = "32", paramLabel = "BYTES",
        description = "Each message's length, 16 (sequence number and send time) or more (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--loss", defaultValue = "0.01", paramLabel = "P",
        description = "Fraction of line B's packets dropped by the seeded schedule (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--seed", defaultValue = "40", paramLabel = "N", description = "The drops' seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "MSGS_PER_S",
        description = "Publish at this rate, 0 as fast as sendmmsg goes (default: ${DEFAULT-VALUE}): unpaced for " +
            "messages/s, paced below the receivers' limits for latency.")
    long rate;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
        description = "Packets per sendmmsg call and line (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--idle", defaultValue = "yield", paramLabel = "spin|yield",
        description = "The stage's idle strategy, and Nassau's polling thread's (default: ${DEFAULT-VALUE}).")
    String idle;

    @Option(names = "--rx-frames", defaultValue = "8192", paramLabel = "N",
        description = "The stage's RX ring frames; Nassau's sockets get as many bytes of SO_RCVBUF as the ring " +
            "has (N x 2048) (default: ${DEFAULT-VALUE}).")
    int rxFrames;

    @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION",
        description = "Longest a phase may take (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--rounds", defaultValue = "2", paramLabel = "N",
        description = "Rounds of the three phases, each reported; the first warms the JIT up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception
    {
        FeedOptions.report(FeedBenchRun.NAME, new FeedBenchRun(settings()).run(), json, System.out);
        return 0;
    }

    // the options, checked, each error naming its option
    private FeedBenchSettings settings()
    {
        final int largest = FeedBenchRun.largestMessage();
        if (size < FeedBenchRun.MIN_MESSAGE_LENGTH || size > largest)
        {
            throw new IllegalArgumentException("--size=" + size + " must be " + FeedBenchRun.MIN_MESSAGE_LENGTH +
                " to " + largest);
        }
        final int mostPerPacket = FeedBenchRun.mostPerPacket(size);
        if (perPacket < 1 || perPacket > mostPerPacket)
        {
            throw new IllegalArgumentException("--per-packet=" + perPacket + " must be 1 to " + mostPerPacket +
                " (a " + FeedBenchRun.PACKET_CAPACITY + "-byte packet of " + size + "-byte messages)");
        }
        if (rounds < 1)
        {
            throw new IllegalArgumentException("--rounds=" + rounds + " must be at least 1");
        }
        if (messages < 1 || rate < 0 || batch < 1 || batch > 1024 || rxFrames < 64)
        {
            throw new IllegalArgumentException("--messages=" + messages + " must be at least 1, --rate=" + rate +
                " at least 0, --batch=" + batch + " 1 to 1024, --rx-frames=" + rxFrames + " at least 64");
        }
        if (!(loss >= 0 && loss < 1))
        {
            throw new IllegalArgumentException("--loss=" + loss + " must be at least 0 and below 1");
        }
        final OobConfig.IdleStrategyKind idleKind = switch (idle)
        {
            case "spin" -> OobConfig.IdleStrategyKind.SPIN;
            case "yield" -> OobConfig.IdleStrategyKind.YIELD;
            default -> throw new IllegalArgumentException("--idle=" + idle + " is not one of spin, yield");
        };
        return new FeedBenchSettings(messages, perPacket, size, loss, seed, rate, batch, idle, idleKind, rxFrames,
            Durations.parseNs("--timeout", timeout), rounds);
    }
}
