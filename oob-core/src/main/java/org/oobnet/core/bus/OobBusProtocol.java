package org.oobnet.core.bus;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentHashMap;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobClaim;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.OobHooks;

/**
 * The AF_OOB message bus: datagram sockets bound to names, delivering between sockets of the same runtime
 * through the OOB stage, with no kernel I/O. It proves the SDK: every hook and both rings are used.
 * <p>
 * {@code KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0)}; {@code bind} to an {@link OobBusAddress} to receive,
 * {@code connect} to another endpoint's name to send (no {@code sendto}: a bus socket sends to its peer). A
 * message is moved on the stage from the sender's send ring (or {@code oobSend}) straight into the receiver with
 * {@link OobSocket#deliver}: zero-copy into a stage receive handler, or one copy into its receive ring. A full
 * receive ring drops the message and counts it at the receiver (datagram semantics); a peer that went away gives
 * {@code ECONNREFUSED}, counted as a drop with no peer at the sender. Both ends must be served by one stage
 * (place them with {@link OobSocket#SO_OOB_STAGE}): a peer on another stage gives {@code EXDEV}, counted as a
 * protocol drop at the sender.
 * <ul>
 *   <li>ioctls: {@link #FIONREAD} in-band writes the bytes queued on the receive ring into the {@code int} at
 *       {@code arg}; OOB ioctl {@link #OOB_IOC_PEER_ID} returns the peer socket's id; others fall back.</li>
 *   <li>options: {@code getsockopt(SOL_SOCKET, SO_RCVBUF)} gives the receive ring's capacity; others fall back
 *       to the kernel (the eventfd behind an AF_OOB socket answers {@code ENOPROTOOPT}/{@code ENOTSOCK}).</li>
 * </ul>
 * <b>Note:</b> one instance serves every bus socket; thread safe (names in a concurrent map, in-band only; the
 * stage reads each socket's endpoint through its volatile fields).
 */
public final class OobBusProtocol implements OobProtocol
{
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** {@code FIONREAD}. */
    public static final int FIONREAD = 0x541B;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;
    /** OOB ioctl: the connected peer's socket id, {@code -ENOTCONN} when none. */
    public static final int OOB_IOC_PEER_ID = 0x4F42_0001;

    private final ConcurrentHashMap<String, OobSocket> names = new ConcurrentHashMap<>();

    /** Public for {@link java.util.ServiceLoader}. */
    public OobBusProtocol()
    {
    }

    @Override
    public int family()
    {
        return OobRuntime.AF_OOB;
    }

    @Override
    public String name()
    {
        return "bus";
    }

    @Override
    public int match(final int type, final int protocol)
    {
        if (type != SOCK_DGRAM)
        {
            return -Errno.ESOCKTNOSUPPORT;
        }
        return 0 == protocol ? 0 : -Errno.EPROTONOSUPPORT;
    }

