package org.oobnet.moldudp64.stage;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.inband.Errno;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64Handler;
import org.oobnet.moldudp64.MoldUdp64Receiver;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;
import org.oobnet.moldudp64.MoldUdp64RequestSender;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.UdpSockets;

/**
 * Runs a {@link MoldUdp64Receiver} on the OOB stage over OOB UDP sockets: each line socket's stage receive
 * handler feeds its datagrams zero-copy (a view of the RX frame) to the receiver, the request socket sends
 * requests with {@code oobSendTo} and receives the answers the same way, and the stage's duty cycle runs the
 * receiver's timers through {@link #doWork}. The MoldUDP64 feed socket ({@link MoldUdp64Protocol}) wraps it.
 * <p>
 * Each message is handed on with its packet's kernel RX timestamp ({@link UdpSockets#rxTimestampNs}: ns since the
 * epoch, {@code CLOCK_REALTIME}; 0 when the kernel gave none), while the receiver's timers run on the cycle's clock.
 * <p>
 * <b>Note:</b> built in-band (it installs the handlers), then stage only: add it with
 * {@code runtime.addTask(feed, OobTask.Schedule.EVERY_CYCLE)}. Allocation-free on the stage.
 */
public final class StageFeedReceiver implements OobTask, MoldUdp64RequestSender
{
    private final MoldUdp64Receiver receiver;
    private final OobSocket requestSocket;
    private final int serverAddress;
    private final int serverPort;
    private final UnsafeBuffer requestRecord =
        new UnsafeBuffer(new byte[UdpAddressHeader.LENGTH + MoldUdp64Descriptor.HEADER_LENGTH]);
    private long nowNs;
    private long requestsInBand;

    /**
     * In-band: builds the receiver and installs a stage receive handler on every socket.
     *
     * @param config        arbitration and recovery settings; {@code lineCount} must match {@code lines}.
     * @param handler       where messages go, on the stage.
     * @param lines         bound OOB UDP sockets, one per line, in line order (joined to their groups).
     * @param requestSocket a bound OOB UDP socket for requests and their answers.
     * @param serverAddress the request server's IPv4 address, host order as {@link UdpSockets} takes it.
     * @param serverPort    its port.
     */
    public StageFeedReceiver(
        final MoldUdp64ReceiverConfig config,
        final MoldUdp64Handler handler,
        final OobSocket[] lines,
        final OobSocket requestSocket,
        final int serverAddress,
        final int serverPort)
    {
        if (lines.length != config.lineCount())
        {
            throw new IllegalArgumentException("lines=" + lines.length + " must equal lineCount=" + config.lineCount());
        }
        this.receiver = new MoldUdp64Receiver(config, handler, this);
        this.requestSocket = requestSocket;
        this.serverAddress = serverAddress;
        this.serverPort = serverPort;
        for (int line = 0; line < lines.length; line++)
        {
            lines[line].stageReceiveHandler(new LineHandler(line));
        }
        requestSocket.stageReceiveHandler(new LineHandler(lines.length));
    }

    @Override
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        return receiver.poll(nowNs);
    }

    @Override
    public boolean sendRequest(final DirectBuffer request, final int offset, final int length)
    {
        final int rc = UdpSockets.oobSendTo(requestSocket, requestRecord, serverAddress, serverPort, request, offset, length);
        if (-Errno.EINPROGRESS == rc)
        {
            requestsInBand++; // a route/neighbour cache miss: the in-band path sent it
            return true;
        }
        return rc >= 0;
    }

    /**
     * The receiver and its counters. Read them on the stage, or after the task was removed.
     *
     * @return the receiver.
     */
    public MoldUdp64Receiver receiver()
    {
        return receiver;
    }

    /**
     * Requests that went out through the in-band path on a cache miss.
     *
     * @return the count.
     */
    public long requestsInBand()
    {
        return requestsInBand;
    }

    /** Stage: one line's datagrams, as UDP records (address header, then the MoldUDP64 packet). */
    private final class LineHandler implements OobReceiveHandler
    {
        private final int line;

        LineHandler(final int line)
        {
            this.line = line;
        }

        @Override
        public void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
        {
            receiver.onPacket(line, buffer, offset + UdpAddressHeader.LENGTH, length - UdpAddressHeader.LENGTH,
                UdpSockets.rxTimestampNs(socket), nowNs);
        }
    }
}
