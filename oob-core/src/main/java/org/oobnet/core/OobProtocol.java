package org.oobnet.core;

import java.lang.foreign.MemorySegment;

import org.agrona.DirectBuffer;
import org.oobnet.inband.Errno;
import org.oobnet.inband.OobHooks;

/**
 * The protocol SPI, the SDK's core: one implementation per family/type/protocol, like EVL's
 * {@code struct evl_net_proto}. oob-core dispatches the Dovetail hooks of {@code SOCK_OOB} sockets to the protocol
 * that {@link #match matched} the socket, and runs the stage-side methods in its duty cycle.
 *
 * <h2>Stages</h2>
 * <ul>
 *   <li><b>In-band</b> ({@link #match}, {@link #attach}, {@link #bind}, {@link #connect}, {@link #shutdown},
 *       {@link #release}, {@link #destroy}, {@link #inbandIoctl}, {@link #setopt}, {@link #getopt}): the
 *       application's thread. May block, allocate, make syscalls (through inband-stack), map memory, and hand
 *       state to the stage with a {@link StageCommand} ({@link OobRuntime#callOnStage}).</li>
 *   <li><b>Stage</b> ({@link #onStageAttach}, {@link #poll}, {@link #send}, {@link #claim}, {@link #commit},
 *       {@link #abort}, {@link #flush}, {@link #receive}, {@link #oobIoctl}, {@link #onStageDetach}): the OOB
 *       stage thread. Must not block, take a lock, make a blocking syscall, log, or allocate in steady state.
 *       Non-blocking syscalls through inband-stack's sys package (e.g. the TX kick {@code send(fd, NULL, 0,
 *       MSG_DONTWAIT)}) are allowed.</li>
 * </ul>
 *
 * <h2>Return convention</h2>
 * Kernel style: 0 or a non-negative count on success, a negative errno ({@code -Errno.EWOULDBLOCK}) on failure.
 * Nothing is thrown across the stage boundary; a {@code Throwable} escaping a stage method is recorded in the
 * distinct error log, counted as a hook error on the socket, and the stage goes on.
 *
 * <h2>Lifecycle and ordering</h2>
 * {@code match → attach → [onStageAttach] → bind/connect/shutdown/ioctl/options ... → release → destroy}.
 * {@link #attach} runs before the socket is published; {@link #onStageAttach} runs on the stage at the start of
 * the first cycle that sees the socket. At close, oob-core first stops new OOB I/O (application calls fail with
 * {@code EBADF}), then the stage drains the socket's send ring through {@link #send}, calls
 * {@link #onStageDetach} and acknowledges after that cycle; only then is {@link #release} called in-band. So in
 * {@link #release} and {@link #destroy} the stage no longer touches the socket: they may unmap what the stage
 * read. {@link #destroy} runs when the last reference is dropped, after {@link #release}.
 *
 * <h2>Devices and sockets</h2>
 * The stage polls {@link StageDevice devices}, not sockets. A protocol whose sockets share an interface (UDP over
 * a packet port) writes a device that demultiplexes received frames to its sockets and registers it with
 * {@link OobRuntime#addDevice}; its sockets are thin endpoints that the stage visits only when they queued sends.
 * A protocol whose sockets each own their I/O either adds a device per socket from a stage hook or command
 * ({@link OobStage#addDevice}, as oob-packet's raw sockets do), or returns true from {@link #pollsEachSocket()}:
 * oob-core then polls each socket like a device through {@link #poll} and {@link #flush}. A protocol with no I/O
 * of its own (the AF_OOB bus) writes neither: its sends are served from the send ring.
 *
 * <h2>Discovery</h2>
 * Register with {@link ProtocolRegistry#register(int, OobProtocol)}, or list the class in
 * {@code META-INF/services/org.oobnet.core.OobProtocol} (it then registers under {@link #family()}).
 * <b>Note:</b> one instance serves every socket it matched; keep per-socket state in
 * {@link OobSocket#protocolState(Object)}.
 */
public interface OobProtocol
{
    /**
     * The address family this protocol registers under when discovered by {@link java.util.ServiceLoader}:
     * {@code AF_OOB} (46) for protocols that live wholly on the OOB side, {@code AF_PACKET} (17) or
     * {@code AF_INET} (2) for extensions of the kernel's families.
     *
     * @return the family number.
     */
    int family();

    /**
     * A short name for counters labels and {@code oobnet stat}, e.g. {@code "bus"}, {@code "packet"}.
     *
     * @return the protocol's name.
     */
    String name();

    /**
     * In-band: does this protocol serve sockets of this type and protocol number? Like EVL's
     * {@code match(type, protocol)}.
     *
     * @param type     the socket type without flags ({@code SOCK_DGRAM}, {@code SOCK_RAW}, ...).
     * @param protocol the protocol number given to {@code socket()}.
     * @return 0 when it does; else the errno {@code socket()} fails with, negative (e.g.
     * {@code -Errno.ESOCKTNOSUPPORT} for a type it does not serve, {@code -Errno.EPROTONOSUPPORT} for a protocol
     * number).
     */
    int match(int type, int protocol);