    @Override
    public int attach(final OobSocket socket)
    {
        socket.protocolState(new Endpoint());
        return 0;
    }

    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        final int rc = OobBusAddress.check(address);
        if (rc < 0)
        {
            return rc;
        }
        final String name = OobBusAddress.name(address);
        if (null == name)
        {
            return -Errno.EINVAL;
        }
        final Endpoint endpoint = socket.protocolState();
        synchronized (endpoint)
        {
            if (null != endpoint.name)
            {
                return -Errno.EINVAL;
            }
            if (null != names.putIfAbsent(name, socket))
            {
                return -Errno.EADDRINUSE;
            }
            endpoint.name = name;
        }
        return 0;
    }

    @Override
    public int connect(final OobSocket socket, final MemorySegment address)
    {
        final int rc = OobBusAddress.check(address);
        if (rc < 0)
        {
            return rc;
        }
        final String name = OobBusAddress.name(address);
        final OobSocket peer = null == name ? null : names.get(name);
        if (null == peer || peer.runtime() != socket.runtime() || !peer.isOpen())
        {
            return -Errno.ECONNREFUSED;
        }
        final Endpoint endpoint = socket.protocolState();
        // volatile write: the stage's next send sees the new peer
        endpoint.peer = peer;
        return 0;
    }

    @Override
    public void release(final OobSocket socket)
    {
        final Endpoint endpoint = socket.protocolState();
        synchronized (endpoint)
        {
            if (null != endpoint.name)
            {
                names.remove(endpoint.name, socket);
            }
        }
        endpoint.peer = null;
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        final Endpoint endpoint = socket.protocolState();
        if (null != endpoint)
        {
            release(socket);
        }
    }

    @Override
    public long inbandIoctl(final OobSocket socket, final int request, final long arg)
    {
        if (request == FIONREAD)
        {
            if (0 == arg)
            {
                return -Errno.EFAULT;
            }
            MemorySegment.ofAddress(arg).reinterpret(Integer.BYTES).set(
                ValueLayout.JAVA_INT_UNALIGNED, 0, socket.receiveQueuedBytes());
            return 0;
        }
        return -OobHooks.ENOIOCTLCMD;
    }

    @Override
    public int getopt(
        final OobSocket socket, final int level, final int name, final MemorySegment value, final MemorySegment length)
    {
        if (level == SOL_SOCKET && name == SO_RCVBUF)
        {
            if (value.byteSize() < Integer.BYTES || length.byteSize() < Integer.BYTES)
            {
                return -Errno.EINVAL;
            }
            value.set(ValueLayout.JAVA_INT_UNALIGNED, 0, socket.runtime().config().receiveRingBytes());
            length.set(ValueLayout.JAVA_INT_UNALIGNED, 0, Integer.BYTES);
            return 0;
        }
        return -OobHooks.ENOIOCTLCMD;
    }

    @Override
    public long oobIoctl(final OobSocket socket, final int request, final long arg)
    {
        if (request == OOB_IOC_PEER_ID)
        {
            final OobSocket peer = ((Endpoint)socket.protocolState()).peer;
            return null == peer ? -Errno.ENOTCONN : peer.id();
        }
        return -Errno.ENOTTY;
    }

    /**
     * Stage: moves one message to the peer.
     *
     * @return the length (also when the peer's receive ring was full: the peer counts that drop);
     * {@code -EDESTADDRREQ} when not connected, {@code -ECONNREFUSED} when the peer left the stage,
     * {@code -EXDEV} when another stage serves the peer.
     */
    @Override
    public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final Endpoint endpoint = socket.protocolState();
        final OobSocket peer = endpoint.peer;
        if (null == peer)
        {
            return -Errno.EDESTADDRREQ;
        }
        if (peer.runtimeStage() != socket.runtimeStage())
        {
            return -Errno.EXDEV; // the peer is served by another stage: its rings are not this thread's
        }
        // deliver() checks on the stage that the peer is still there: its counters and rings are live until the
        // stage lets it go, and the stage is this thread
        final int rc = peer.deliver(buffer, offset, length);
        if (rc == -Errno.EBADF)
        {
            return -Errno.ECONNREFUSED;
        }
        if (rc == -Errno.EWOULDBLOCK)
        {
            return rc; // the peer is not on the stage yet: the message stays queued for the next cycle
        }
        return length;
    }

    /**
     * Stage: zero-copy send straight into the peer's receive ring: the caller writes the message in the slot the
     * peer's consumer will read, no copy at all. (A peer with a stage receive handler still gets it through its
     * ring.)
     *
     * @return 0; {@code -EDESTADDRREQ} when not connected, {@code -ECONNREFUSED} when the peer left the stage,
     * {@code -EWOULDBLOCK} when its receive ring is full, {@code -EMSGSIZE}, or {@code -EPIPE} after its
     * {@code SHUT_RD}.
     */
    @Override
    public int claim(final OobSocket socket, final int length, final OobClaim claim)
    {
        final Endpoint endpoint = socket.protocolState();
        final OobSocket peer = endpoint.peer;
        if (null == peer)
        {
            return -Errno.EDESTADDRREQ;
        }
        if (peer.runtimeStage() != socket.runtimeStage())
        {
            return -Errno.EXDEV;
        }
        final int index = peer.receiveRingClaim(length);
        if (index < 0)
        {
            return index == -Errno.EBADF ? -Errno.ECONNREFUSED : index;
        }
        endpoint.claimPeer = peer;
        claim.wrap(peer.receiveBuffer(), index, length, index);
        return 0;
    }

    @Override
    public int commit(final OobSocket socket, final OobClaim claim)
    {
        final Endpoint endpoint = socket.protocolState();
        final OobSocket peer = endpoint.claimPeer;
        endpoint.claimPeer = null;
        if (null == peer || !peer.isOnStage())
        {
            // the peer left between claim and commit: its ring is no longer read, the slot is simply abandoned
            return -Errno.ECONNREFUSED;
        }
        peer.receiveRingCommit((int)claim.token(), claim.length());
        return claim.length();
    }

    @Override
    public void abort(final OobSocket socket, final OobClaim claim)
    {
        final Endpoint endpoint = socket.protocolState();
        final OobSocket peer = endpoint.claimPeer;
        endpoint.claimPeer = null;
        if (null != peer)
        {
            peer.receiveRingAbort((int)claim.token());
        }
    }

    /**
     * A bus socket's state.
     */
    static final class Endpoint
    {
        volatile String name;
        volatile OobSocket peer;
        OobSocket claimPeer; // stage only: the peer of the open claim
    }
}
