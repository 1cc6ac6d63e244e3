package org.oobnet.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.oobnet.core.OobConfig;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;

/**
 * One test's runtime: a registry holding only the (decorated) protocol under test, a back-off idle strategy (the
 * test machines' CPUs are shared), small rings, counters in a temporary directory; the subject's peers opened
 * after start and closed before the runtime.
 * <p>
 * <b>Note:</b> in-band, one test thread.
 */
public final class ContractRuntime implements AutoCloseable
{
    private final ProtocolSubject subject;
    private final OobProtocol protocol;
    private final Path countersDir;
    private final OobRuntime runtime;
    private boolean closed;

    private ContractRuntime(
        final ProtocolSubject subject, final OobProtocol protocol, final Path countersDir, final OobRuntime runtime)
    {
        this.subject = subject;
        this.protocol = protocol;
        this.countersDir = countersDir;
        this.runtime = runtime;
    }

    /**
     * Starts a runtime serving {@code protocol} (the subject's protocol, maybe decorated) and opens the subject's
     * peers.
     *
     * @param subject  the subject.
     * @param protocol what to register under {@code protocol.family()}.
     * @param idle     the stage's idle strategy ({@code BACKOFF} or {@code YIELD} in tests).
     * @return the running runtime.
     * @throws Exception when the subject's peers fail to open.
     */
    public static ContractRuntime start(
        final ProtocolSubject subject, final OobProtocol protocol, final OobConfig.IdleStrategyKind idle)
        throws Exception
    {
        final Path dir = Files.createTempDirectory("oobnet-contract-");
        final ProtocolRegistry registry = new ProtocolRegistry();
        registry.register(protocol.family(), protocol);
        final OobConfig config = subject.configure(OobConfig.builder()
            .idleStrategy(idle)
            .sendRingBytes(64 * 1024)
            .receiveRingBytes(64 * 1024)
            .countersDir(dir)
            .countersValuesBytes(8 * 1024 * 128)
            .errorLogBytes(64 * 1024)
            .releaseDrainTimeoutNs(2_000_000_000L)).build();
        final OobRuntime runtime = OobRuntime.start(config, registry);
        final ContractRuntime run = new ContractRuntime(subject, protocol, dir, runtime);
        try
        {
            subject.onRuntimeStarted(runtime);
        }
        catch (final Exception | Error ex)
        {
            run.close();
            throw ex;
        }
        return run;
    }

    /** @return the runtime. */
    public OobRuntime runtime()
    {
        return runtime;
    }

    /** @return the protocol registered. */
    public OobProtocol protocol()
    {
        return protocol;
    }

    /**
     * In-band: opens a socket of the subject's type, in the subject's host.
     *
     * @return the socket.
     * @throws Exception the {@code socket()} failure.
     */
    public KSocket open() throws Exception
    {
        return subject.inHost(() -> KSocket.socket(
            protocol.family(), subject.type() | SocketConstants.SOCK_OOB, subject.protocolNumber()));
    }

    /**
     * In-band: opens a socket, binds it and, when the subject supports it, connects it.
     *
     * @return the socket, ready to send.
     * @throws Exception on failure.
     */
    public KSocket openReady() throws Exception
    {
        final KSocket socket = open();
        try
        {
            subject.inHost(() ->
            {
                subject.bind(socket);
                if (subject.supportsConnect())
                {
                    subject.connect(socket);
                }
                return null;
            });
        }
        catch (final Exception | Error ex)
        {
            socket.close();
            throw ex;
        }
        return socket;
    }

    /**
     * Waits until the stage has taken the socket on (its first cycle with it ran).
     *
     * @param socket the socket.
     */
    public void awaitOnStage(final KSocket socket)
    {
        final OobSocket context = OobSocket.of(socket);
        final long cycles = runtime.counters().cycles().get();
        // two full cycles after the attach was queued: the attach command ran in one of them
        Await.until(() -> runtime.counters().cycles().get() > cycles + 2, "two stage cycles after attach of " + context);
    }

    /**
     * Closes the subject's peers, then the runtime, then deletes the counters directory. Idempotent.
     */
    @Override
    public void close() throws Exception
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            // a test that failed half way may have left its failing hook armed: the peers must close cleanly
            OobProtocol layer = protocol;
            while (layer instanceof final ForwardingProtocol forwarding)
            {
                if (forwarding instanceof final FailingProtocol failing)
                {
                    failing.armed(false);
                }
                layer = forwarding.delegate();
            }
            subject.onRuntimeClosing(runtime);
        }
        finally
        {
            runtime.close();
            deleteTree(countersDir);
        }
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
