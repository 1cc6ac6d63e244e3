package org.oobnet.core;

import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersManager;
import org.oobnet.core.counters.DeviceCounters;
import org.oobnet.core.counters.ProtocolCounterType;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.core.counters.SocketCounters;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.KSocketEvent;

/**
 * The life of every OOB socket context of one runtime, as EVL's {@code net/socket.c}: attach (the context, its
 * counter slots and rings, the protocol's attach, then the socket joins the stage) → release (new I/O stops, the
 * stage drains the send ring and lets go, the protocol's release) → destroy at the last reference (the protocol's
 * destroy, the counter slots freed). Also the closes the stage thread attempted (refused there, finished in-band
 * by the next lifecycle call), and the hooks' stage crossings (shutdown events, async events, OOB ioctls).
 * <p>
 * <b>Note:</b> in-band only; thread safe. Counter slots are allocated and freed under one lock (Agrona's
 * {@code CountersManager} is not thread safe).
 */
final class SocketLifecycle
{
    private final OobRuntime runtime;
    private final OobConfig config;
    private final ProtocolRegistry registry;
    private final CountersManager countersManager;
    private final List<RuntimeStage> stages;
    private final StageAgent stage;
    private final Object countersLock = new Object();
    private final Set<OobSocket> live = ConcurrentHashMap.newKeySet();
    private final Queue<OobSocket> closedOnStage = new ConcurrentLinkedQueue<>();
    private final AtomicInteger liveCount = new AtomicInteger();
    private final AtomicLong socketIds = new AtomicLong();
    private volatile boolean refusing;

    SocketLifecycle(
        final OobRuntime runtime,
        final OobConfig config,
        final ProtocolRegistry registry,
        final CountersManager countersManager,
        final List<RuntimeStage> stages)
    {
        this.runtime = runtime;
        this.config = config;
        this.registry = registry;
        this.countersManager = countersManager;
        this.stages = stages;
        // the default stage's agent: where in-band errors are recorded (the error log is the runtime's)
        this.stage = stages.getFirst().agent();
    }

    /** @return contexts attached and not yet destroyed. */
    int liveSockets()
    {
        return liveCount.get();
    }

    // in-band, the kernel (or eventfd) socket fully built, before socket() returns
    int attach(final KSocket ksocket)
    {
        if (refusing)
        {
            return -Errno.ENETDOWN;
        }
        if (runtime.isStageThread())
        {
            // socket() is in-band work (it allocates, and its commands wait on the stage): never on the stage
            return -Errno.EPERM;
        }
        reapStageCloses();
        final int family = ksocket.family();
        final int type = ksocket.type();
        final int protocolNumber = ksocket.protocol();
        final OobProtocol[] found = new OobProtocol[1];
        final int rc = registry.lookup(family, type, protocolNumber, found);
        if (rc < 0)
        {
            return rc;
        }
        if (liveCount.incrementAndGet() > config.maxSockets())
        {
            liveCount.decrementAndGet();
            return -Errno.ENFILE;
        }
        final OobProtocol protocol = found[0];
        final long id = socketIds.incrementAndGet();
        final SocketCounters counters;
        synchronized (countersLock)
        {
            counters = SocketCounters.allocate(countersManager, id, protocol.name() + " fd=" + ksocket.fd());
        }
        if (null == counters)
        {
            liveCount.decrementAndGet();
            return -Errno.ENOBUFS;
        }
        final UnsafeBuffer sendMemory = RingMemory.map(config.sendRingBytes() + RingBufferDescriptor.TRAILER_LENGTH);
        final UnsafeBuffer receiveMemory = null == sendMemory ? null :
            RingMemory.map(config.receiveRingBytes() + RingBufferDescriptor.TRAILER_LENGTH);
        if (null == receiveMemory)
        {
            synchronized (countersLock)
            {
                counters.free();
            }
            liveCount.decrementAndGet();
            return -Errno.ENOMEM;
        }
        // every socket starts on the default stage; placement (by name or interface) moves it before its first I/O
        final OobSocket socket = new OobSocket(
            runtime, this, stages.getFirst(), ksocket, protocol, id, family, type, protocolNumber,
            new ManyToOneRingBuffer(sendMemory), new OneToOneRingBuffer(receiveMemory), counters);
        ksocket.oobContext(socket);
        // the protocol's classes, so that none is first loaded on a stage (its first socket; once per JVM)
        StageClasses.load(protocol.getClass());
        int attached;
        try
        {
            attached = protocol.attach(socket);
        }
        catch (final RuntimeException ex)
        {
            stage.recordError(ex);
            attached = -Errno.EIO;
        }
        if (attached < 0)
        {
            counters.hookErrors().incrementRelease();
            try
            {
                protocol.destroy(socket);
            }
            catch (final RuntimeException ex)
            {
                stage.recordError(ex);
            }
            ksocket.oobContext(null);
            synchronized (countersLock)
            {
                socket.markDestroyed();
                freeCounters(socket);
            }
            liveCount.decrementAndGet();
            return attached;
        }
        live.add(socket);
        socket.runtimeStage().proxy().attach(socket);
        return 0;
    }

