package org.oobnet.harness.bench.reflect;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.core.OobSocket;
import org.oobnet.harness.bench.msg.SockperfHeader;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.harness.bench.packet.OobFrames;

/**
 * The reflector on the OOB stage: answers each sockperf pong request straight from the RX callback with a frame
 * claimed in the TX ring (zero copy: the received frame is read from the RX ring and written once into the TX
 * frame), the client flag cleared, addressed to the sender. Malformed messages are counted and dropped.
 * <p>
 * <b>Note:</b> {@link #onFrame} runs on the stage: allocation-free, no locks; the counters are read in-band.
 */
public final class StageReflector implements PacketFrameHandler
{
    private static final int FLAGS_AT = EthernetHeaderFlyweight.HEADER_LENGTH + SockperfHeader.FLAGS_OFFSET;
    private static final int LENGTH_AT = EthernetHeaderFlyweight.HEADER_LENGTH + SockperfHeader.LENGTH_OFFSET;

    private final OobSocket socket;
    private final long ownMac;
    private final EthernetHeaderFlyweight rxEthernet = new EthernetHeaderFlyweight();
    private final EthernetHeaderFlyweight txEthernet = new EthernetHeaderFlyweight();
    private final AtomicLong replied = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong claimFailures = new AtomicLong();

    /**
     * @param socket the OOB packet socket.
     * @param ownMac this side's MAC address.
     */
    public StageReflector(final OobSocket socket, final long ownMac)
    {
        this.socket = socket;
        this.ownMac = ownMac;
    }

    @Override
    public void onFrame(
        final DirectBuffer buffer, final int offset, final int length, final int wireLength, final long timestampNs,
        final int vlanTci, final int ifIndex)
    {
        final EthernetHeaderFlyweight ethernet = rxEthernet.wrap(buffer, offset);
        if (length < EthernetHeaderFlyweight.HEADER_LENGTH || ethernet.outerType() != OobFrames.ETHER_TYPE)
        {
            return;
        }
        final int message = length - EthernetHeaderFlyweight.HEADER_LENGTH;
        if (message < SockperfHeader.HEADER_LENGTH ||
            (buffer.getInt(offset + LENGTH_AT, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) != message)
        {
            // single writer (the stage): ordered stores, read in-band
            malformed.lazySet(malformed.get() + 1);
            return;
        }
        final int flags = buffer.getShort(offset + FLAGS_AT, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if ((flags & SockperfHeader.FLAG_CLIENT) == 0 || (flags & SockperfHeader.FLAG_WARMUP) != 0 ||
            (flags & SockperfHeader.FLAG_PONG_REQUEST) == 0)
        {
            ignored.lazySet(ignored.get() + 1);
            return;
        }
        if (socket.oobClaim(length) != 0)
        {
            claimFailures.lazySet(claimFailures.get() + 1);
            return;
        }
        final MutableDirectBuffer out = socket.claim().buffer();
        final int at = socket.claim().offset();
        txEthernet.wrap(out, at).putHeader(ethernet.source(), ownMac, OobFrames.ETHER_TYPE);
        out.putBytes(at + EthernetHeaderFlyweight.HEADER_LENGTH, buffer, offset + EthernetHeaderFlyweight.HEADER_LENGTH, message);
        out.putShort(at + FLAGS_AT, (short)(flags & ~SockperfHeader.FLAG_CLIENT), ByteOrder.BIG_ENDIAN);
        socket.oobCommit();
        replied.lazySet(replied.get() + 1);
    }

    /**
     * @return a one-line account of what was answered and dropped.
     */
    public String counts()
    {
        return "replied=" + replied.get() + " ignored=" + ignored.get() + " malformed=" + malformed.get() +
            " tx claim failures=" + claimFailures.get();
    }
}
