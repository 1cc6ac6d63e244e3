package org.oobnet.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

import org.oobnet.inband.Errno;

/**
 * Protocols by family number, like Unikraft's {@code POSIX_SOCKET_FAMILY_REGISTER}: a family holds a list of
 * protocols and the first whose {@link OobProtocol#match match} accepts the socket's type and protocol serves it.
 * <p>
 * Order within a family: explicit {@link #register} calls first, in the order made; then protocols found by
 * {@link #discover(ClassLoader)}. So an application can override a discovered protocol by registering a competing
 * one for the same family. A family with no protocol gives {@code EPROTONOSUPPORT}; a family whose protocols all
 * refuse gives the errno the first protocol answered (its own opinion on the type), as EVL does per family.
 * <b>Note:</b> thread safe; lookups take a lock-free snapshot, registration is in-band.
 */
public final class ProtocolRegistry
{
    /** Largest family number accepted ({@code AF_MAX} on Linux 6.x is 46, {@code AF_OOB} included). */
    public static final int MAX_FAMILY = 63;

    private final Object lock = new Object();
    private volatile OobProtocol[][] byFamily = new OobProtocol[MAX_FAMILY + 1][];
    private int explicitCount(final OobProtocol[] protocols)
    {
        int n = 0;
        for (final OobProtocol p : protocols)
        {
            if (!discovered.contains(p))
            {
                n++;
            }
        }
        return n;
    }

    private final List<OobProtocol> discovered = new ArrayList<>();

    /**
     * A registry with no protocols.
     */
    public ProtocolRegistry()
    {
    }

    /**
     * In-band: registers a protocol for a family, ahead of every discovered protocol of that family.
     *
     * @param family   the family number (0..{@value #MAX_FAMILY}).
     * @param protocol the protocol.
     * @return this.
     * @throws IllegalArgumentException when the family is out of range or the same protocol is already registered
     *                                  for it.
     */
    public ProtocolRegistry register(final int family, final OobProtocol protocol)
    {
        return add(family, protocol, false);
    }

    /**
     * In-band: removes a protocol from a family; sockets it already serves keep it until they are destroyed.
     *
     * @param family   the family number.
     * @param protocol the protocol.
     * @return true when it was registered.
     */
    public boolean unregister(final int family, final OobProtocol protocol)
    {
        checkFamily(family);
        synchronized (lock)
        {
            final OobProtocol[][] current = byFamily;
            final OobProtocol[] protocols = current[family];
            if (null == protocols)
            {
                return false;
            }
            final List<OobProtocol> list = new ArrayList<>(List.of(protocols));
            if (!list.remove(protocol))
            {
                return false;
            }
            final OobProtocol[][] next = current.clone();
            next[family] = list.isEmpty() ? null : list.toArray(new OobProtocol[0]);
            discovered.remove(protocol);
            byFamily = next;
            return true;
        }
    }

    /**
     * In-band: registers every {@link OobProtocol} that {@link ServiceLoader} finds, each under its
     * {@link OobProtocol#family()}, after the explicitly registered ones. A class already registered (same class
     * for the same family) is skipped.
     *
     * @param classLoader where to look.
     * @return how many protocols were added.
     */
    public int discover(final ClassLoader classLoader)
    {
        int added = 0;
        for (final OobProtocol protocol : ServiceLoader.load(OobProtocol.class, classLoader))
        {
            if (!hasClass(protocol.family(), protocol.getClass()))
            {
                add(protocol.family(), protocol, true);
                added++;
            }
        }
        return added;
    }

    /**
     * In-band: the protocol serving a new socket.
     *
     * @param family   the socket's family.
     * @param type     its type without flags.
     * @param protocol its protocol number.
     * @param result   receives the protocol found, at index 0.
     * @return 0 when found; {@code -EPROTONOSUPPORT} when no protocol is registered for the family, else the first
     * protocol's negative errno.
     */
    public int lookup(final int family, final int type, final int protocol, final OobProtocol[] result)
    {
        if (family < 0 || family > MAX_FAMILY)
        {
            return -Errno.EAFNOSUPPORT;
        }
        final OobProtocol[] protocols = byFamily[family];
        if (null == protocols)
        {
            return -Errno.EPROTONOSUPPORT;
        }
        int firstError = 0;
        for (final OobProtocol candidate : protocols)
        {
            final int rc = candidate.match(type, protocol);
            if (0 == rc)
            {
                result[0] = candidate;
                return 0;
            }
            if (0 == firstError)
            {
                firstError = rc < 0 ? rc : -Errno.EPROTONOSUPPORT;
            }
        }
        return firstError;
    }

    /**
     * @param family a family number.
     * @return the protocols of the family in match order (a copy), empty when none.
     */
    public List<OobProtocol> protocols(final int family)
    {
        checkFamily(family);
        final OobProtocol[] protocols = byFamily[family];
        return null == protocols ? List.of() : List.of(protocols);
    }

    private ProtocolRegistry add(final int family, final OobProtocol protocol, final boolean isDiscovered)
    {
        checkFamily(family);
        Objects.requireNonNull(protocol, "protocol");
        synchronized (lock)
        {
            final OobProtocol[][] current = byFamily;
            final OobProtocol[] protocols = null == current[family] ? new OobProtocol[0] : current[family];
            for (final OobProtocol p : protocols)
            {
                if (p == protocol)
                {
                    throw new IllegalArgumentException(
                        "protocol=" + protocol.name() + " is already registered for family=" + family);
                }
            }
            final List<OobProtocol> list = new ArrayList<>(List.of(protocols));
            if (isDiscovered)
            {
                list.add(protocol);
                discovered.add(protocol);
            }
            else
            {
                list.add(explicitCount(protocols), protocol);
            }
            final OobProtocol[][] next = current.clone();
            next[family] = list.toArray(new OobProtocol[0]);
            // volatile write: publishes the new table to lock-free lookups
            byFamily = next;
            return this;
        }
    }

    private boolean hasClass(final int family, final Class<?> type)
    {
        checkFamily(family);
        final OobProtocol[] protocols = byFamily[family];
        if (null != protocols)
        {
            for (final OobProtocol p : protocols)
            {
                if (p.getClass() == type)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static void checkFamily(final int family)
    {
        if (family < 0 || family > MAX_FAMILY)
        {
            throw new IllegalArgumentException("family=" + family + " must be in 0.." + MAX_FAMILY);
        }
    }
}
