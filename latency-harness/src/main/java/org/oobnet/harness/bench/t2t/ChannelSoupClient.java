package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.soupbintcp.SoupBinTcpDescriptor;

/**
 * The baselines' SoupBinTCP client: a kernel {@link SocketChannel} ({@code TCP_NODELAY}) that logs in and then
 * sends unsequenced data, what an application without oobnet writes on an ordinary thread. It never reads after
 * the login (the exchange's heartbeats wait in the socket's buffer; its timeout is longer than a run).
 * <p>
 * <b>Note:</b> one thread; {@link #sendUnsequenced} is allocation-free.
 */
final class ChannelSoupClient implements AutoCloseable
{
    private final SocketChannel channel;
    private final ByteBuffer tx = ByteBuffer.allocateDirect(256).order(ByteOrder.BIG_ENDIAN);
    private final boolean spin;

    /**
     * Connects (blocking) and logs in.
     *
     * @param exchange the exchange's SoupBinTCP address.
     * @param spin     true: non-blocking after the login, a full socket buffer is spun on.
     * @throws IOException when the connection or the login fails.
     */
    ChannelSoupClient(final InetSocketAddress exchange, final boolean spin) throws IOException
    {
        this.spin = spin;
        channel = SocketChannel.open(exchange);
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            login();
            channel.configureBlocking(!spin);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private void login() throws IOException
    {
        final byte[] payload = new byte[SoupBinTcpDescriptor.LOGIN_REQUEST_LENGTH];
        java.util.Arrays.fill(payload, (byte)' ');
        final byte[] user = ExchangeSimulator.USER.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(user, 0, payload, SoupBinTcpDescriptor.LOGIN_USERNAME_OFFSET, user.length);
        System.arraycopy(user, 0, payload, SoupBinTcpDescriptor.LOGIN_PASSWORD_OFFSET, user.length);
        payload[SoupBinTcpDescriptor.LOGIN_REQUEST_LENGTH - 1] = '0'; // requested sequence 0: only new messages
        tx.clear();
        tx.putShort((short)(1 + payload.length)).put(SoupBinTcpDescriptor.LOGIN_REQUEST).put(payload).flip();
        while (tx.hasRemaining())
        {
            channel.write(tx);
        }
        final ByteBuffer header = ByteBuffer.allocate(SoupBinTcpDescriptor.PAYLOAD_OFFSET);
        while (true)
        {
            header.clear();
            readFully(header);
            final int length = Short.toUnsignedInt(header.getShort(0));
            final byte type = header.get(SoupBinTcpDescriptor.TYPE_OFFSET);
            final ByteBuffer body = ByteBuffer.allocate(Math.max(0, length - 1));
            readFully(body);
            if (type == SoupBinTcpDescriptor.LOGIN_ACCEPTED)
            {
                return;
            }
            if (type == SoupBinTcpDescriptor.LOGIN_REJECTED)
            {
                throw new IOException("SoupBinTCP login rejected by the exchange, reason " + (char)body.get(0));
            }
            // a heartbeat or debug packet before the answer: skip it
        }
    }

    /**
     * In-band, once the trading thread runs (pinned, before the first tick: the exchange waits for this): tells the
     * exchange the trader is ready ({@link T2tMessages#putReady}). Its own buffer: the trading thread owns
     * {@code tx}.
     *
     * @throws IOException when the connection failed.
     */
    void ready() throws IOException
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[T2tMessages.READY_LENGTH]);
        T2tMessages.putReady(message);
        writeFully(frame(ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN), message, 0, T2tMessages.READY_LENGTH));
    }

    private void readFully(final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new IOException("the exchange closed the connection during the login");
            }
        }
    }

    /**
     * One unsequenced data packet; a spinning client spins while the socket buffer is full.
     *
     * @param buffer the message.
     * @param offset where it starts.
     * @param length its length.
     * @return the packet's length, or -1 when the connection failed.
     */
    int sendUnsequenced(final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            return writeFully(frame(tx, buffer, offset, length));
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    // one unsequenced data packet in packet, flipped for writing
    private static ByteBuffer frame(final ByteBuffer packet, final DirectBuffer buffer, final int offset, final int length)
    {
        packet.clear();
        packet.putShort((short)(1 + length)).put(SoupBinTcpDescriptor.UNSEQUENCED_DATA);
        buffer.getBytes(offset, packet, packet.position(), length);
        packet.position(packet.position() + length).flip();
        return packet;
    }

    // a spinning (non-blocking) client spins while the socket buffer is full
    private int writeFully(final ByteBuffer packet) throws IOException
    {
        while (packet.hasRemaining())
        {
            if (channel.write(packet) == 0 && spin)
            {
                Thread.onSpinWait();
            }
        }
        return packet.limit();
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
