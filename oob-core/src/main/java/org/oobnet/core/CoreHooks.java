package org.oobnet.core;

import org.oobnet.inband.KSocketEvent;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.OobHooks;

/**
 * oob-core's implementation of the Dovetail hooks: finds the socket's {@link OobSocket} context and dispatches
 * to the runtime (lifecycle) and to the socket's {@link OobProtocol} (the rest).
 * <p>
 * A protocol that throws from an in-band hook fails the call with {@code EIO}, counted as a hook error and
 * recorded in the distinct error log, so a protocol bug never leaves the in-band stack half way.
 * <b>Note:</b> thread safe; every hook but {@link #oobIoctl} runs in-band on the caller's thread.
 */
final class CoreHooks implements OobHooks
{
    private final OobRuntime runtime;
    private final SocketLifecycle sockets;

    CoreHooks(final OobRuntime runtime, final SocketLifecycle sockets)
    {
        this.runtime = runtime;
        this.sockets = sockets;
    }

    @Override
    public int attach(final KSocket socket)
    {
        return sockets.attach(socket);
    }

    @Override
    public void release(final KSocket socket)
    {
        final OobSocket context = OobSocket.of(socket);
        if (null != context && context.runtime() == runtime)
        {
            sockets.release(context);
        }
    }

    @Override
    public void releaseAll(final List<KSocket> sockets)
    {
        final List<OobSocket> contexts = new ArrayList<>(sockets.size());
        for (final KSocket socket : sockets)
        {
            final OobSocket context = OobSocket.of(socket);
            if (null != context && context.runtime() == runtime)
            {
                contexts.add(context);
            }
        }
        this.sockets.releaseAll(contexts);
    }

    @Override
    public void destroy(final KSocket socket)
    {
        final OobSocket context = OobSocket.of(socket);
        if (null != context && context.runtime() == runtime)
        {
            sockets.destroy(context);
        }
    }

    @Override
    public int bind(final KSocket socket, final MemorySegment address)
    {
        final OobSocket context = open(socket);
        if (null == context)
        {
            return -Errno.EBADF;
        }
        try
        {
            return countFailure(context, context.protocol().bind(context, address));
        }
        catch (final RuntimeException ex)
        {
            return thrown(context, ex);
        }
    }

    @Override
    public int connect(final KSocket socket, final MemorySegment address)
    {
        final OobSocket context = open(socket);
        if (null == context)
        {
            return -Errno.EBADF;
        }
        int rc;
        try
        {
            rc = countFailure(context, context.protocol().connect(context, address));
        }
        catch (final RuntimeException ex)
        {
            rc = thrown(context, ex);
        }
        if (rc < 0)
        {
            sockets.raiseAsync(context, KSocketEvent.CONNECTFAILED, -rc);
        }
        else
        {
            sockets.raiseAsync(context, KSocketEvent.CONNECTED, 0);
        }
        return rc;
    }

    @Override
    public int shutdown(final KSocket socket, final int how)
    {
        final OobSocket context = open(socket);
        if (null == context)
        {
            return -Errno.EBADF;
        }
        if (how < OobSocket.SHUT_RD || how > OobSocket.SHUT_RDWR)
        {
            return -Errno.EINVAL;
        }
        int rc;
        try
        {
            rc = countFailure(context, context.protocol().shutdown(context, how));
        }
        catch (final RuntimeException ex)
        {
            rc = thrown(context, ex);
        }
        if (rc >= 0)
        {
            sockets.shutdown(context, how);
        }
        return rc;
    }

    @Override
    public long oobIoctl(final KSocket socket, final int request, final long arg)
    {
        final OobSocket context = open(socket);
        if (null == context)
        {
            return -Errno.EBADF;
        }
        return sockets.oobIoctl(context, request, arg);
    }

    @Override
    public long inbandIoctlRedirect(final KSocket socket, final int request, final long arg)
    {
        final OobSocket context = open(socket);
        if (null == context)
        {
            return -ENOIOCTLCMD;
        }
        try
        {
            return context.protocol().inbandIoctl(context, request, arg);
        }
        catch (final RuntimeException ex)
        {
            return thrown(context, ex);
        }
    }

    @Override
    public int setoptRedirect(final KSocket socket, final int level, final int name, final MemorySegment value)
    {
        final OobSocket context = open(socket);
        if (null == context)
        {
            return -ENOIOCTLCMD;
        }
        try
        {
            if (OobSocket.SOL_OOB == level)
            {
                final int rc = setOobOption(context, name, value);
                if (rc < 0)
                {
                    return rc;
                }
                // then the protocol follows: e.g. a socket bound before it was named needs a device of its new stage
                // where it receives (oob-udp opens that stage's port on the bound interface)
                final int followed = context.protocol().setopt(context, level, name, value);
                return -ENOIOCTLCMD == followed ? rc : followed;
            }
            return context.protocol().setopt(context, level, name, value);
        }
        catch (final RuntimeException ex)
        {
            return thrown(context, ex);
        }
    }

    @Override
    public int getoptRedirect(
        final KSocket socket, final int level, final int name, final MemorySegment value, final MemorySegment length)
    {
        final OobSocket context = open(socket);
        if (null == context)
        {
            return -ENOIOCTLCMD;
        }
        if (OobSocket.SOL_OOB == level)
        {
            return getOobOption(context, name, value, length);
        }
        try
        {
            return context.protocol().getopt(context, level, name, value, length);
        }
        catch (final RuntimeException ex)
        {
            return thrown(context, ex);
        }
    }

    @Override
    public String failureDetail(final KSocket socket)
    {
        final OobSocket context = OobSocket.of(socket);
        return null == context ? null : context.takeInbandFailure();
    }

    // SOL_OOB options are the core's own: the value of SO_OOB_STAGE is the stage's name (NUL-terminated or not)
    private static int setOobOption(final OobSocket context, final int name, final MemorySegment value)
    {
        if (OobSocket.SO_OOB_STAGE != name)
        {
            return -Errno.ENOPROTOOPT;
        }
        final byte[] bytes = value.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < bytes.length && 0 != bytes[end])
        {
            end++;
        }
        return context.placeOnStage(new String(bytes, 0, end, java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static int getOobOption(
        final OobSocket context, final int name, final MemorySegment value, final MemorySegment length)
    {
        if (OobSocket.SO_OOB_STAGE != name)
        {
            return -Errno.ENOPROTOOPT;
        }
        final byte[] bytes = context.runtimeStage().name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final int room = length.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
        if (room < bytes.length + 1 || value.byteSize() < bytes.length + 1)
        {
            return -Errno.EINVAL;
        }
        MemorySegment.copy(bytes, 0, value, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        value.set(java.lang.foreign.ValueLayout.JAVA_BYTE, bytes.length, (byte)0);
        length.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, bytes.length + 1);
        return 0;
    }

    private OobSocket open(final KSocket socket)
    {
        final OobSocket context = OobSocket.of(socket);
        return null != context && context.runtime() == runtime && context.isOpen() ? context : null;
    }

    private static int countFailure(final OobSocket context, final int rc)
    {
        if (rc < 0)
        {
            context.counters().hookErrors().incrementRelease();
        }
        return rc;
    }

    private int thrown(final OobSocket context, final RuntimeException ex)
    {
        context.counters().hookErrors().incrementRelease();
        runtime.stageAgent().recordError(ex);
        return -Errno.EIO;
    }
}