    /**
     * In-band: moves a socket to another stage, before its first OOB I/O. A stage named for the socket
     * ({@code byName}) wins over the stage of an interface: once placed by name, placement by interface is a no-op.
     *
     * @param socket the socket.
     * @param to     the stage to serve it.
     * @param byName true for {@link OobSocket#SO_OOB_STAGE}, false for a bound address or device.
     * @return 0; {@code -EBUSY} after the socket's first OOB I/O, {@code -EBADF} once released, {@code -EPERM}
     *         from a stage thread, or the protocol's refusal ({@link OobProtocol#beforeStageMove}): the socket then
     *         stays on its stage.
     */
    int place(final OobSocket socket, final RuntimeStage to, final boolean byName)
    {
        if (runtime.isStageThread())
        {
            return -Errno.EPERM;
        }
        synchronized (socket.placementLock())
        {
            if (socket.runtimeStage() == to || (!byName && socket.placedByName()))
            {
                if (byName)
                {
                    socket.moveHome(to, true);
                }
                return 0;
            }
            if (socket.ioStarted())
            {
                return -Errno.EBUSY;
            }
            // the protocol readies the new stage first (oob-udp: its port where the socket receives) while the
            // socket still works on its old one; a failure leaves it there, a datagram meanwhile fixes it (EBUSY)
            final int ready = socket.protocol().beforeStageMove(socket, to, byName);
            if (ready < 0)
            {
                return ready;
            }
            // serialised with the first I/O of any thread: it came first (EBUSY), or it waits for the move
            if (!socket.beginPlacement())
            {
                return -Errno.EBUSY;
            }
            try
            {
                if (socket.state() != OobSocket.ATTACHED)
                {
                    return -Errno.EBADF;
                }
                final int rc = socket.runtimeStage().proxy().moveOut(socket);
                if (rc < 0)
                {
                    return rc;
                }
                socket.moveHome(to, byName);
                to.proxy().attach(socket);
                return 0;
            }
            finally
            {
                socket.endPlacement();
            }
        }
    }

    // in-band, KSocket.close() before the kernel's release
    void release(final OobSocket socket)
    {
        if (runtime.isStageThread())
        {
            // release waits for the stage: from the stage it would wait for itself. KSocket.close() has already
            // marked the socket closed and keeps its open reference when this throws, so the close is finished
            // in-band by the runtime's next attach, release or close (reapStageCloses): the descriptor does not leak.
            // FIXME: refusing before KSocket marks the socket closed needs a pre-close check hook in inband-stack.
            if (socket.state() == OobSocket.ATTACHED && !closedOnStage.contains(socket))
            {
                closedOnStage.offer(socket); // allocates, on a misuse path only
            }
            throw new IllegalStateException("an OOB socket is closed in-band, not from the stage thread: " + socket);
        }
        reapStageCloses();
        releaseFromStage(socket);
    }

    /**
     * In-band, {@code KSocket.closeAll}: releases several sockets as {@link #release} does each, with one wait for
     * the stage: every detach is queued first, then the stage lets go of them all in as few cycles as its command
     * limit allows (one round trip per socket made closing 10 000 sockets take minutes on a loaded machine).
     *
     * @param sockets the sockets being closed.
     */
    void releaseAll(final List<OobSocket> sockets)
    {
        if (runtime.isStageThread())
        {
            for (final OobSocket socket : sockets)
            {
                release(socket); // refused there, each queued for the next in-band close
            }
            return;
        }
        reapStageCloses();
        final StageCommand[] detaches = new StageCommand[sockets.size()];
        final RuntimeStage[] stages = new RuntimeStage[sockets.size()];
        for (int i = 0; i < detaches.length; i++)
        {
            final OobSocket socket = sockets.get(i);
            if (socket.casState(OobSocket.ATTACHED, OobSocket.RELEASING))
            {
                // under the placement lock: the socket's stage is final once it is RELEASING (place() refuses then)
                synchronized (socket.placementLock())
                {
                    stages[i] = socket.runtimeStage();
                    detaches[i] = stages[i].proxy().submitDetach(socket, config.releaseDrainTimeoutNs());
                }
            }
        }
        for (int i = 0; i < detaches.length; i++)
        {
            if (null != detaches[i])
            {
                stages[i].proxy().await(detaches[i]);
                releaseProtocol(sockets.get(i));
            }
        }
    }

    // ATTACHED -> RELEASED: the stage lets go (its ring drained), then the protocol's release; false when not ATTACHED
    private boolean releaseFromStage(final OobSocket socket)
    {
        if (!socket.casState(OobSocket.ATTACHED, OobSocket.RELEASING))
        {
            return false;
        }
        synchronized (socket.placementLock())
        {
            socket.runtimeStage().proxy().detach(socket, config.releaseDrainTimeoutNs());
        }
        releaseProtocol(socket);
        return true;
    }

    // RELEASING -> RELEASED once the stage let go: the protocol's release
    private void releaseProtocol(final OobSocket socket)
    {
        socket.casState(OobSocket.RELEASING, OobSocket.RELEASED);
        try
        {
            socket.protocol().release(socket);
        }
        catch (final RuntimeException ex)
        {
            socket.counters().hookErrors().incrementRelease();
            stage.recordError(ex);
        }
    }

