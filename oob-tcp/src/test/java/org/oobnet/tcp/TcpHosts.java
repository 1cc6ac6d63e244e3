package org.oobnet.tcp;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.KSocketEvent;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two namespaces joined by veth; host A runs an OOB runtime with {@link TcpOobProtocol}, host B only the kernel.
 * The stage backs off when idle (the machine is shared).
 */
public final class TcpHosts implements AutoCloseable
{
    public final NetnsFixture fixture;
    public final NetnsFixture.Host a;
    public final NetnsFixture.Host b;
    public final OobRuntime runtime;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public TcpHosts() throws Exception
    {
        this(new TcpOobProtocol());
    }

    /** The two hosts, A's runtime serving TCP with {@code protocol}. */
    public TcpHosts(final TcpOobProtocol protocol) throws Exception
    {
        fixture = NetnsFixture.create(2);
        try
        {
            a = fixture.host(0);
            b = fixture.host(1);
            final ProtocolRegistry registry = new ProtocolRegistry();
            registry.register(SocketConstants.AF_INET, protocol);
            runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(Files.createTempDirectory("oob-tcp-test"))
                .errorLogBytes(64 * 1024)
                .build(), registry);
        }
        catch (final Exception | Error ex)
        {
            fixture.close();
            throw ex;
        }
    }

    /** An OOB TCP socket in A, connected (blocking, in-band) to {@code peer}; not started. */
    public OobSocket connectFromA(final InetSocketAddress peer) throws Exception
    {
        final KSocket socket = inA(() ->
        {
            final KSocket s = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM | SocketConstants.SOCK_OOB, 0);
            s.connect(peer);
            return s;
        });
        closeLater(socket::close);
        return OobSocket.of(socket);
    }

    /** A plain kernel TCP listener in B (closed with the hosts). */
    public ServerSocketChannel listenInB(final int port) throws Exception
    {
        return closeLater(inB(() -> ServerSocketChannel.open().bind(new InetSocketAddress(b.address(), port))));
    }

    /**
     * Starts the connection with a handler that records the events of its end as "EVENT arg" ({@code CONNECTED},
     * raised asynchronously by the connect hook, left out).
     *
     * @param socket a connected or connecting socket.
     * @return the events, in their order.
     */
    public static List<String> startRecordingEnd(final OobSocket socket)
    {
        final List<String> events = new CopyOnWriteArrayList<>();
        socket.eventHandler((s, event, arg, cookie) ->
        {
            if (event != KSocketEvent.CONNECTED)
            {
                events.add(event + " " + arg);
            }
        }, null);
        assertEquals(0, TcpOobProtocol.start(socket));
        return events;
    }

    /** A listening OOB TCP socket in A. */
    public KSocket listenInA(final int port) throws Exception
    {
        final KSocket socket = inA(() ->
        {
            final KSocket s = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM | SocketConstants.SOCK_OOB, 0);
            s.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEADDR, 1);
            s.bind(new InetSocketAddress(a.address(), port));
            s.listen(4);
            return s;
        });
        closeLater(socket::close);
        return socket;
    }

    public <T> T inA(final Callable<T> task) throws Exception
    {
        return fixture.call(a, task);
    }

    public <T> T inB(final Callable<T> task) throws Exception
    {
        return fixture.call(b, task);
    }

    public <T extends AutoCloseable> T closeLater(final T resource)
    {
        closeables.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception
    {
        try
        {
            for (int i = closeables.size() - 1; i >= 0; i--)
            {
                try
                {
                    closeables.get(i).close();
                }
                catch (final Exception ignored)
                {
                    // a socket the test already closed
                }
            }
            runtime.close();
        }
        finally
        {
            fixture.close();
        }
    }
}
