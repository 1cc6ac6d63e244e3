package org.oobnet.harness.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.oobnet.harness.soak.UdpSoakPeer;

/**
 * {@code oobnet soak-peer --role send|receive}: one side of the soak's oob-udp streams ({@link UdpSoakPeer}), started
 * by {@code oobnet soak} in a child JVM inside a namespace of its network; not for direct use.
 * <p>
 * <b>Note:</b> in-band.
 */
@Command(name = "soak-peer", hidden = true, description = "One side of the soak's oob-udp streams (started by soak).")
public final class SoakPeerCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--role", required = true, paramLabel = "send|receive")
    String role;

    @Option(names = "--rate", paramLabel = "N", description = "Messages per second per stream.")
    int rate = 1000;

    @Option(names = "--first-packet-sequence", paramLabel = "N")
    long firstPacketSequence;

    @Option(names = "--first-kernel-sequence", paramLabel = "N")
    long firstKernelSequence;

    @Option(names = "--first-mcast-sequence", paramLabel = "N")
    long firstMcastSequence;

    @Override
    public Integer call() throws Exception
    {
        if (!"send".equals(role) && !"receive".equals(role))
        {
            spec.commandLine().getErr().println("oobnet soak-peer: --role=" + role + " must be send or receive");
            return 2;
        }
        if (rate < 1)
        {
            spec.commandLine().getErr().println("oobnet soak-peer: --rate=" + rate + " must be at least 1");
            return 2;
        }
        System.out.flush();
        final java.io.PrintStream out = new java.io.PrintStream(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
        return new UdpSoakPeer("send".equals(role), rate, out)
            .firstSequences(firstPacketSequence, firstKernelSequence, firstMcastSequence)
            .run(System.in);
    }
}
