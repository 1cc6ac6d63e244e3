package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.sys.CmsghdrDescriptor;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.MsghdrDescriptor;
import org.oobnet.inband.sys.SockExtendedErrDescriptor;
import org.oobnet.inband.sys.TimespecDescriptor;

/**
 * Kernel software transmit timestamps of a datagram socket the caller owns by descriptor (a {@code java.nio}
 * channel's, say): {@code SO_TIMESTAMPING} {@code TX_SOFTWARE | SOFTWARE | OPT_ID | OPT_TSONLY} is set on it, and
 * each datagram sent from then on gets one record on the socket's error queue with its send id (0, 1, 2, ... in
 * send order) and the time the device took it ({@code CLOCK_REALTIME}), which {@link #poll} reads.
 * <p>
 * <b>Note:</b> one thread; {@link #poll} never blocks and is allocation-free. The descriptor stays the caller's:
 * {@link #close} frees only this reader's memory.
 */
public final class TxTimestamps implements AutoCloseable
{
    private static final int FLAGS = SocketConstants.SOF_TIMESTAMPING_TX_SOFTWARE |
        SocketConstants.SOF_TIMESTAMPING_SOFTWARE | SocketConstants.SOF_TIMESTAMPING_OPT_ID |
        SocketConstants.SOF_TIMESTAMPING_OPT_TSONLY;
    private static final int SCM_TIMESTAMPING_LENGTH = 3 * TimespecDescriptor.LENGTH;
    // SCM_TIMESTAMPING and the sock_extended_err (IP_RECVERR) of one record
    private static final int CONTROL_SPACE = (int)(CmsghdrDescriptor.cmsgSpace(SCM_TIMESTAMPING_LENGTH) +
        CmsghdrDescriptor.cmsgSpace(SockExtendedErrDescriptor.LENGTH + 16));

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment message;
    private final UnsafeBuffer control;
    private final long controlAddress;
    private int id;
    private long timestampNs;

    /**
     * In-band: turns transmit timestamps on.
     *
     * @param fd a datagram socket's descriptor (IPv4).
     * @throws ErrnoException when the kernel refuses {@code SO_TIMESTAMPING}.
     */
    public TxTimestamps(final int fd) throws ErrnoException
    {
        this.fd = fd;
        this.message = arena.allocate(MsghdrDescriptor.LENGTH, 8);
        final MemorySegment controlSegment = arena.allocate(CONTROL_SPACE, 8);
        this.controlAddress = controlSegment.address();
        this.control = new UnsafeBuffer(controlAddress, CONTROL_SPACE);
        final MemorySegment flags = arena.allocate(ValueLayout.JAVA_INT);
        flags.set(ValueLayout.JAVA_INT, 0, FLAGS);
        final int rc = LibC.setsockopt(ErrnoCapture.current(), fd, SocketConstants.SOL_SOCKET,
            SocketConstants.SO_TIMESTAMPING, flags, 4);
        if (rc < 0)
        {
            arena.close();
            throw new ErrnoException("setsockopt", rc, "fd=" + fd + " option=SO_TIMESTAMPING");
        }
    }

    /**
     * Reads one record off the error queue.
     *
     * @return true when it was a transmit timestamp: then {@link #id()} and {@link #timestampNs()} are its; false
     * when the queue is empty (or held something else, which is consumed).
     */
    public boolean poll()
    {
        // the kernel writes msg_controllen and msg_flags back: reset them every call
        message.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROL_OFFSET, controlAddress);
        message.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROLLEN_OFFSET, CONTROL_SPACE);
        message.set(ValueLayout.JAVA_INT, MsghdrDescriptor.FLAGS_OFFSET, 0);
        if (LibC.recvmsgQuiet(fd, message, SocketConstants.MSG_ERRQUEUE | SocketConstants.MSG_DONTWAIT) < 0)
        {
            return false;
        }
        final long controlLength = message.get(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROLLEN_OFFSET);
        long time = 0;
        int sendId = -1;
        int offset = 0;
        while (offset + CmsghdrDescriptor.LENGTH <= controlLength)
        {
            final long cmsgLength = control.getLong(offset + CmsghdrDescriptor.LEN_OFFSET);
            if (cmsgLength < CmsghdrDescriptor.LENGTH || offset + cmsgLength > controlLength)
            {
                break;
            }
            final int level = control.getInt(offset + CmsghdrDescriptor.LEVEL_OFFSET);
            final int type = control.getInt(offset + CmsghdrDescriptor.TYPE_OFFSET);
            final int data = offset + CmsghdrDescriptor.DATA_OFFSET;
            if (SocketConstants.SOL_SOCKET == level && SocketConstants.SO_TIMESTAMPING == type &&
                cmsgLength >= CmsghdrDescriptor.cmsgLen(SCM_TIMESTAMPING_LENGTH))
            {
                time = control.getLong(data + TimespecDescriptor.SEC_OFFSET) * 1_000_000_000L +
                    control.getLong(data + TimespecDescriptor.NSEC_OFFSET);
            }
            else if (SocketConstants.SOL_IP == level && SocketConstants.IP_RECVERR == type &&
                cmsgLength >= CmsghdrDescriptor.cmsgLen(SockExtendedErrDescriptor.LENGTH) &&
                SocketConstants.SO_EE_ORIGIN_TIMESTAMPING ==
                    (control.getByte(data + SockExtendedErrDescriptor.ORIGIN_OFFSET) & 0xFF))
            {
                sendId = control.getInt(data + SockExtendedErrDescriptor.DATA_OFFSET);
            }
            offset += (int)CmsghdrDescriptor.align(cmsgLength);
        }
        if (sendId < 0 || 0 == time)
        {
            return false;
        }
        id = sendId;
        timestampNs = time;
        return true;
    }

    /** @return the last record's send id: the datagram's place among those sent since timestamps were on. */
    public int id()
    {
        return id;
    }

    /** @return the last record's time, {@code CLOCK_REALTIME} ns. */
    public long timestampNs()
    {
        return timestampNs;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
