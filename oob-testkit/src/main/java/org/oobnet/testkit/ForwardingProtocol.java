package org.oobnet.testkit;

import java.lang.foreign.MemorySegment;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobClaim;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;

/**
 * An {@link OobProtocol} that forwards every method to another: the base of the kit's decorators.
 * <p>
 * <b>Note:</b> as thread safe as the delegate; adds no state.
 */
public abstract class ForwardingProtocol implements OobProtocol
{
    /** The protocol under test. */
    protected final OobProtocol delegate;

    /**
     * @param delegate the protocol under test.
     */
    protected ForwardingProtocol(final OobProtocol delegate)
    {
        this.delegate = delegate;
    }

    /**
     * @return the protocol under test.
     */
    public OobProtocol delegate()
    {
        return delegate;
    }

    @Override
    public int family()
    {
        return delegate.family();
    }

    @Override
    public String name()
    {
        return delegate.name();
    }

    @Override
    public int match(final int type, final int protocol)
    {
        return delegate.match(type, protocol);
    }

    @Override
    public int attach(final OobSocket socket)
    {
        return delegate.attach(socket);
    }

    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        return delegate.bind(socket, address);
    }

    @Override
    public int connect(final OobSocket socket, final MemorySegment address)
    {
        return delegate.connect(socket, address);
    }

    @Override
    public int shutdown(final OobSocket socket, final int how)
    {
        return delegate.shutdown(socket, how);
    }

    @Override
    public void release(final OobSocket socket)
    {
        delegate.release(socket);
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        delegate.destroy(socket);
    }

    @Override
    public long inbandIoctl(final OobSocket socket, final int request, final long arg)
    {
        return delegate.inbandIoctl(socket, request, arg);
    }

    @Override
    public int setopt(final OobSocket socket, final int level, final int name, final MemorySegment value)
    {
        return delegate.setopt(socket, level, name, value);
    }

    @Override
    public int getopt(
        final OobSocket socket, final int level, final int name, final MemorySegment value, final MemorySegment length)
    {
        return delegate.getopt(socket, level, name, value, length);
    }

    @Override
    public long oobIoctl(final OobSocket socket, final int request, final long arg)
    {
        return delegate.oobIoctl(socket, request, arg);
    }

    @Override
    public void onStageAttach(final OobSocket socket)
    {
        delegate.onStageAttach(socket);
    }

    @Override
    public void onStageDetach(final OobSocket socket)
    {
        delegate.onStageDetach(socket);
    }

    @Override
    public boolean pollsEachSocket()
    {
        return delegate.pollsEachSocket();
    }

    @Override
    public int poll(final OobSocket socket, final long nowNs)
    {
        return delegate.poll(socket, nowNs);
    }

    @Override
    public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        return delegate.send(socket, buffer, offset, length);
    }

    @Override
    public int claim(final OobSocket socket, final int length, final OobClaim claim)
    {
        return delegate.claim(socket, length, claim);
    }

    @Override
    public int commit(final OobSocket socket, final OobClaim claim)
    {
        return delegate.commit(socket, claim);
    }

    @Override
    public void abort(final OobSocket socket, final OobClaim claim)
    {
        delegate.abort(socket, claim);
    }

    @Override
    public int flush(final OobSocket socket, final long nowNs)
    {
        return delegate.flush(socket, nowNs);
    }

    @Override
    public int receive(final OobSocket socket, final OobReceiveHandler handler, final int limit)
    {
        return delegate.receive(socket, handler, limit);
    }
}
