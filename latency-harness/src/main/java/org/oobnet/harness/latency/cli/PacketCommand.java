package org.oobnet.harness.latency.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/**
 * {@code oobnet latency packet}: raw-frame ping-pong over oob-packet's rings. The scenario plugs in here when
 * oob-packet's ring ports land; until then it says so instead of pretending.
 * <p>
 * <b>Note:</b> in-band command.
 */
@Command(name = "packet", mixinStandardHelpOptions = true,
    description = "Raw-frame ping-pong over oob-packet's PACKET_MMAP rings (needs oob-packet).")
public final class PacketCommand implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        return UnavailableScenario.report("packet", "oob-packet's RX/TX ring ports have not landed yet");
    }
}
