package org.oobnet.core;

/**
 * The device of a socket that owns its I/O (a protocol whose {@link OobProtocol#pollsEachSocket()} is true): the
 * stage polls it like any other device, through the protocol's per-socket {@link OobProtocol#poll} and
 * {@link OobProtocol#flush}. Made in-band at attach; added to the stage with the socket, removed with it.
 * <p>
 * <b>Note:</b> {@link #poll}/{@link #flush} stage only; a protocol that throws gets a hook error counted on the
 * socket before the stage records the error.
 */
final class SocketDevice implements StageDevice
{
    private final OobSocket socket;
    private final String name;

    SocketDevice(final OobSocket socket)
    {
        this.socket = socket;
        this.name = socket.protocol().name() + " socket id=" + socket.id();
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int poll(final long nowNs)
    {
        try
        {
            return socket.protocol().poll(socket, nowNs);
        }
        catch (final RuntimeException | Error ex)
        {
            socket.counters().hookErrors().incrementRelease();
            throw ex;
        }
    }

    @Override
    public int flush(final long nowNs)
    {
        try
        {
            return socket.protocol().flush(socket, nowNs);
        }
        catch (final RuntimeException | Error ex)
        {
            socket.counters().hookErrors().incrementRelease();
            throw ex;
        }
    }

    @Override
    public int attachedSockets()
    {
        return 1;
    }
}
