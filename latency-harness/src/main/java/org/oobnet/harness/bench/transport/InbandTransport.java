package org.oobnet.harness.bench.transport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * What users have today: a blocking kernel UDP socket ({@link DatagramSocket}) used from an ordinary thread; each
 * receive sleeps in the kernel until the datagram arrives and the scheduler wakes the thread.
 * <p>
 * <b>Note:</b> stateless factory, thread safe; each endpoint belongs to one thread.
 */
public final class InbandTransport implements UdpTransport
{
    /** The transport's name. */
    public static final String NAME = "inband";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String description()
    {
        return "blocking kernel UDP socket on an ordinary thread (what users have today)";
    }

    @Override
    public boolean needsInterface()
    {
        return false;
    }

    @Override
    public ClientEndpoint openClient(final InetSocketAddress peer, final TransportSettings settings)
        throws IOException
    {
        final DatagramSocket socket = open(new InetSocketAddress(0), settings);
        socket.connect(peer);
        return new Client(socket, settings.maxDatagramBytes());
    }

    @Override
    public ReflectorEndpoint openReflector(final InetSocketAddress bind, final TransportSettings settings)
        throws IOException
    {
        return new Reflector(open(bind, settings), settings.maxDatagramBytes());
    }

    private static DatagramSocket open(final InetSocketAddress bind, final TransportSettings settings)
        throws IOException
    {
        final DatagramSocket socket = new DatagramSocket(null);
        try
        {
            socket.setReuseAddress(true);
            socket.bind(bind);
            // SO_TIMEOUT is in ms: round up so that a sub-ms timeout does not become "forever" (0)
            socket.setSoTimeout((int)Math.max(1, (settings.receiveTimeoutNs() + 999_999) / 1_000_000));
            return socket;
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw new IOException("cannot bind a UDP socket to " + bind + ": " + ex.getMessage(), ex);
        }
    }

    private static final class Client implements ClientEndpoint
    {
        private final DatagramSocket socket;
        private final byte[] sendBytes;
        private final byte[] receiveBytes;
        private final ByteBuffer sendBuffer;
        private final ByteBuffer receiveBuffer;
        private final DatagramPacket sendPacket;
        private final DatagramPacket receivePacket;

        Client(final DatagramSocket socket, final int maxDatagramBytes)
        {
            this.socket = socket;
            sendBytes = new byte[maxDatagramBytes];
            receiveBytes = new byte[maxDatagramBytes];
            sendBuffer = ByteBuffer.wrap(sendBytes);
            receiveBuffer = ByteBuffer.wrap(receiveBytes);
            sendPacket = new DatagramPacket(sendBytes, maxDatagramBytes);
            receivePacket = new DatagramPacket(receiveBytes, maxDatagramBytes);
        }

        @Override
        public ByteBuffer sendBuffer()
        {
            return sendBuffer;
        }

        @Override
        public void send(final int length) throws IOException
        {
            sendPacket.setLength(length);
            socket.send(sendPacket);
        }

        @Override
        public int receive() throws IOException
        {
            receivePacket.setLength(receiveBytes.length);
            try
            {
                socket.receive(receivePacket);
            }
            catch (final SocketTimeoutException ex)
            {
                return -1;
            }
            return receivePacket.getLength();
        }

        @Override
        public ByteBuffer receiveBuffer()
        {
            return receiveBuffer;
        }

        @Override
        public void close()
        {
            socket.close();
        }
    }

    private static final class Reflector implements ReflectorEndpoint
    {
        private final DatagramSocket socket;
        private final byte[] bytes;
        private final ByteBuffer buffer;
        private final DatagramPacket packet;

        Reflector(final DatagramSocket socket, final int maxDatagramBytes)
        {
            this.socket = socket;
            bytes = new byte[maxDatagramBytes];
            buffer = ByteBuffer.wrap(bytes);
            packet = new DatagramPacket(bytes, maxDatagramBytes);
        }

        @Override
        public int receive() throws IOException
        {
            packet.setLength(bytes.length);
            try
            {
                socket.receive(packet);
            }
            catch (final SocketTimeoutException ex)
            {
                return -1;
            }
            return packet.getLength();
        }

        @Override
        public ByteBuffer buffer()
        {
            return buffer;
        }

        @Override
        public void replyToSender(final int length) throws IOException
        {
            // the packet still carries the sender's address from receive()
            packet.setLength(length);
            socket.send(packet);
        }

        @Override
        public InetSocketAddress localAddress()
        {
            return (InetSocketAddress)socket.getLocalSocketAddress();
        }

        @Override
        public void close()
        {
            socket.close();
        }
    }
}
