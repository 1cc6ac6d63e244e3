package org.oobnet.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.oobnet.core.counters.ProtocolCounterType;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.core.counters.SocketCounters;
import org.oobnet.core.counters.StageHops;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.KSocketEvent;

/**
 * The OOB context of a {@code SOCK_OOB} socket and its out-of-band I/O API.
 * <p>
 * Made by oob-core's attach hook and grafted on the {@link KSocket} ({@link #of(KSocket)} finds it). One reference
 * count per socket, the {@link KSocket}'s (its open reference, its in-flight calls and every {@code hold}): the
 * context is released when the socket is closed and destroyed when that count reaches zero, so {@link #hold()} and
 * {@link #rele()} here are the socket's own {@code tryHold}/{@code rele}, not a second machine that could disagree
 * with it. Its rings live in anonymous mappings that the collector's cleaner unmaps once nothing refers to
 * them ({@code RingMemory}), so no thread can ever touch freed memory through them, whatever races close; what a
 * protocol maps itself is unmapped only after the stage let go. An idle socket costs the stage nothing: the stage
 * visits it only when it queued sends ({@link #commit}) or when its protocol polls each socket.
 *
 * <h2>Who calls what</h2>
 * <ul>
 *   <li><b>Stage</b> (protocols, {@link OobTask}s): {@link #oobSend}, {@link #oobClaim}, {@link #oobCommit},
 *       {@link #oobAbort}, {@link #oobReceive}, {@link #oobIoctl}, {@link #deliver}, {@link #raise}. Non-blocking:
 *       {@code -EWOULDBLOCK} when they cannot proceed. Allocation-free.</li>
 *   <li><b>Any other thread</b>: the send ring ({@link #tryClaim}/{@link #sendBuffer}/{@link #commit}, or
 *       {@link #offer}), many producers; the receive ring ({@link #poll}, {@link #receive}), one consumer at a time
 *       (the stage's {@code oobReceive} counts as one).</li>
 * </ul>
 * Results follow the SPI convention: a count or 0 on success, a negative errno ({@link Errno}) on failure.
 * {@code EBADF} once the socket is released.
 */
public final class OobSocket
{
    /** The ring record type of a message: one type, the ring is a byte pipe of datagrams. */
    public static final int MSG_TYPE_ID = 1;
    /** {@code SHUT_RD}. */
    public static final int SHUT_RD = 0;
    /** {@code SHUT_WR}. */
    public static final int SHUT_WR = 1;
    /** {@code SHUT_RDWR}. */
    public static final int SHUT_RDWR = 2;

    static final int ATTACHED = 0;
    static final int RELEASING = 1;
    static final int RELEASED = 2;
    static final int DESTROYED = 3;

    private static final int SHUT_RD_BIT = 1;
    private static final int SHUT_WR_BIT = 2;
    // ioState: no OOB I/O yet (placement allowed) -> a placement moving the socket -> back to none; or none -> the
    // first OOB I/O, after which the socket's stage is fixed
    private static final int IO_NONE = 0;
    private static final int IO_PLACING = 1;
    private static final int IO_STARTED = 2;
    private static final VarHandle SEND_SCHEDULED;
    private static final VarHandle IO_STATE;

