package org.oobnet.tcp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.CmsghdrDescriptor;
import org.oobnet.inband.sys.IovecDescriptor;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.MsghdrDescriptor;
import org.oobnet.inband.sys.TimespecDescriptor;

/**
 * A connection's receive with the kernel's software RX timestamp: one {@code recvmsg(MSG_DONTWAIT)} into the
 * connection's receive buffer through a pre-built {@code msghdr}, and the {@code SCM_TIMESTAMPING} control message
 * read from it. For a stream the kernel stamps what one {@code recvmsg} returns with the time of the last segment it
 * took ({@code tcp_recv_timestamp}), so a read that spans several segments gets the latest one's.
 * <p>
 * <b>Note:</b> made in-band, {@link #recv} stage only; its memory lives in the connection's arena.
 */
final class TcpRxTimestamps
{
    /** {@code SO_TIMESTAMPING} flags: software RX timestamps, reported. */
    static final int FLAGS = SocketConstants.SOF_TIMESTAMPING_RX_SOFTWARE | SocketConstants.SOF_TIMESTAMPING_SOFTWARE;

    // SCM_TIMESTAMPING carries three timespecs (software, deprecated, raw hardware); room for one more message
    private static final int SCM_TIMESTAMPING_LENGTH = 3 * TimespecDescriptor.LENGTH;
    private static final int CONTROL_SPACE = 2 * (int)CmsghdrDescriptor.cmsgSpace(SCM_TIMESTAMPING_LENGTH);

    private final int fd;
    private final MemorySegment message;
    private final UnsafeBuffer control;
    private final long controlAddress;
    private long timestampNs;

    /**
     * @param arena    the connection's arena.
     * @param fd       the kernel socket.
     * @param address  the receive buffer's address.
     * @param capacity its length.
     */
    TcpRxTimestamps(final Arena arena, final int fd, final long address, final int capacity)
    {
        this.fd = fd;
        this.message = arena.allocate(MsghdrDescriptor.LENGTH, 8);
        final MemorySegment iov = arena.allocate(IovecDescriptor.LENGTH, 8);
        iov.set(ValueLayout.JAVA_LONG, IovecDescriptor.BASE_OFFSET, address);
        iov.set(ValueLayout.JAVA_LONG, IovecDescriptor.LEN_OFFSET, capacity);
        final MemorySegment controlSegment = arena.allocate(CONTROL_SPACE, 8);
        this.controlAddress = controlSegment.address();
        this.control = new UnsafeBuffer(controlAddress, CONTROL_SPACE);
        message.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.IOV_OFFSET, iov.address());
        message.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.IOVLEN_OFFSET, 1);
    }

    /**
     * Stage: one non-blocking {@code recvmsg}; on success {@link #timestampNs()} is the bytes' RX time.
     *
     * @return the bytes received, 0 at the end of the stream, -1 when it failed (errno not captured: the caller
     * learns it from a plain {@code recv}).
     */
    long recv()
    {
        // the kernel writes msg_controllen and msg_flags back: reset them every call
        message.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROL_OFFSET, controlAddress);
        message.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROLLEN_OFFSET, CONTROL_SPACE);
        message.set(ValueLayout.JAVA_INT, MsghdrDescriptor.FLAGS_OFFSET, 0);
        final long n = LibC.recvmsgQuiet(fd, message, SocketConstants.MSG_DONTWAIT);
        timestampNs = n > 0 ? softwareNs(message.get(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROLLEN_OFFSET)) : 0;
        return n;
    }

    /** @return the last received bytes' software RX time ({@code CLOCK_REALTIME} ns), 0 when the kernel gave none. */
    long timestampNs()
    {
        return timestampNs;
    }

    /** Stage: the bytes being delivered came from a plain {@code recv}: no timestamp. */
    void clear()
    {
        timestampNs = 0;
    }

    // CMSG_FIRSTHDR/CMSG_NXTHDR: the first SCM_TIMESTAMPING's software time, 0 when none
    private long softwareNs(final long controlLength)
    {
        int offset = 0;
        while (offset + CmsghdrDescriptor.LENGTH <= controlLength)
        {
            final long cmsgLength = control.getLong(offset + CmsghdrDescriptor.LEN_OFFSET);
            if (cmsgLength < CmsghdrDescriptor.LENGTH || offset + cmsgLength > controlLength)
            {
                return 0;
            }
            if (SocketConstants.SOL_SOCKET == control.getInt(offset + CmsghdrDescriptor.LEVEL_OFFSET) &&
                SocketConstants.SO_TIMESTAMPING == control.getInt(offset + CmsghdrDescriptor.TYPE_OFFSET) &&
                cmsgLength >= CmsghdrDescriptor.cmsgLen(SCM_TIMESTAMPING_LENGTH))
            {
                final int data = offset + CmsghdrDescriptor.DATA_OFFSET;
                return control.getLong(data + TimespecDescriptor.SEC_OFFSET) * 1_000_000_000L +
                    control.getLong(data + TimespecDescriptor.NSEC_OFFSET);
            }
            offset += (int)CmsghdrDescriptor.align(cmsgLength);
        }
        return 0;
    }
}