    /**
     * In-band, after the socket was built and its OOB context made, before {@code socket()} returns. May allocate
     * and set up per-socket state ({@link OobSocket#protocolState(Object)}).
     *
     * @param socket the new socket's OOB context.
     * @return 0, or a negative errno that closes the socket and fails {@code socket()} ({@link #destroy} is then
     * called, {@link #release} is not).
     */
    default int attach(final OobSocket socket)
    {
        return 0;
    }

    /**
     * In-band, after the kernel (or, for {@code AF_OOB}, the in-band stack) bound the socket.
     *
     * @param socket  the socket.
     * @param address the {@code sockaddr} as given, valid during the call only.
     * @return 0, or a negative errno that fails {@code bind}.
     */
    default int bind(final OobSocket socket, final MemorySegment address)
    {
        return 0;
    }

    /**
     * In-band, after the in-band connect succeeded.
     *
     * @param socket  the socket.
     * @param address the peer {@code sockaddr}, valid during the call only.
     * @return 0, or a negative errno that fails {@code connect}.
     */
    default int connect(final OobSocket socket, final MemorySegment address)
    {
        return 0;
    }

    /**
     * In-band, after the in-band shutdown succeeded. oob-core has already recorded the direction(s) on the socket
     * (sends or receives now fail with {@code EPIPE}) and will raise {@code CANTSENDMORE}/{@code CANTRECVMORE}.
     *
     * @param socket the socket.
     * @param how    {@code SHUT_RD} (0), {@code SHUT_WR} (1) or {@code SHUT_RDWR} (2).
     * @return 0, or a negative errno that fails {@code shutdown}.
     */
    default int shutdown(final OobSocket socket, final int how)
    {
        return 0;
    }

    /**
     * In-band, after the stage acknowledged that it no longer touches the socket (see the class comment): stop
     * whatever in-band machinery serves the socket. May unmap memory the stage read.
     *
     * @param socket the socket being closed.
     */
    default void release(final OobSocket socket)
    {
    }

    /**
     * In-band, when the last reference went (after {@link #release}, or after a failed {@link #attach}): free the
     * protocol's per-socket resources.
     *
     * @param socket the socket.
     */
    default void destroy(final OobSocket socket)
    {
    }

    /**
     * In-band ioctl redirect: any result but {@code -ENOIOCTLCMD} ends the call with that result.
     *
     * @param socket  the socket.
     * @param request the request number.
     * @param arg     its argument (a value or the address of a native struct).
     * @return a result, or {@code -OobHooks.ENOIOCTLCMD} to fall back to the kernel's handler.
     */
    default long inbandIoctl(final OobSocket socket, final int request, final long arg)
    {
        return -OobHooks.ENOIOCTLCMD;
    }

    /**
     * In-band, before the core moves a socket to another stage ({@link OobSocket#placeOnStage},
     * {@link OobSocket#placeOnInterface}), while the socket still works on its old stage: make ready what the socket
     * needs on the new one (oob-udp opens that stage's port where a bound socket receives), so that the move is all
     * or nothing. A failure leaves the socket where it was; {@link OobSocket#failInband} names what failed.
     *
     * @param socket the socket, before its first OOB I/O.
     * @param to     the stage it moves to.
     * @param byName true for {@link OobSocket#SO_OOB_STAGE}, false for a stage that serves an interface.
     * @return 0, or a negative errno that refuses the move.
     */
    default int beforeStageMove(final OobSocket socket, final RuntimeStage to, final boolean byName)
    {
        return 0;
    }

    /**
     * In-band {@code setsockopt} redirect: any result but {@code -ENOIOCTLCMD} ends the call.
     * <p>
     * The core's own options ({@link OobSocket#SOL_OOB}) come here after the core applied them, never to the
     * kernel: {@code SO_OOB_STAGE} once the socket is on the named stage (what the socket needs there was made ready
     * by {@link #beforeStageMove}). {@code -ENOIOCTLCMD} or 0 keeps the core's result; a negative errno is the
     * call's result (the socket stays on the named stage).
     *
     * @param socket the socket.
     * @param level  option level.
     * @param name   option name.
     * @param value  option value, valid during the call only.
     * @return a result, or {@code -OobHooks.ENOIOCTLCMD} to fall back to the kernel.
     */
    default int setopt(final OobSocket socket, final int level, final int name, final MemorySegment value)
    {
        return -OobHooks.ENOIOCTLCMD;
    }

    /**
     * In-band {@code getsockopt} redirect: any result but {@code -ENOIOCTLCMD} ends the call.
     *
     * @param socket the socket.
     * @param level  option level.
     * @param name   option name.
     * @param value  where to write the value, valid during the call only.
     * @param length in: the size of {@code value}; out: the length written (native {@code socklen_t}).
     * @return a result, or {@code -OobHooks.ENOIOCTLCMD} to fall back to the kernel.
     */
    default int getopt(
        final OobSocket socket, final int level, final int name, final MemorySegment value, final MemorySegment length)
    {
        return -OobHooks.ENOIOCTLCMD;
    }

