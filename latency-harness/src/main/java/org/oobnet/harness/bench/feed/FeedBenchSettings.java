package org.oobnet.harness.bench.feed;

import java.util.LinkedHashMap;
import java.util.Map;

import org.oobnet.core.OobConfig;

/**
 * What one {@code oobnet feed bench} run is asked for, checked by the command that builds it.
 *
 * @param messages   messages in the session.
 * @param perPacket  messages per packet.
 * @param size       each message's length.
 * @param loss       the fraction of line B's packets dropped.
 * @param seed       the drops' seed.
 * @param rate       messages per second, 0 unpaced.
 * @param batch      packets per {@code sendmmsg} call and line.
 * @param idle       the idle strategy's name as given.
 * @param idleKind   the stage's (and Nassau's polling thread's) idle strategy.
 * @param rxFrames   the stage's RX ring frames (Nassau's sockets get as many bytes of {@code SO_RCVBUF}).
 * @param timeoutNs  the longest a phase may take.
 * @param rounds     rounds of the three phases.
 */
public record FeedBenchSettings(long messages, int perPacket, int size, double loss, long seed, long rate, int batch,
    String idle, OobConfig.IdleStrategyKind idleKind, int rxFrames, long timeoutNs, int rounds)
{
    /** @return the summary's {@code settings}, keys as the JSON names them. */
    Map<String, Object> toSummary()
    {
        final Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("messages", messages);
        settings.put("per_packet", perPacket);
        settings.put("size", size);
        settings.put("line_b_loss", loss);
        settings.put("seed", seed);
        settings.put("rate", rate);
        settings.put("batch", batch);
        settings.put("idle", idle);
        settings.put("rx_frames", rxFrames);
        settings.put("rounds", rounds);
        return settings;
    }
}
