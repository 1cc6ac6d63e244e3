package org.oobnet.testkit;

import java.util.concurrent.Callable;

import org.agrona.MutableDirectBuffer;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.inband.KSocket;

/**
 * What a protocol author gives the contract kit: how to make the protocol, open and bind one of its sockets, and
 * write a message it accepts. One instance per test ({@link OobProtocolContract#subject()} is called for each).
 * <p>
 * The kit starts one {@link OobRuntime} per test with a registry holding only the protocol under test (wrapped in
 * its recording or failing decorators), so the subject must not start a runtime of its own. Peers the protocol
 * needs (a receiving socket, a second namespace) are opened in {@link #onRuntimeStarted} and closed in
 * {@link #onRuntimeClosing}; they go through the same decorated protocol.
 * <b>Note:</b> called from the test's thread; in-band socket calls run through {@link #inHost}.
 */
public interface ProtocolSubject extends AutoCloseable
{
    /**
     * A fresh instance of the protocol under test.
     *
     * @return the protocol.
     */
    OobProtocol newProtocol();

    /**
     * The socket type to open ({@code SOCK_DGRAM}, {@code SOCK_RAW}, {@code SOCK_SEQPACKET}, ...), without flags.
     *
     * @return the type.
     */
    int type();

    /**
     * The protocol number given to {@code socket()}.
     *
     * @return the number (e.g. 0, or an EtherType in network order for {@code AF_PACKET}).
     */
    int protocolNumber();

    /**
     * Adjusts the runtime configuration the kit starts from (back-off idle strategy, small rings, a temporary
     * counters directory).
     *
     * @param builder the kit's configuration.
     * @return the builder to use.
     */
    default OobConfig.Builder configure(final OobConfig.Builder builder)
    {
        return builder;
    }

    /**
     * Runs an in-band socket call where the protocol's sockets must live (override to run it inside a network
     * namespace, e.g. with {@code NetnsFixture.call}).
     *
     * @param task the call.
     * @param <T>  its result.
     * @return its result.
     * @throws Exception what it threw.
     */
    default <T> T inHost(final Callable<T> task) throws Exception
    {
        return task.call();
    }

    /**
     * In-band, once the runtime runs: open the peers the protocol needs (they receive what the socket under test
     * sends). Not called inside {@link #inHost}.
     *
     * @param runtime the runtime.
     * @throws Exception on failure.
     */
    default void onRuntimeStarted(final OobRuntime runtime) throws Exception
    {
    }

    /**
     * In-band, before the runtime closes: close the peers.
     *
     * @param runtime the runtime.
     * @throws Exception on failure.
     */
    default void onRuntimeClosing(final OobRuntime runtime) throws Exception
    {
    }

    /**
     * In-band, inside {@link #inHost}: bind the socket under test so that the protocol's {@code bind} hook runs.
     * Each call gets a fresh socket; the kit may bind several sockets in one runtime.
     *
     * @param socket the socket.
     * @throws Exception the bind's failure ({@link org.oobnet.inband.ErrnoException}).
     */
    void bind(KSocket socket) throws Exception;

    /**
     * @return true when {@link #connect} is meaningful for this protocol.
     */
    default boolean supportsConnect()
    {
        return false;
    }

    /**
     * In-band, inside {@link #inHost}, after {@link #bind}: connect the socket to a peer so that messages offered
     * to it go out.
     *
     * @param socket the socket.
     * @throws Exception the connect's failure.
     */
    default void connect(final KSocket socket) throws Exception
    {
        throw new UnsupportedOperationException("connect");
    }

    /**
     * @return true when {@code shutdown} reaches the protocol's hook (false for families whose kernel socket
     * refuses {@code shutdown}, e.g. {@code AF_PACKET}).
     */
    default boolean supportsShutdown()
    {
        return true;
    }

    /**
     * An ioctl request that neither the protocol nor the kernel knows.
     *
     * @return the request number; the default {@code 0xBEEF} is no socket ioctl.
     */
    default int unknownIoctlRequest()
    {
        return 0xBEEF;
    }

    /**
     * The errno the kernel gives for {@link #unknownIoctlRequest()} on this socket's descriptor.
     *
     * @return a positive errno; {@code ENOTTY} by default.
     */
    default int unknownIoctlErrno()
    {
        return org.oobnet.inband.Errno.ENOTTY;
    }

    /**
     * Writes one message the protocol accepts for sending, for the kit's traffic.
     *
     * @param buffer   where to write.
     * @param offset   where to start.
     * @param sequence a running number the message may carry.
     * @return the message's length.
     */
    int writeMessage(MutableDirectBuffer buffer, int offset, long sequence);

    /**
     * Frees what the subject made (namespaces, ...). Called after the runtime closed.
     */
    @Override
    default void close()
    {
    }
}
