package org.oobnet.soupbintcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.paritytrading.nassau.MessageListener;
import com.paritytrading.nassau.soupbintcp.SoupBinTCP;
import com.paritytrading.nassau.soupbintcp.SoupBinTCPClient;
import com.paritytrading.nassau.soupbintcp.SoupBinTCPClientStatusListener;
import com.paritytrading.nassau.soupbintcp.SoupBinTCPServer;
import com.paritytrading.nassau.soupbintcp.SoupBinTCPServerStatusListener;
import com.paritytrading.nassau.soupbintcp.SoupBinTCPSession;

/**
 * Nassau's SoupBinTCP client or server, the independent peer, on its own thread over a non-blocking kernel
 * socket: it receives, keeps the session alive (heartbeats, unless stopped) and runs the actions the test queues,
 * all on its thread (Nassau's sessions are not thread safe). It records every message it received and its status
 * callbacks.
 */
final class NassauPeer implements AutoCloseable
{
    interface Action
    {
        void run(SoupBinTCPSession session) throws IOException;
    }

    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> status = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Action> actions = new ConcurrentLinkedQueue<>();
    private final SocketChannel channel;
    private final SoupBinTCPSession session;
    private final Thread thread;
    private volatile boolean heartbeats = true;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private NassauPeer(final SocketChannel channel, final boolean server) throws IOException
    {
        this.channel = channel;
        channel.configureBlocking(false);
        final MessageListener listener = buffer ->
        {
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            messages.add(new String(bytes, StandardCharsets.US_ASCII));
        };
        if (server)
        {
            session = new SoupBinTCPServer(channel, listener, new SoupBinTCPServerStatusListener()
            {
                @Override
                public void heartbeatTimeout(final SoupBinTCPServer session)
                {
                    status.add("heartbeatTimeout");
                }

                @Override
                public void loginRequest(final SoupBinTCPServer session, final SoupBinTCP.LoginRequest request)
                    throws IOException
                {
                    status.add("login " + request.getUsername().trim() + " " + request.getRequestedSequenceNumber());
                    final SoupBinTCP.LoginAccepted accepted = new SoupBinTCP.LoginAccepted();
                    accepted.setSession("NASSAU");
                    accepted.setSequenceNumber(1);
                    session.accept(accepted);
                }

                @Override
                public void logoutRequest(final SoupBinTCPServer session)
                {
                    status.add("logout");
                }
            });
        }
        else
        {
            session = new SoupBinTCPClient(channel, listener, new SoupBinTCPClientStatusListener()
            {
                @Override
                public void heartbeatTimeout(final SoupBinTCPClient session)
                {
                    status.add("heartbeatTimeout");
                }

                @Override
                public void loginAccepted(final SoupBinTCPClient session, final SoupBinTCP.LoginAccepted accepted)
                {
                    status.add("accepted " + accepted.getSession().trim() + " " + accepted.getSequenceNumber());
                }

                @Override
                public void loginRejected(final SoupBinTCPClient session, final SoupBinTCP.LoginRejected rejected)
                {
                    status.add("rejected " + (char)rejected.getRejectReasonCode());
                }

                @Override
                public void endOfSession(final SoupBinTCPClient session)
                {
                    status.add("endOfSession");
                }
            });
        }
        thread = new Thread(this::loop, "nassau-peer");
        thread.setDaemon(true);
        thread.start();
    }

    static NassauPeer server(final SocketChannel channel) throws IOException
    {
        return new NassauPeer(channel, true);
    }

    static NassauPeer client(final SocketChannel channel) throws IOException
    {
        return new NassauPeer(channel, false);
    }

    /** Queues an action for the peer's thread. */
    void run(final Action action)
    {
        actions.add(action);
    }

    /** Stops sending heartbeats (and checking the peer's). */
    void stopHeartbeats()
    {
        heartbeats = false;
    }

    /** Whether the peer read the end of the stream. */
    boolean sawEndOfStream()
    {
        return status.contains("eof");
    }

    Throwable failure()
    {
        return failure;
    }

    private void loop()
    {
        try
        {
            while (running)
            {
                final int n = session.receive();
                if (n < 0)
                {
                    status.add("eof");
                    return;
                }
                if (heartbeats)
                {
                    session.keepAlive();
                }
                Action action;
                while (null != (action = actions.poll()))
                {
                    action.run(session);
                }
                if (0 == n)
                {
                    Thread.sleep(1);
                }
            }
        }
        catch (final IOException ex)
        {
            status.add("io " + ex.getMessage());
        }
        catch (final Throwable t)
        {
            failure = t;
        }
    }

    @Override
    public void close() throws Exception
    {
        running = false;
        thread.join(5_000);
        channel.close();
    }

    static ByteBuffer ascii(final String text)
    {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
