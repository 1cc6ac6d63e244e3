package org.oobnet.harness.bench.packet;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.core.OobSocket;
import org.oobnet.harness.bench.msg.SockperfHeader;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.harness.bench.run.StagePinger;

/**
 * The stage pinger for raw frames: the sockperf message after an Ethernet header of {@link OobFrames#ETHER_TYPE},
 * sent to the broadcast address from a claimed TX-ring frame; replies are read in the RX callback.
 * <p>
 * <b>Note:</b> stage only, allocation-free.
 */
public final class PacketStagePinger extends StagePinger implements PacketFrameHandler
{
    private static final int SEQUENCE_AT = EthernetHeaderFlyweight.HEADER_LENGTH + SockperfHeader.SEQUENCE_OFFSET;
    private static final int FLAGS_AT = EthernetHeaderFlyweight.HEADER_LENGTH + SockperfHeader.FLAGS_OFFSET;
    private static final int LENGTH_AT = EthernetHeaderFlyweight.HEADER_LENGTH + SockperfHeader.LENGTH_OFFSET;

    private final OobSocket socket;
    private final long ownMac;
    private final EthernetHeaderFlyweight rxEthernet = new EthernetHeaderFlyweight();
    private final EthernetHeaderFlyweight txEthernet = new EthernetHeaderFlyweight();
    private final int messageLength;
    private final int frameLength;

    /**
     * @param socket    the OOB packet socket.
     * @param ownMac    this side's MAC address.
     * @param plan      warm-up, length and pace.
     * @param samples   where measured round trips go.
     * @param sizeBytes the sockperf message's length (the frame adds the Ethernet header).
     * @param timeoutNs a reply not back within this is lost.
     */
    public PacketStagePinger(
        final OobSocket socket, final long ownMac, final MeasurementPlan plan, final StageSamples samples,
        final int sizeBytes, final long timeoutNs)
    {
        super(plan, samples, timeoutNs);
        if (sizeBytes < SockperfHeader.HEADER_LENGTH || sizeBytes > 1500)
        {
            throw new IllegalArgumentException("size=" + sizeBytes + " must be between " +
                SockperfHeader.HEADER_LENGTH + " and 1500 for raw frames");
        }
        this.socket = socket;
        this.ownMac = ownMac;
        this.messageLength = sizeBytes;
        this.frameLength = EthernetHeaderFlyweight.HEADER_LENGTH + sizeBytes;
    }

    @Override
    protected boolean transmit(final long sequence)
    {
        if (socket.oobClaim(frameLength) != 0)
        {
            return false;
        }
        final MutableDirectBuffer out = socket.claim().buffer();
        final int at = socket.claim().offset();
        txEthernet.wrap(out, at).putHeader(EthernetHeaderFlyweight.BROADCAST, ownMac, OobFrames.ETHER_TYPE);
        out.putLong(at + SEQUENCE_AT, sequence, ByteOrder.BIG_ENDIAN);
        out.putShort(at + FLAGS_AT, (short)(SockperfHeader.FLAG_CLIENT | SockperfHeader.FLAG_PONG_REQUEST),
            ByteOrder.BIG_ENDIAN);
        out.putInt(at + LENGTH_AT, messageLength, ByteOrder.BIG_ENDIAN);
        socket.oobCommit();
        return true;
    }

    @Override
    public void onFrame(
        final DirectBuffer buffer, final int offset, final int length, final int wireLength, final long timestampNs,
        final int vlanTci, final int ifIndex)
    {
        final long replyNs = System.nanoTime();
        if (length != frameLength || rxEthernet.wrap(buffer, offset).outerType() != OobFrames.ETHER_TYPE ||
            (buffer.getShort(offset + FLAGS_AT, ByteOrder.BIG_ENDIAN) & SockperfHeader.FLAG_CLIENT) != 0)
        {
            return;
        }
        replied(buffer.getLong(offset + SEQUENCE_AT, ByteOrder.BIG_ENDIAN), replyNs);
    }
}