    static
    {
        try
        {
            SEND_SCHEDULED = MethodHandles.lookup().findVarHandle(OobSocket.class, "sendScheduled", boolean.class);
            IO_STATE = MethodHandles.lookup().findVarHandle(OobSocket.class, "ioState", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Socket option level of the OOB core's own options (not the kernel's: never passed to it). */
    public static final int SOL_OOB = 0x4F42;
    /**
     * {@code setsockopt(SOL_OOB, SO_OOB_STAGE, "<stage name>")}: serve this socket on the named stage (see
     * {@link #placeOnStage}); {@code ENODEV} for an unknown name, {@code EBUSY} after the first OOB I/O.
     * {@code getsockopt} returns the serving stage's name.
     */
    public static final int SO_OOB_STAGE = 1;

    private final OobRuntime runtime;
    private final SocketLifecycle lifecycle;
    private final KSocket ksocket;
    private final OobProtocol protocol;
    private final long id;
    private final int family;
    private final int type;
    private final int protocolNumber;
    private final boolean grafted;
    private final ManyToOneRingBuffer sendRing;
    private final OneToOneRingBuffer receiveRing;
    private final SocketCounters counters;
    private final OobClaim claim = new OobClaim();
    private final Object placementLock = new Object();
    private final RingReader ringReader = new RingReader();
    private final StageDevice ownDevice;
    // the stage serving the socket; changes only by placement (SocketLifecycle.place), before the first OOB I/O,
    // published to the new stage by the attach command that carries the socket there
    private volatile RuntimeStage home;
    private volatile StageAgent stage;
    private volatile PendingSends pendingSends;
    // IO_NONE, IO_PLACING or IO_STARTED, changed by CAS only: the first OOB I/O (a send claimed, a message read or
    // delivered, an OOB ioctl) and a placement exclude each other (startIo, beginPlacement)
    @SuppressWarnings("unused") // accessed through IO_STATE
    private volatile int ioState;
    private volatile boolean placedByName;
    // in-band: what the last failed hook on this socket names (stage, interface, step), taken by the hook's caller
    // for its exception (CoreHooks.failureDetail); a failure path only
    private volatile String inbandFailure;

    // in-band, under the runtime's counters lock: the protocol's counters, freed at destroy
    ProtocolCounters[] protocolCounters = new ProtocolCounters[0];

    private volatile int state = ATTACHED;
    private volatile int shutdownBits;
    private volatile Object protocolState;
    private volatile OobReceiveHandler stageReceiveHandler;
    private volatile EventBinding eventBinding;
    private volatile boolean appSendBlocked;
    // true while the socket is in the stage's pending-sends queue or retry list (PendingSends)
    @SuppressWarnings("unused") // accessed through SEND_SCHEDULED
    private volatile boolean sendScheduled;

    // stage only: the socket's slot in the stage's table, -1 when not on the stage; whether its TX path was full
    private int stageIndex = -1;
    private boolean onStage;
    private boolean sendBlocked;

    OobSocket(
        final OobRuntime runtime,
        final SocketLifecycle lifecycle,
        final RuntimeStage home,
        final KSocket ksocket,
        final OobProtocol protocol,
        final long id,
        final int family,
        final int type,
        final int protocolNumber,
        final ManyToOneRingBuffer sendRing,
        final OneToOneRingBuffer receiveRing,
        final SocketCounters counters)
    {
        this.runtime = runtime;
        this.lifecycle = lifecycle;
        this.home = home;
        this.stage = home.agent();
        this.ksocket = ksocket;
        this.protocol = protocol;
        this.id = id;
        this.family = family;
        this.type = type;
        this.protocolNumber = protocolNumber;
        this.grafted = family != OobRuntime.AF_OOB;
        this.sendRing = sendRing;
        this.receiveRing = receiveRing;
        this.counters = counters;
        this.pendingSends = home.agent().pendingSends();
        this.ownDevice = protocol.pollsEachSocket() ? new SocketDevice(this) : null;
    }

    /**
     * The OOB context of a socket.
     *
     * @param ksocket a socket.
     * @return its OOB context, or null when it has none (not {@code SOCK_OOB}, or destroyed).
     */
    public static OobSocket of(final KSocket ksocket)
    {
        return ksocket.oobContext() instanceof final OobSocket socket ? socket : null;
    }

    /** @return the runtime serving this socket. */
    public OobRuntime runtime()
    {
        return runtime;
    }

    /**
     * @return the stage serving this socket (its services are stage only: call them from the stage thread).
     */
    public OobStage stage()
    {
        return stage;
    }

    /** @return the runtime's stage serving this socket (its name, CPU, thread, counters). */
    public RuntimeStage runtimeStage()
    {
        return home;
    }

    // in-band, from SocketLifecycle.place, while the socket is on no stage (the old one let go, the new one has
    // not taken it yet)
    void moveHome(final RuntimeStage to, final boolean byName)
    {
        home = to;
        pendingSends = to.agent().pendingSends();
        stage = to.agent();
        placedByName |= byName;
    }

    // in-band: serialises placement with release (each waits for a stage)
    Object placementLock()
    {
        return placementLock;
    }

    /**
     * In-band: places this socket on the runtime's stage of that name, as {@code setsockopt(SOL_OOB,
     * SO_OOB_STAGE, name)} does. Allowed until the socket's first OOB I/O (a send claimed, a message read or
     * delivered, an OOB ioctl); a stage so named wins over the stage of the interface the socket binds to.
     * Serialised with a first I/O made at the same moment by another thread: either the I/O came first (placement
     * fails with {@code EBUSY}, the socket stays where it did its I/O), or the placement did, and I/O attempted while
     * the socket moves answers as for a socket between stages ({@code -EWOULDBLOCK}, {@code poll} 0) until it is on
     * the new stage.
     *
     * @param stageName a stage's name ({@link OobConfig.StageSpec#name()}).
     * @return 0; {@code -ENODEV} when the runtime has no stage of that name, {@code -EBUSY} after the first OOB
     *         I/O, {@code -EBADF} once released, {@code -EPERM} from a stage thread.
     */
    public int placeOnStage(final String stageName)
    {
        final RuntimeStage to = runtime.stage(stageName);
        return null == to ? -Errno.ENODEV : lifecycle.place(this, to, true);
    }

    /**
     * In-band, for protocols: places this socket on the stage that serves an interface (its bound address's, its
     * route's or its {@code SO_BINDTODEVICE}), unless a stage was named for it. Before the first OOB I/O only.
     *
     * @param ifname the interface.
     * @return 0; {@code -EBUSY} after the first OOB I/O (on another stage), {@code -EBADF} once released.
     */
    public int placeOnInterface(final String ifname)
    {
        return lifecycle.place(this, runtime.stageForInterface(ifname), false);
    }

    /**
     * In-band, for protocols: a hook about to fail names what failed, in {@code name=value} form; the caller's
     * exception carries it after the errno ({@code ... hook=setoptRedirect stage=east interface=eth1 step=open port}).
     *
     * @param errno  the negative errno the hook returns.
     * @param detail what failed.
     * @return {@code errno}.
     */
    public int failInband(final int errno, final String detail)
    {
        inbandFailure = detail;
        return errno;
    }

    // in-band, by the failing hook's caller: the detail of failInband, once
    String takeInbandFailure()
    {
        final String detail = inbandFailure;
        inbandFailure = null;
        return detail;
    }

    // true once the socket did OOB I/O: its stage is fixed
    boolean ioStarted()
    {
        return IO_STARTED == (int)IO_STATE.getVolatile(this);
    }

    // in-band, under placementLock: false once I/O started (placement refused); true holds off the first I/O until
    // endPlacement
    boolean beginPlacement()
    {
        // CAS: excludes startIo's IO_NONE -> IO_STARTED
        return IO_STATE.compareAndSet(this, IO_NONE, IO_PLACING);
    }

    // in-band, under placementLock, once the socket is on its new stage (or stayed)
    void endPlacement()
    {
        // release: the move (moveHome's home, stage, pendingSends) before any first I/O; pairs with startIo's CAS
        IO_STATE.setRelease(this, IO_NONE);
    }

    // true once placed by name (SO_OOB_STAGE): an interface (bind, SO_BINDTODEVICE) no longer moves it
    boolean placedByName()
    {
        return placedByName;
    }

    // any thread, allocation-free: true when OOB I/O may go on (it fixes the socket's stage); false while a placement
    // moves the socket, when the caller answers as for a socket between stages
    private boolean startIo()
    {
        while (true)
        {
            // acquire (volatile read): pairs with endPlacement's release, so I/O sees the new stage
            final int current = (int)IO_STATE.getVolatile(this);
            if (IO_STARTED == current)
            {
                return true;
            }
            if (IO_PLACING == current)
            {
                return false;
            }
            if (IO_STATE.compareAndSet(this, IO_NONE, IO_STARTED))
            {
                return true;
            }
        }
    }

    /** @return the in-band socket. */
    public KSocket ksocket()
    {
        return ksocket;
    }

    /** @return the protocol serving this socket. */
    public OobProtocol protocol()
    {
        return protocol;
    }

    /** @return the runtime-unique id of the context (the registration id of its counters). */
    public long id()
    {
        return id;
    }

    /** @return the family given to {@code socket()}. */
    public int family()
    {
        return family;
    }

    /** @return the type given to {@code socket()}, without flags. */
    public int type()
    {
        return type;
    }

    /** @return the protocol number given to {@code socket()}. */
    public int protocolNumber()
    {
        return protocolNumber;
    }

    /** @return true when the context is grafted on a regular (non-{@code AF_OOB}) socket. */
    public boolean isGrafted()
    {
        return grafted;
    }

    /** @return the socket's counters. */
    public SocketCounters counters()
    {
        return counters;
    }

    /**
     * In-band (usually in {@link OobProtocol#attach}): allocates the protocol's own counters for this socket in the
     * runtime's counters file, labelled {@code "<label>: <protocol> fd=<fd> id=<id>"} with the socket's id as
     * registration id, so {@code oobnet stat} and {@code oobnet net query} show them from another process. oob-core
     * frees them when the socket is destroyed (after its last reference): the protocol never frees them, and a
     * writer that holds the socket (the stage until release, or any thread after {@link #hold()}) can never write to
     * a slot another socket took over.
     *
     * @param types the counter types, typically {@code MyCounter.values()}; each type id at least
     *              {@link org.oobnet.core.counters.OobCounterType#FIRST_PROTOCOL_TYPE_ID}.
     * @return the counters, indexed like {@code types}; null when the counters file has no room left (fail attach
     * with {@code -ENOBUFS} then).
     * @throws IllegalArgumentException naming the bad type when a type id is below the protocols' range.
     * @throws IllegalStateException    when the socket is already destroyed.
     */
    public ProtocolCounters newProtocolCounters(final ProtocolCounterType[] types)
    {
        return lifecycle.allocateProtocolCounters(this, types);
    }

    /**
     * @param <T> the protocol's state type.
     * @return the protocol's per-socket state.
     */
    @SuppressWarnings("unchecked")
    public <T> T protocolState()
    {
        return (T)protocolState;
    }

    /**
     * In-band (usually in {@link OobProtocol#attach}): sets the protocol's per-socket state.
     *
     * @param value the state; published to the stage by the queue that carries the socket to it.
     */
    public void protocolState(final Object value)
    {
        protocolState = value;
    }

    /** @return true until the socket is released (new I/O is still accepted). */
    public boolean isOpen()
    {
        return state == ATTACHED;
    }

    /** @return true once destroyed (the last reference went). */
    public boolean isDestroyed()
    {
        return state == DESTROYED;
    }

    /**
     * Any thread: installs (or with null removes) the stage receive handler; while one is installed
     * {@link #deliver} hands messages to it zero-copy on the stage instead of queuing them on the receive ring.
     *
     * @param handler the handler, called on the stage (it must not block nor allocate).
     */
    public void stageReceiveHandler(final OobReceiveHandler handler)
    {
        stageReceiveHandler = handler;
    }

    /**
     * Any thread: installs (or with null removes) the event handler of this socket.
     *
     * @param handler called on the stage for each {@link KSocketEvent}; must not block (see {@link OobEventHandler}).
     * @param cookie  given back with each event.
     */
    public void eventHandler(final OobEventHandler handler, final Object cookie)
    {
        eventBinding = null == handler ? null : new EventBinding(handler, cookie);
    }

    /**
     * Any thread: delivers this socket's events to inband-stack's callbacks, on the stage (the OOB counterpart
     * of {@code KSocket.setCallbacks}, which serves regular sockets on the in-band event thread). Replaces any
     * {@link #eventHandler event handler}.
     *
     * @param callbacks the callbacks, or null to stop; called on the stage, they must not block nor allocate.
     * @param cookie    given back with each event.
     */
    public void callbacks(final org.oobnet.inband.KSocketCallbacks callbacks, final Object cookie)
    {
        eventHandler(null == callbacks ? null : new KSocketCallbacksBridge(callbacks), cookie);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reference counting

    /**
     * Any thread: takes a reference on the socket ({@code KSocket.tryHold()}: the socket's one count): the context
     * (and its counters) stays until the matching {@link #rele()}, even past {@code close()}. Allocation-free.
     *
     * @return true when taken; false once the socket is closed (as {@code KSocket.tryHold}).
     */
    public boolean hold()
    {
        return ksocket.tryHold();
    }

    /**
     * In-band: drops a reference ({@code KSocket.rele()}); the last one, once the socket is closed, closes its
     * descriptor and destroys the context (the destroy hook: protocol destroy, counters freed) on this thread.
     *
     * @throws IllegalStateException without a matching {@link #hold()}.
     */
    public void rele()
    {
        ksocket.rele();
    }

    /** @return the socket's reference count ({@code KSocket.refCount()}): 0 once the last reference went. */
    public int refCount()
    {
        return ksocket.refCount();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Any thread: the send ring (app threads to stage)

    /**
     * Any thread: claims {@code length} bytes of the send ring; write them in {@link #sendBuffer()} at the returned
     * index, then {@link #commit(int)} (or {@link #abort(int)}). The stage sends the message on a later cycle.
     *
     * @param length the message length.
     * @return the index to write at; {@code -EBADF} after release, {@code -EPIPE} after {@code SHUT_WR},
     * {@code -EMSGSIZE} when longer than the ring's largest message, {@code -EWOULDBLOCK} when the ring is full.
     */
    public int tryClaim(final int length)
    {
        if (!startIo())
        {
            return -Errno.EWOULDBLOCK; // being placed on another stage: try again
        }
        final int rc = checkSend(length);
        if (rc < 0)
        {
            return rc;
        }
        final int index = sendRing.tryClaim(MSG_TYPE_ID, length);
        if (index < 0)
        {
            countSendRingFull();
            // the stage raises CANSEND once it made room; pairs with takeAppSendBlocked()
            appSendBlocked = true;
            return -Errno.EWOULDBLOCK;
        }
        return index;
    }

    // any thread: counters are freed at destroy only, and hold() fails once destroy is due, so a thread that stalls
    // here across close can never write to a slot another socket took over (the slow path only: the ring is full)
    private void countSendRingFull()
    {
        if (hold())
        {
            try
            {
                counters.sendRingFull().incrementRelease();
            }
            finally
            {
                rele();
            }
        }
    }

    /** @return the buffer that {@link #tryClaim} indexes into. */
    public MutableDirectBuffer sendBuffer()
    {
        return sendRing.buffer();
    }

    /**
     * Any thread: publishes a claimed message to the stage.
     *
     * @param index what {@link #tryClaim} returned.
     */
    public void commit(final int index)
    {
        sendRing.commit(index);
        pendingSends.schedule(this);
    }

    /**
     * Any thread: gives a claim back unsent.
     *
     * @param index what {@link #tryClaim} returned.
     */
    public void abort(final int index)
    {
        sendRing.abort(index);
    }

    /**
     * Any thread: copies a message into the send ring.
     *
     * @param buffer the message's buffer.
     * @param offset where it starts.
     * @param length its length.
     * @return 0, or a negative errno as {@link #tryClaim}.
     */
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = tryClaim(length);
        if (index < 0)
        {
            return index;
        }
        sendRing.buffer().putBytes(index, buffer, offset, length);
        sendRing.commit(index);
        pendingSends.schedule(this);
        return 0;
    }

    private int checkSend(final int length)
    {
        if (state != ATTACHED)
        {
            return -Errno.EBADF;
        }
        if ((shutdownBits & SHUT_WR_BIT) != 0)
        {
            return -Errno.EPIPE;
        }
        if (length < 0 || length > sendRing.maxMsgLength())
        {
            return -Errno.EMSGSIZE;
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Any thread: the receive ring (stage to one consumer)

    /**
     * The consumer thread: hands out queued messages, without waiting.
     *
     * @param handler takes each message (a view valid during the call).
     * @param limit   most messages.
     * @return the messages handed out (0 when none); {@code -EBADF} once destroyed.
     */
    public int poll(final OobReceiveHandler handler, final int limit)
    {
        if (!startIo())
        {
            return 0; // being placed on another stage: nothing queued yet
        }
        if (state == DESTROYED)
        {
            return -Errno.EBADF;
        }
        return readRing(handler, limit);
    }

    /**
     * The consumer thread: hands out queued messages, waiting for at least one until an absolute monotonic
     * deadline. Waits by backing off (spin, yield, then park up to 100 µs), since the stage never makes a call
     * that could wake a sleeper.
     *
     * @param handler    takes each message (a view valid during the call).
     * @param limit      most messages.
     * @param deadlineNs absolute {@code System.nanoTime()} deadline; 0 waits forever.
     * @return the messages handed out; {@code -EWOULDBLOCK} at once when the socket is non-blocking and nothing is
     * queued, {@code -ETIMEDOUT} at the deadline, {@code -EBADF} once released with nothing left, 0 after
     * {@code SHUT_RD} with nothing left (end of stream).
     */
    public int receive(final OobReceiveHandler handler, final int limit, final long deadlineNs)
    {
        IdleStrategy idle = null;
        while (true)
        {
            final int n = poll(handler, limit);
            if (0 != n)
            {
                return n;
            }
            if (state != ATTACHED)
            {
                return -Errno.EBADF;
            }
            if ((shutdownBits & SHUT_RD_BIT) != 0)
            {
                return 0;
            }
            if (ksocket.isNonBlocking())
            {
                return -Errno.EWOULDBLOCK;
            }
            if (0 != deadlineNs && deadlineNs - System.nanoTime() <= 0)
            {
                return -Errno.ETIMEDOUT;
            }
            if (null == idle)
            {
                idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
            }
            idle.idle();
        }
    }

    /** @return the bytes queued on the receive ring. */
    public int receiveQueuedBytes()
    {
        return receiveRing.size();
    }

    /** @return the bytes queued on the send ring. */
    public int sendQueuedBytes()
    {
        return sendRing.size();
    }

    /** @return the largest message the send ring takes. */
    public int maxMessageLength()
    {
        return sendRing.maxMsgLength();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stage: the OOB I/O API

    /**
     * Stage: sends one message now through the protocol (copying it from {@code buffer}).
     *
     * @param buffer the message's buffer.
     * @param offset where it starts.
     * @param length its length.
     * @return the bytes sent; {@code -EWOULDBLOCK} when the TX path is full, {@code -EBADF} once the socket left the
     * stage, {@code -EPIPE} after {@code SHUT_WR}, or the protocol's errno.
     */
    public int oobSend(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!startIo() || !onStage)
        {
            return notOnStage();
        }
        if ((shutdownBits & SHUT_WR_BIT) != 0)
        {
            return -Errno.EPIPE;
        }
        return sendOnStage(buffer, offset, length);
    }

    /**
     * Stage: zero-copy send, claims {@code length} bytes of the protocol's TX path; write them through
     * {@link #claim()}, then {@link #oobCommit()} or {@link #oobAbort()}.
     *
     * @param length the bytes wanted.
     * @return 0; {@code -EWOULDBLOCK} when full, {@code -EBUSY} when a claim is already open, {@code -EBADF},
     * {@code -EPIPE}, or the protocol's errno ({@code -EOPNOTSUPP} without a zero-copy TX path).
     */
    public int oobClaim(final int length)
    {
        if (!startIo() || !onStage)
        {
            return notOnStage();
        }
        if ((shutdownBits & SHUT_WR_BIT) != 0)
        {
            return -Errno.EPIPE;
        }
        if (claim.isClaimed())
        {
            return -Errno.EBUSY;
        }
        final int rc = protocol.claim(this, length, claim);
        if (rc < 0)
        {
            claim.reset();
            if (rc == -Errno.EWOULDBLOCK)
            {
                counters.sendRingFull().incrementRelease();
            }
        }
        return rc;
    }

    /** @return the socket's claim flyweight (stage only). */
    public OobClaim claim()
    {
        return claim;
    }

    /**
     * Stage: sends what {@link #oobClaim} claimed.
     *
     * @return the bytes sent, or a negative errno ({@code -EINVAL} with no open claim).
     */
    public int oobCommit()
    {
        if (!claim.isClaimed())
        {
            return -Errno.EINVAL;
        }
        final int length = claim.length();
        final int rc = protocol.commit(this, claim);
        claim.reset();
        if (rc >= 0)
        {
            counters.packetsOut().incrementRelease();
            counters.bytesOut().getAndAddRelease(length);
        }
        else
        {
            counters.dropsProtocol().incrementRelease();
        }
        return rc;
    }

    /**
     * Stage: gives the open claim back unsent.
     */
    public void oobAbort()
    {
        if (claim.isClaimed())
        {
            protocol.abort(this, claim);
            claim.reset();
        }
    }

    /**
     * Stage: hands out received messages without waiting (pull receive).
     *
     * @param handler takes each message (a view valid during the call only).
     * @param limit   most messages.
     * @return the messages handed out; {@code -EWOULDBLOCK} when none, {@code -EBADF} once the socket left the stage.
     */
    public int oobReceive(final OobReceiveHandler handler, final int limit)
    {
        if (!startIo() || !onStage)
        {
            return notOnStage();
        }
        return protocol.receive(this, handler, limit);
    }

    /**
     * Stage: an out-of-band ioctl, served by the protocol.
     *
     * @param request the request.
     * @param arg     its argument.
     * @return the protocol's result, {@code -EBADF} once the socket left the stage.
     */
    public long oobIoctl(final int request, final long arg)
    {
        if (!startIo() || !onStage)
        {
            return notOnStage();
        }
        return protocol.oobIoctl(this, request, arg);
    }

    /**
     * Stage, for protocols: a message arrived for this socket. Handed zero-copy to the stage receive handler when
     * one is installed ({@code OOBDATA}), else copied to the receive ring ({@code NEWDATA}); a full ring drops it
     * and counts it.
     *
     * @param buffer the message's buffer, valid during the call only.
     * @param offset where it starts.
     * @param length its length.
     * @return the length delivered; {@code -ENOBUFS} when the receive ring was full, {@code -EPIPE} after
     * {@code SHUT_RD} (both counted as drops), {@code -EBADF} when the socket left the stage, {@code -EWOULDBLOCK}
     * when it is not on the stage yet (its attach command is still queued; nothing counted), {@code -EXDEV} when
     * called from another thread than the socket's stage (a device of another stage; nothing counted here, the
     * device counts its drop).
     */
    public int deliver(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!stage.isStageThread())
        {
            // a device of another stage (a port serving a socket placed elsewhere): its rings are not this thread's
            return -Errno.EXDEV;
        }
        if (!startIo() || !onStage)
        {
            return notOnStage();
        }
        if ((shutdownBits & SHUT_RD_BIT) != 0)
        {
            counters.dropsClosed().incrementRelease();
            return -Errno.EPIPE;
        }
        final OobReceiveHandler handler = stageReceiveHandler;
        if (null != handler)
        {
            if (StageHops.STEPS)
            {
                stage.hops().enterDelivery();
            }
            try
            {
                handler.onMessage(this, buffer, offset, length);
            }
            finally
            {
                // counted once the handler returned: the counters live in the counters file, a page of their own
                // that the handler's reply (an order sent from it) need not wait for after a system call flushed
                // the TLB (BENCHMARKS.md "Session 15 - the stage's tick side step by step")
                counters.packetsIn().incrementRelease();
                counters.bytesIn().getAndAddRelease(length);
                if (StageHops.STEPS)
                {
                    stage.hops().leaveDelivery();
                }
            }
            raise(KSocketEvent.OOBDATA, length);
            return length;
        }
        if (length > receiveRing.maxMsgLength() || !receiveRing.write(MSG_TYPE_ID, buffer, offset, length))
        {
            counters.dropsRingFull().incrementRelease();
            return -Errno.ENOBUFS;
        }
        counters.packetsIn().incrementRelease();
        counters.bytesIn().getAndAddRelease(length);
        raise(KSocketEvent.NEWDATA, length);
        return length;
    }

    /**
     * Stage, for protocols: zero-copy delivery, step one: claims {@code length} bytes of this socket's receive ring
     * for a message the caller writes in place ({@link #receiveBuffer()} at the returned index).
     *
     * @param length the message's length.
     * @return the index to write at; {@code -EBADF} when not on the stage, {@code -EPIPE} after {@code SHUT_RD},
     * {@code -EMSGSIZE} when longer than the ring's largest message, {@code -EWOULDBLOCK} when the ring is full
     * (nothing is counted: the caller decides whether that is a drop).
     */
    public int receiveRingClaim(final int length)
    {
        if (!stage.isStageThread())
        {
            // a device of another stage (a port serving a socket placed elsewhere): its rings are not this thread's
            return -Errno.EXDEV;
        }
        if (!startIo() || !onStage)
        {
            return notOnStage();
        }
        if ((shutdownBits & SHUT_RD_BIT) != 0)
        {
            return -Errno.EPIPE;
        }
        if (length < 0 || length > receiveRing.maxMsgLength())
        {
            return -Errno.EMSGSIZE;
        }
        final int index = receiveRing.tryClaim(MSG_TYPE_ID, length);
        return index < 0 ? -Errno.EWOULDBLOCK : index;
    }

    /** @return the buffer that {@link #receiveRingClaim} indexes into. */
    public MutableDirectBuffer receiveBuffer()
    {
        return receiveRing.buffer();
    }

    /**
     * Stage, for protocols: zero-copy delivery, step two: publishes the claimed message to the consumer, counts it
     * and raises {@code NEWDATA}.
     *
     * @param index  what {@link #receiveRingClaim} returned.
     * @param length the message's length.
     */
    public void receiveRingCommit(final int index, final int length)
    {
        receiveRing.commit(index);
        counters.packetsIn().incrementRelease();
        counters.bytesIn().getAndAddRelease(length);
        raise(KSocketEvent.NEWDATA, length);
    }

    /**
     * Stage, for protocols: gives a receive-ring claim back unpublished.
     *
     * @param index what {@link #receiveRingClaim} returned.
     */
    public void receiveRingAbort(final int index)
    {
        receiveRing.abort(index);
    }

    /** @return true while the socket is on the stage (stage only: the stage's own view). */
    public boolean isOnStage()
    {
        return onStage;
    }

    /**
     * Stage: raises an event: to the socket's event handler, then to every task scheduled on events.
     *
     * @param event the event.
     * @param arg   its argument.
     */
    public void raise(final KSocketEvent event, final long arg)
    {
        final EventBinding binding = eventBinding;
        if (null != binding)
        {
            binding.handler.onEvent(this, event, arg, binding.cookie);
        }
        stage.dispatchEvent(this, event, arg);
    }

    /**
     * Stage, for protocols' {@link OobProtocol#receive}: reads the receive ring.
     *
     * @param handler takes each message.
     * @param limit   most messages.
     * @return the messages handed out, {@code -EWOULDBLOCK} when none.
     */
    public int readReceiveRing(final OobReceiveHandler handler, final int limit)
    {
        final int n = readRing(handler, limit);
        return 0 == n ? -Errno.EWOULDBLOCK : n;
    }

    private int readRing(final OobReceiveHandler handler, final int limit)
    {
        final RingReader reader = ringReader;
        reader.handler = handler;
        try
        {
            return receiveRing.read(reader, limit);
        }
        finally
        {
            reader.handler = null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // oob-core internals

    // stage: not on the stage yet (its attach command is still queued: try again) or any more (released)
    private int notOnStage()
    {
        return state == ATTACHED ? -Errno.EWOULDBLOCK : -Errno.EBADF;
    }

    int sendOnStage(final DirectBuffer buffer, final int offset, final int length)
    {
        final int rc = protocol.send(this, buffer, offset, length);
        // -EINPROGRESS: the protocol handed the message to the in-band path (e.g. a route or neighbour miss);
        // it left, so it counts as sent, not as a drop.
        if (rc >= 0 || rc == -Errno.EINPROGRESS)
        {
            counters.packetsOut().incrementRelease();
            counters.bytesOut().getAndAddRelease(length);
        }
        else if (rc == -Errno.EWOULDBLOCK)
        {
            counters.sendRingFull().incrementRelease();
        }
        else if (rc == -Errno.EDESTADDRREQ || rc == -Errno.ECONNREFUSED || rc == -Errno.ENOTCONN)
        {
            counters.dropsNoPeer().incrementRelease();
        }
        else
        {
            counters.dropsProtocol().incrementRelease();
        }
        return rc;
    }

    // stage: true once after an application thread found the send ring full
    boolean takeAppSendBlocked()
    {
        if (appSendBlocked)
        {
            appSendBlocked = false;
            return true;
        }
        return false;
    }

    // the socket's own device when its protocol polls each socket, else null
    StageDevice ownDevice()
    {
        return ownDevice;
    }

    boolean casSendScheduled(final boolean expected, final boolean next)
    {
        return SEND_SCHEDULED.compareAndSet(this, expected, next);
    }

    void clearSendScheduled()
    {
        // volatile (not release): the stage's following reads of the send ring must not move above this store
        SEND_SCHEDULED.setVolatile(this, false);
    }

    // stage: the socket joins the stage's table at this slot
    void joinStage(final int index)
    {
        stageIndex = index;
        onStage = true;
    }

    // stage: the socket moves to another slot of the stage's table
    void moveOnStage(final int index)
    {
        stageIndex = index;
    }

    // stage: the socket leaves the stage; returns the slot it had
    int leaveStage()
    {
        final int index = stageIndex;
        stageIndex = -1;
        onStage = false;
        return index;
    }

    // stage: the TX path refused a message from the send ring (retried next cycle)
    void sendBlocked(final boolean blocked)
    {
        sendBlocked = blocked;
    }

    boolean isSendBlocked()
    {
        return sendBlocked;
    }

    RingBuffer sendRing()
    {
        return sendRing;
    }

    RingBuffer receiveRing()
    {
        return receiveRing;
    }

    int state()
    {
        return state;
    }

    boolean casState(final int expected, final int next)
    {
        synchronized (this)
        {
            if (state != expected)
            {
                return false;
            }
            // volatile write: app threads' checkSend() sees it and stops new I/O
            state = next;
            return true;
        }
    }

    void markDestroyed()
    {
        state = DESTROYED;
    }

    void shutdownBits(final int how)
    {
        final int bits = switch (how)
        {
            case SHUT_RD -> SHUT_RD_BIT;
            case SHUT_WR -> SHUT_WR_BIT;
            default -> SHUT_RD_BIT | SHUT_WR_BIT;
        };
        synchronized (this)
        {
            shutdownBits |= bits;
        }
    }

    /** @return true when {@code SHUT_WR} was applied. */
    public boolean isShutdownForWrite()
    {
        return (shutdownBits & SHUT_WR_BIT) != 0;
    }

    /** @return true when {@code SHUT_RD} was applied. */
    public boolean isShutdownForRead()
    {
        return (shutdownBits & SHUT_RD_BIT) != 0;
    }

    @Override
    public String toString()
    {
        return "OobSocket{id=" + id + ", fd=" + ksocket.fd() + ", family=" + family + ", type=" + type +
            ", protocol=" + protocol.name() + ", state=" + state + ", refs=" + ksocket.refCount() + '}';
    }

    private record EventBinding(OobEventHandler handler, Object cookie)
    {
    }

    private final class RingReader implements MessageHandler
    {
        OobReceiveHandler handler;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            handler.onMessage(OobSocket.this, buffer, index, length);
        }
    }
}
