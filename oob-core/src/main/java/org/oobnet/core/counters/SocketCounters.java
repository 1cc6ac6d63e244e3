package org.oobnet.core.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The counters of one OOB socket, in the runtime's counters file.
 * <p>
 * <b>Note:</b> allocated and freed in-band under the runtime's lock; incremented by the stage (and, for
 * {@code send ring full}, by application threads).
 */
public final class SocketCounters
{
    private static final OobCounterType[] TYPES = {
        OobCounterType.PACKETS_IN, OobCounterType.BYTES_IN, OobCounterType.PACKETS_OUT, OobCounterType.BYTES_OUT,
        OobCounterType.DROPS_RING_FULL, OobCounterType.DROPS_CLOSED, OobCounterType.DROPS_NO_PEER,
        OobCounterType.DROPS_PROTOCOL, OobCounterType.SEND_RING_FULL, OobCounterType.HOOK_ERRORS };

    private final AtomicCounter[] counters;

    private SocketCounters(final AtomicCounter[] counters)
    {
        this.counters = counters;
    }

    /**
     * In-band, under the runtime's lock: allocates the counters of one socket.
     *
     * @param manager  the counters manager.
     * @param socketId the socket's id (the counters' registration id).
     * @param suffix   the label suffix, e.g. {@code "bus fd=12"}.
     * @return the counters, or null when the counters file is full (nothing is left allocated).
     */
    public static SocketCounters allocate(final CountersManager manager, final long socketId, final String suffix)
    {
        if (manager.available() < TYPES.length)
        {
            return null;
        }
        final AtomicCounter[] counters = new AtomicCounter[TYPES.length];
        for (int i = 0; i < TYPES.length; i++)
        {
            counters[i] = manager.newCounter(TYPES[i].label() + ": " + suffix + " id=" + socketId, TYPES[i].typeId());
            manager.setCounterRegistrationId(counters[i].id(), socketId);
        }
        return new SocketCounters(counters);
    }

    /**
     * In-band, under the runtime's lock, once the stage let go of the socket: frees the counters.
     */
    public void free()
    {
        for (final AtomicCounter counter : counters)
        {
            counter.close();
        }
    }

    /** @return messages in. */
    public AtomicCounter packetsIn()
    {
        return counters[0];
    }

    /** @return bytes in. */
    public AtomicCounter bytesIn()
    {
        return counters[1];
    }

    /** @return messages out. */
    public AtomicCounter packetsOut()
    {
        return counters[2];
    }

    /** @return bytes out. */
    public AtomicCounter bytesOut()
    {
        return counters[3];
    }

    /** @return drops because the receive ring was full. */
    public AtomicCounter dropsRingFull()
    {
        return counters[4];
    }

    /** @return drops because the socket was closed or shut down. */
    public AtomicCounter dropsClosed()
    {
        return counters[5];
    }

    /** @return drops because there was no peer. */
    public AtomicCounter dropsNoPeer()
    {
        return counters[6];
    }

    /** @return drops the protocol refused. */
    public AtomicCounter dropsProtocol()
    {
        return counters[7];
    }

    /** @return sends refused because the send path was full. */
    public AtomicCounter sendRingFull()
    {
        return counters[8];
    }

    /** @return hook errors. */
    public AtomicCounter hookErrors()
    {
        return counters[9];
    }
}
