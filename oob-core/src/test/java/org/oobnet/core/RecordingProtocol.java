package org.oobnet.core;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agrona.DirectBuffer;
import org.oobnet.inband.Errno;
import org.oobnet.inband.OobHooks;

/**
 * A protocol that records every hook it sees, in order, and fails the hooks it is told to; sends count bytes.
 */
class RecordingProtocol implements OobProtocol
{
    final List<String> calls = new CopyOnWriteArrayList<>();
    final int family;
    final int type;
    volatile int attachResult;
    volatile int bindResult;
    volatile int connectResult;
    volatile int shutdownResult;
    volatile boolean throwOnPoll;
    volatile long sentBytes;

    RecordingProtocol(final int family, final int type)
    {
        this.family = family;
        this.type = type;
    }

    @Override
    public int family()
    {
        return family;
    }

    @Override
    public String name()
    {
        return "recording";
    }

    @Override
    public int match(final int type, final int protocol)
    {
        calls.add("match");
        return type == this.type ? 0 : -Errno.EPROTOTYPE;
    }

    @Override
    public int attach(final OobSocket socket)
    {
        calls.add("attach");
        return attachResult;
    }

    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        calls.add("bind");
        return bindResult;
    }

    @Override
    public int connect(final OobSocket socket, final MemorySegment address)
    {
        calls.add("connect");
        return connectResult;
    }

    @Override
    public int shutdown(final OobSocket socket, final int how)
    {
        calls.add("shutdown " + how);
        return shutdownResult;
    }

    @Override
    public void release(final OobSocket socket)
    {
        calls.add("release");
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        calls.add("destroy");
    }

    @Override
    public long inbandIoctl(final OobSocket socket, final int request, final long arg)
    {
        calls.add("inbandIoctl " + request);
        return request == 1 ? 42 : -OobHooks.ENOIOCTLCMD;
    }

    @Override
    public long oobIoctl(final OobSocket socket, final int request, final long arg)
    {
        calls.add("oobIoctl " + request + " stage=" + socket.runtime().stageAgent().isStageThread());
        return arg * 2;
    }

    @Override
    public void onStageAttach(final OobSocket socket)
    {
        calls.add("onStageAttach");
    }

    @Override
    public void onStageDetach(final OobSocket socket)
    {
        calls.add("onStageDetach");
    }

    // each socket polled like a device: the tests count on poll running every cycle
    @Override
    public boolean pollsEachSocket()
    {
        return true;
    }

    @Override
    public int poll(final OobSocket socket, final long nowNs)
    {
        if (throwOnPoll)
        {
            throwOnPoll = false;
            throw new IllegalStateException("poll failed on purpose");
        }
        return 0;
    }

    @Override
    public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        sentBytes += length;
        return length;
    }

    /** @return the calls that are hooks (not match). */
    List<String> hooks()
    {
        return calls.stream().filter(c -> !c.equals("match")).toList();
    }
}