    /**
     * Stage: an out-of-band ioctl.
     *
     * @param socket  the socket.
     * @param request the request number.
     * @param arg     its argument.
     * @return a non-negative result, or a negative errno ({@code -ENOTTY} for an unknown request).
     */
    default long oobIoctl(final OobSocket socket, final int request, final long arg)
    {
        return -Errno.ENOTTY;
    }

    /**
     * Whether every socket of this protocol owns its I/O and is polled by the stage like a device: {@link #poll}
     * and {@link #flush} every cycle while it is on the stage. False (the default) for protocols whose sockets are
     * served by shared devices, or have no I/O of their own: {@link #poll} and {@link #flush} are then never called
     * by the stage, and an idle socket costs a cycle nothing.
     *
     * @return true to have each socket polled every cycle.
     */
    default boolean pollsEachSocket()
    {
        return false;
    }

    /**
     * Stage: the socket joined the stage; from now on its queued sends are served (and, with
     * {@link #pollsEachSocket()}, {@link #poll} and {@link #flush} run for it every cycle).
     *
     * @param socket the socket.
     */
    default void onStageAttach(final OobSocket socket)
    {
    }

    /**
     * Stage: the socket leaves the stage. After this returns the stage never calls the protocol for this socket
     * again, and the in-band side learns it only at the end of this cycle (then {@link #release} runs).
     *
     * @param socket the socket.
     */
    default void onStageDetach(final OobSocket socket)
    {
    }

    /**
     * Stage, every cycle for every socket on the stage when {@link #pollsEachSocket()} is true (else never called
     * by the stage): receive work. Hand each received message to
     * {@link OobSocket#deliver(DirectBuffer, int, int)} (zero copy to a stage receive handler, or a copy into the
     * socket's receive ring).
     *
     * @param socket the socket.
     * @param nowNs  the cycle's clock.
     * @return the work done (messages handled), 0 when none.
     */
    default int poll(final OobSocket socket, final long nowNs)
    {
        return 0;
    }

    /**
     * Stage: send one message, copying it from the given buffer (from the socket's send ring when the stage
     * drains it, or from {@link OobSocket#oobSend}).
     *
     * @param socket the socket.
     * @param buffer the message's buffer, valid during the call only.
     * @param offset where it starts.
     * @param length its length.
     * @return the bytes sent, {@code -EWOULDBLOCK} when the TX path is full (a send-ring message then stays
     * queued and is retried next cycle), or another negative errno (the message is dropped and counted).
     */
    int send(OobSocket socket, DirectBuffer buffer, int offset, int length);

    /**
     * Stage: zero-copy send, step one: claim {@code length} bytes of the TX path and wrap them in
     * {@code claim} ({@link OobClaim#wrap}).
     *
     * @param socket the socket.
     * @param length the bytes wanted.
     * @param claim  the socket's claim flyweight to wrap.
     * @return 0, {@code -EWOULDBLOCK} when full, {@code -EMSGSIZE} when too long, {@code -EOPNOTSUPP} when the
     * protocol has no zero-copy TX path (the default).
     */
    default int claim(final OobSocket socket, final int length, final OobClaim claim)
    {
        return -Errno.EOPNOTSUPP;
    }

    /**
     * Stage: zero-copy send, step two: the caller filled the claim; send it.
     *
     * @param socket the socket.
     * @param claim  the claim {@link #claim} wrapped.
     * @return the bytes sent, or a negative errno.
     */
    default int commit(final OobSocket socket, final OobClaim claim)
    {
        return -Errno.EOPNOTSUPP;
    }

    /**
     * Stage: give a claim back unsent.
     *
     * @param socket the socket.
     * @param claim  the claim {@link #claim} wrapped.
     */
    default void abort(final OobSocket socket, final OobClaim claim)
    {
    }

    /**
     * Stage, every cycle for every socket on the stage when {@link #pollsEachSocket()} is true, after the queued
     * sends were served: push what the cycle queued (one TX kick per cycle). Protocols served by shared devices
     * may implement it to push a socket's frames at once from stage code (e.g. right after a reply).
     *
     * @param socket the socket.
     * @param nowNs  the cycle's clock.
     * @return the work done.
     */
    default int flush(final OobSocket socket, final long nowNs)
    {
        return 0;
    }

    /**
     * Stage: pull receive, {@link OobSocket#oobReceive}. The default reads the socket's receive ring (what
     * {@link OobSocket#deliver} filled); a protocol with its own RX ring may hand its frames out directly.
     *
     * @param socket  the socket.
     * @param handler takes each message as a view valid during the call.
     * @param limit   most messages to hand out.
     * @return the messages handed out, {@code -EWOULDBLOCK} when none.
     */
    default int receive(final OobSocket socket, final OobReceiveHandler handler, final int limit)
    {
        return socket.readReceiveRing(handler, limit);
    }
}
