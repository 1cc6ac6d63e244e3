package org.oobnet.harness.bench.udp;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.harness.bench.msg.SockperfHeader;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.harness.bench.run.StagePinger;

/**
 * The stage pinger for OOB UDP sockets (oob-udp, either transport): the sockperf message as the datagram's payload,
 * sent to the connected peer with {@code oobSend} and kicked at once; replies arrive in the stage receive handler
 * as records whose {@link UdpAddressHeader} names the sender.
 * <p>
 * <b>Note:</b> stage only, allocation-free (the record buffer is made once).
 */
public final class UdpStagePinger extends StagePinger implements OobReceiveHandler
{
    private static final int SEQUENCE_AT = UdpAddressHeader.LENGTH + SockperfHeader.SEQUENCE_OFFSET;
    private static final int FLAGS_AT = UdpAddressHeader.LENGTH + SockperfHeader.FLAGS_OFFSET;
    private static final int LENGTH_AT = UdpAddressHeader.LENGTH + SockperfHeader.LENGTH_OFFSET;

    private final OobSocket socket;
    private final UnsafeBuffer record;
    private final int recordLength;

    /**
     * @param socket    the connected OOB UDP socket.
     * @param plan      warm-up, length and pace.
     * @param samples   where measured round trips go.
     * @param sizeBytes the sockperf message's length (the datagram's payload).
     * @param timeoutNs a reply not back within this is lost.
     */
    public UdpStagePinger(
        final OobSocket socket, final MeasurementPlan plan, final StageSamples samples, final int sizeBytes,
        final long timeoutNs)
    {
        super(plan, samples, timeoutNs);
        if (sizeBytes < SockperfHeader.HEADER_LENGTH || sizeBytes > 1472)
        {
            throw new IllegalArgumentException("size=" + sizeBytes + " must be between " +
                SockperfHeader.HEADER_LENGTH + " and 1472 (a 1500-byte MTU) for OOB UDP");
        }
        this.socket = socket;
        this.recordLength = UdpAddressHeader.LENGTH + sizeBytes;
        this.record = new UnsafeBuffer(new byte[recordLength]);
        // address 0: the connected peer
        UdpAddressHeader.write(record, 0, 0, 0);
        record.putShort(FLAGS_AT, (short)(SockperfHeader.FLAG_CLIENT | SockperfHeader.FLAG_PONG_REQUEST),
            ByteOrder.BIG_ENDIAN);
        record.putInt(LENGTH_AT, sizeBytes, ByteOrder.BIG_ENDIAN);
    }

    @Override
    protected boolean transmit(final long sequence)
    {
        record.putLong(SEQUENCE_AT, sequence, ByteOrder.BIG_ENDIAN);
        final int rc = socket.oobSend(record, 0, recordLength);
        // EINPROGRESS: handed to in-band while the route/neighbour is resolved; it still goes out
        if (rc < 0 && rc != -org.oobnet.inband.Errno.EINPROGRESS)
        {
            return false;
        }
        // kick now rather than at the cycle's end
        socket.protocol().flush(socket, System.nanoTime());
        return true;
    }

    @Override
    public void onMessage(final OobSocket s, final DirectBuffer buffer, final int offset, final int length)
    {
        final long replyNs = System.nanoTime();
        if (length != recordLength ||
            (buffer.getShort(offset + FLAGS_AT, ByteOrder.BIG_ENDIAN) & SockperfHeader.FLAG_CLIENT) != 0)
        {
            return;
        }
        replied(buffer.getLong(offset + SEQUENCE_AT, ByteOrder.BIG_ENDIAN), replyNs);
    }
}