    /**
     * In-band: finishes the closes the stage thread attempted (refused there, see {@link #release}): releases each
     * socket, then drops the open reference {@code KSocket.close()} kept, which closes its descriptor and destroys
     * the context.
     *
     * @return the sockets whose close was finished.
     */
    int reapStageCloses()
    {
        int reaped = 0;
        OobSocket socket;
        while (null != (socket = closedOnStage.poll()))
        {
            release(socket);
            try
            {
                socket.ksocket().rele();
            }
            catch (final RuntimeException ex)
            {
                stage.recordError(ex);
            }
            reaped++;
        }
        return reaped;
    }

    // in-band: the socket's last reference went (the destroy hook), or the runtime closes
    void destroy(final OobSocket socket)
    {
        // destroyed without release (forced close): let the stage go first
        releaseFromStage(socket);
        if (!socket.casState(OobSocket.RELEASED, OobSocket.DESTROYED))
        {
            return;
        }
        try
        {
            socket.protocol().destroy(socket);
        }
        catch (final RuntimeException ex)
        {
            stage.recordError(ex);
        }
        synchronized (countersLock)
        {
            freeCounters(socket);
        }
        live.remove(socket);
        liveCount.decrementAndGet();
    }

    // in-band, under countersLock, once the socket is destroyed (no writer can reach its counters any more)
    private static void freeCounters(final OobSocket socket)
    {
        socket.counters().free();
        for (final ProtocolCounters counters : socket.protocolCounters)
        {
            counters.free();
        }
        socket.protocolCounters = new ProtocolCounters[0];
    }

    // in-band: a shared device's counters (null when the counters file is full: the device runs without them)
    // with several stages a device is named "<device>@<stage>" (with one, labels stay what readers always saw)
    DeviceCounters allocateDeviceCounters(final StageDevice device, final RuntimeStage on)
    {
        final String[] labels = device.counterLabels();
        final String name = 1 == stages.size() ? device.name() : device.name() + DeviceCounters.STAGE_SEPARATOR + on.name();
        synchronized (countersLock)
        {
            return DeviceCounters.allocate(countersManager, name, labels);
        }
    }

    // in-band, once the stage let go of the device
    void freeDeviceCounters(final DeviceCounters counters)
    {
        synchronized (countersLock)
        {
            counters.free();
        }
    }

    ProtocolCounters allocateProtocolCounters(final OobSocket socket, final ProtocolCounterType[] types)
    {
        final String problem = ProtocolCounters.check(types);
        if (null != problem)
        {
            throw new IllegalArgumentException("protocol=" + socket.protocol().name() + ": " + problem);
        }
        synchronized (countersLock)
        {
            if (socket.isDestroyed())
            {
                throw new IllegalStateException("counters for a destroyed socket: " + socket);
            }
            final ProtocolCounters counters = ProtocolCounters.allocate(
                countersManager, types, socket.id(), socket.protocol().name() + " fd=" + socket.ksocket().fd());
            if (null != counters)
            {
                final ProtocolCounters[] current = socket.protocolCounters;
                final ProtocolCounters[] next = Arrays.copyOf(current, current.length + 1);
                next[current.length] = counters;
                socket.protocolCounters = next;
            }
            return counters;
        }
    }

    // in-band, after the in-band shutdown succeeded
    void shutdown(final OobSocket socket, final int how)
    {
        socket.shutdownBits(how);
        if (how == OobSocket.SHUT_WR || how == OobSocket.SHUT_RDWR)
        {
            socket.runtimeStage().proxy().raise(socket, KSocketEvent.CANTSENDMORE, 0);
        }
        if (how == OobSocket.SHUT_RD || how == OobSocket.SHUT_RDWR)
        {
            socket.runtimeStage().proxy().raise(socket, KSocketEvent.CANTRECVMORE, 0);
        }
    }

    void raiseAsync(final OobSocket socket, final KSocketEvent event, final long arg)
    {
        socket.runtimeStage().proxy().raise(socket, event, arg);
    }

    long oobIoctl(final OobSocket socket, final int request, final long arg)
    {
        if (runtime.isStageThread())
        {
            return socket.oobIoctl(request, arg);
        }
        return socket.runtimeStage().proxy().oobIoctl(socket, request, arg);
    }

    /**
     * In-band, as the runtime begins to close: no new socket is attached; the closes the stage attempted are
     * finished.
     */
    void refuseNew()
    {
        refusing = true;
        reapStageCloses();
    }

    /**
     * In-band, at the runtime's close, after {@link #refuseNew()}: every live socket is released (the stage drains
     * and lets go) and its context destroyed although the application may still hold the socket: the runtime is
     * going away. The socket's own count is the application's: its descriptor closes at its last reference, whose
     * destroy hook then finds the context gone.
     */
    void closeAll()
    {
        for (final OobSocket socket : live.toArray(new OobSocket[0]))
        {
            release(socket);
            destroy(socket);
        }
    }
}
