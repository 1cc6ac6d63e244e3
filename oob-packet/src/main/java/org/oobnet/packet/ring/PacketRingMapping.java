package org.oobnet.packet.ring;

import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SysConstants;
import org.oobnet.inband.sys.TpacketReqDescriptor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.oobnet.inband.SocketConstants.*;

/**
 * The PACKET_MMAP rings of one packet socket, set up and mapped in-band: {@code PACKET_VERSION} TPACKET_V2, the
 * options, {@code PACKET_RX_RING}, {@code PACKET_TX_RING}, one {@code mmap} of both (the kernel lays the TX ring
 * right after the RX ring), and the matching {@code munmap}.
 * <p>
 * The mapping outlives any stage use of it: {@link #unmap} must run only after the stage acknowledged that it no
 * longer reads the rings (a read of unmapped memory is a JVM crash, not an exception).
 * <p>
 * <b>Note:</b> in-band only; {@link #unmap} is idempotent and thread safe.
 */
public final class PacketRingMapping
{
    private final int fd;
    private final RingGeometry rx;
    private final RingGeometry tx;
    private final long address;
    private final long length;
    private final MemorySegment rxRing;
    private final MemorySegment txRing;
    private boolean unmapped;

    @SuppressWarnings("restricted") // the kernel's mapping: its address and length come from our own mmap
    private PacketRingMapping(
        final int fd, final RingGeometry rx, final RingGeometry tx, final long address, final long length)
    {
        this.fd = fd;
        this.rx = rx;
        this.tx = tx;
        this.address = address;
        this.length = length;
        final MemorySegment all = MemorySegment.ofAddress(address).reinterpret(length);
        this.rxRing = all.asSlice(0, rx.ringBytes());
        this.txRing = null == tx ? null : all.asSlice(rx.ringBytes(), tx.ringBytes());
    }

    /**
     * In-band: configure the socket's rings and map them: {@code PACKET_VERSION} TPACKET_V2, the options,
     * {@code PACKET_RX_RING}, {@code PACKET_TX_RING}, one {@code mmap} of both.
     *
     * @param errno          the caller's errno capture.
     * @param fd             an {@code AF_PACKET}/{@code SOCK_RAW} socket without rings.
     * @param rx             RX ring geometry.
     * @param tx             TX ring geometry, or null for no TX ring.
     * @param qdiscBypass    set {@code PACKET_QDISC_BYPASS}.
     * @param ignoreOutgoing set {@code PACKET_IGNORE_OUTGOING}.
     * @param where          {@code name=value} text that starts the error's detail (the interface), or null.
     * @return the mapping.
     * @throws ErrnoException naming the step (the option set, or {@code mmap}), its errno and the values given;
     * the socket is left without a mapping.
     */
    public static PacketRingMapping mapOrThrow(
        final ErrnoCapture errno,
        final int fd,
        final RingGeometry rx,
        final RingGeometry tx,
        final boolean qdiscBypass,
        final boolean ignoreOutgoing,
        final String where) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            setInt(errno, fd, PACKET_VERSION, TPACKET_V2, value, "PACKET_VERSION", "TPACKET_V2", where);
            if (ignoreOutgoing)
            {
                setInt(errno, fd, PACKET_IGNORE_OUTGOING, 1, value, "PACKET_IGNORE_OUTGOING", "1", where);
            }
            if (qdiscBypass)
            {
                setInt(errno, fd, PACKET_QDISC_BYPASS, 1, value, "PACKET_QDISC_BYPASS", "1", where);
            }
            if (null != tx)
            {
                // PACKET_LOSS: the kernel skips a TX frame it cannot send instead of stopping the ring at it.
                setInt(errno, fd, PACKET_LOSS, 1, value, "PACKET_LOSS", "1", where);
            }
            final MemorySegment req = arena.allocate(TpacketReqDescriptor.LENGTH, 4);
            setRing(errno, fd, PACKET_RX_RING, rx, req, where);
            if (null != tx)
            {
                setRing(errno, fd, PACKET_TX_RING, tx, req, where);
            }
        }

        final long length = rx.ringBytes() + (null == tx ? 0 : tx.ringBytes());
        final long address = LibC.mmap(errno, 0, length, SysConstants.PROT_READ | SysConstants.PROT_WRITE,
            SysConstants.MAP_SHARED | SysConstants.MAP_POPULATE, fd, 0);
        if (Errno.isError(address))
        {
            throw new ErrnoException("mmap", (int)address, detail(where, "length=" + length));
        }
        return new PacketRingMapping(fd, rx, tx, address, length);
    }

    /**
     * The mapped RX ring.
     *
     * @return the RX ring's bytes.
     */
    public MemorySegment rxRing()
    {
        return rxRing;
    }

    /**
     * The mapped TX ring.
     *
     * @return the TX ring's bytes, or null without a TX ring.
     */
    public MemorySegment txRing()
    {
        return txRing;
    }

    /**
     * RX geometry.
     *
     * @return the RX ring's geometry.
     */
    public RingGeometry rxGeometry()
    {
        return rx;
    }

    /**
     * TX geometry.
     *
     * @return the TX ring's geometry, or null.
     */
    public RingGeometry txGeometry()
    {
        return tx;
    }

    /**
     * The socket the rings belong to.
     *
     * @return the descriptor.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * Whether {@link #unmap} ran.
     *
     * @return true once unmapped.
     */
    public synchronized boolean isUnmapped()
    {
        return unmapped;
    }

    /**
     * In-band, only once the stage acknowledged it no longer touches the rings: unmap them. Idempotent.
     *
     * @param errno the caller's errno capture.
     * @return 0, or the negative errno of {@code munmap}.
     */
    public synchronized int unmap(final ErrnoCapture errno)
    {
        if (unmapped)
        {
            return 0;
        }
        unmapped = true;
        return LibC.munmap(errno, address, length);
    }

    private static void setInt(
        final ErrnoCapture errno, final int fd, final int name, final int v, final MemorySegment value,
        final String option, final String text, final String where) throws ErrnoException
    {
        value.set(ValueLayout.JAVA_INT, 0, v);
        final int rc = LibC.setsockopt(errno, fd, SOL_PACKET, name, value, 4);
        if (rc < 0)
        {
            throw new ErrnoException("setsockopt " + option, rc, detail(where, option + "=" + text));
        }
    }

    private static void setRing(
        final ErrnoCapture errno, final int fd, final int name, final RingGeometry geometry, final MemorySegment req,
        final String where) throws ErrnoException
    {
        req.set(ValueLayout.JAVA_INT, TpacketReqDescriptor.BLOCK_SIZE_OFFSET, geometry.blockSize());
        req.set(ValueLayout.JAVA_INT, TpacketReqDescriptor.BLOCK_NR_OFFSET, geometry.blockCount());
        req.set(ValueLayout.JAVA_INT, TpacketReqDescriptor.FRAME_SIZE_OFFSET, geometry.frameSize());
        req.set(ValueLayout.JAVA_INT, TpacketReqDescriptor.FRAME_NR_OFFSET, geometry.frameCount());
        final int rc = LibC.setsockopt(errno, fd, SOL_PACKET, name, req, TpacketReqDescriptor.LENGTH);
        if (rc < 0)
        {
            final String option = name == PACKET_RX_RING ? "PACKET_RX_RING" : "PACKET_TX_RING";
            throw new ErrnoException("setsockopt " + option, rc, detail(where, geometry.toString()));
        }
    }

    private static String detail(final String where, final String what)
    {
        return null == where ? what : where + " " + what;
    }
}
