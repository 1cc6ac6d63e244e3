package org.oobnet.udp.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.RetryBackoff;
import org.oobnet.inband.Errno;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.CmsghdrDescriptor;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.IovecDescriptor;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.MmsghdrDescriptor;
import org.oobnet.inband.sys.MsghdrDescriptor;
import org.oobnet.inband.sys.SockExtendedErrDescriptor;
import org.oobnet.inband.sys.SockaddrInDescriptor;
import org.oobnet.inband.sys.TimespecDescriptor;
import org.oobnet.udp.RxTimestampSource;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.frame.IcmpUnreachable;

/**
 * The kernel busy-poll transport: a non-blocking kernel UDP socket polled with {@code recvmmsg(MSG_DONTWAIT)} and
 * fed with {@code sendmmsg(MSG_DONTWAIT)}, a batch per cycle. Needs no {@code CAP_NET_RAW} and works on any
 * interface, loopback included; it is the baseline the packet transport must beat.
 * <p>
 * All native memory (the {@code mmsghdr}, {@code iovec} and {@code sockaddr_in} arrays and the datagram slots) is
 * allocated once; a cycle allocates nothing. Each slot keeps {@value UdpAddressHeader#LENGTH} bytes in front of its
 * payload for the record header, so received datagrams are handed out in place as records.
 * <p>
 * Receive timestamps: the socket gets {@code SO_TIMESTAMPING} (software and raw hardware RX), and each datagram's
 * {@code SCM_TIMESTAMPING} control message gives {@link #rxTimestampNs()} while the handler has it.
 * <p>
 * ICMP errors ({@link #reportErrors}): with {@code IP_RECVERR} on, the kernel queues each ICMP error about the
 * socket's datagrams on its error queue, which {@link #pollErrors} reads with {@code recvmsg(MSG_ERRQUEUE)} and
 * hands to {@link DatagramHandler#onError} as the errno {@link IcmpUnreachable#errnoOf} gives (the packet
 * transport's rule). The poll cannot tell an error from an empty queue (its {@code recvmmsg} captures no errno),
 * so the queue is read every {@value #ERROR_CHECK_INTERVAL_NS} ns, and at once after a refused send.
 * <p>
 * Transmit timestamps ({@link #switchTxTimestamps}): {@code SOF_TIMESTAMPING_TX_SOFTWARE | OPT_ID | OPT_TSONLY} added
 * to the socket's flags; the kernel queues one record per datagram sent on the error queue (no payload, the
 * datagram's id in {@code ee_data}), which {@link #pollErrors} reads every poll while sent datagrams still await
 * theirs, and hands to {@link DatagramHandler#onTxTimestamp}.
 * <p>
 * <b>Note:</b> not thread safe: one polling thread (the stage); the {@link ErrnoCapture} is for in-band calls.
 */
public final class KernelBusyPollTransport implements AutoCloseable
{
    private final int fd;
    private final int batch;
    private final int slotLength;
    private final int maxPayloadLength;
    private final Arena arena = Arena.ofShared();
    private final ErrnoCapture errno = new ErrnoCapture(arena);
    // SO_TIMESTAMPING's value, set by the stage at a switch (switchTxTimestamps)
    private final MemorySegment timestampingFlags = arena.allocate(4);
    private final MemorySegment rxMessages;
    private final MemorySegment txMessages;
    private final UnsafeBuffer rxHeaders;
    private final UnsafeBuffer txHeaders;
    private final UnsafeBuffer rxSlots;
    private final UnsafeBuffer txSlots;
    private final long rxNamesAddress;
    private final long txNamesAddress;
    private final long rxControlAddress;
    private final UnsafeBuffer rxControl;
    private int txCount;
    // the datagram being handed to the handler: its SCM_TIMESTAMPING time
    private long rxTimestampNs;
    private RxTimestampSource rxTimestampSource = RxTimestampSource.NONE;
    private long truncated;
    private long sendErrors;
    private long noBufferRetries;
    private final RetryBackoff backoff = new RetryBackoff();
    private long accepted;
    private int lastSendErrno;
    // ICMP errors: who takes them (null: not asked, IP_RECVERR off), the error queue's msghdr and control bytes
    private volatile DatagramHandler errorHandler;
    private final MemorySegment errorMessage;
    private final UnsafeBuffer errorHeader;
    private final UnsafeBuffer errorControl;
    // stage only: when the error queue is read next; a refused send makes it due at once
    private long nextErrorCheckNs;
    private boolean errorCheckDue;
    private long asyncErrors;
    // transmit timestamps: who takes them (null: off; set by the stage, switchTxTimestamps); datagrams sent since
    // they were turned on, and reported
    private volatile DatagramHandler txHandler;
    private long txSent;
    private long txReported;
    // sends whose record never came (the kernel dropped it: error queue full, or the datagram died before the
    // driver), reported with no time; and since when the stage has waited for a record without one coming
    private long txMissing;
    private long txWaitSinceNs;
    private boolean txWaiting;

    // room for one control message per datagram: SCM_TIMESTAMPING's three timespecs, and one more of any kind
    private static final int SCM_TIMESTAMPING_LENGTH = 3 * TimespecDescriptor.LENGTH;
    private static final int CONTROL_SPACE = 2 * (int)CmsghdrDescriptor.cmsgSpace(SCM_TIMESTAMPING_LENGTH);
    private static final int RAW_HARDWARE_OFFSET = 2 * TimespecDescriptor.LENGTH;
    /** How often a socket reporting errors reads its error queue: one syscall per 100 µs of polling. */
    public static final long ERROR_CHECK_INTERVAL_NS = 100_000;
    // records read per check: an ICMP burst is drained over a few checks, the stage cycle stays short
    private static final int ERROR_RECORDS_PER_CHECK = 8;
    // IP_RECVERR's sock_extended_err and its offender address, and room for an SCM_TIMESTAMPING of the error
    private static final int ERROR_CONTROL_SPACE = 256;
    // transmit-timestamp records read per poll: more than a batch, so that a steady stream never falls behind
    private static final int TX_RECORDS_PER_POLL = 2048;
    /** How long the stage waits for a sent datagram's transmit timestamp before it reports the send without one. */
    public static final long TX_RECORD_TIMEOUT_NS = 1_000_000_000L;
    private static final int RX_TIMESTAMPING = SocketConstants.SOF_TIMESTAMPING_RX_SOFTWARE |
        SocketConstants.SOF_TIMESTAMPING_SOFTWARE | SocketConstants.SOF_TIMESTAMPING_RX_HARDWARE |
        SocketConstants.SOF_TIMESTAMPING_RAW_HARDWARE;
    private static final int TX_TIMESTAMPING = SocketConstants.SOF_TIMESTAMPING_TX_SOFTWARE |
        SocketConstants.SOF_TIMESTAMPING_OPT_ID | SocketConstants.SOF_TIMESTAMPING_OPT_TSONLY;

    /**
     * Lays out the batches around a kernel UDP socket, which must be non-blocking or be polled with
     * {@code MSG_DONTWAIT} (as here). The socket stays owned by the caller.
     *
     * @param fd               the kernel UDP socket.
     * @param batch            datagrams per {@code recvmmsg}/{@code sendmmsg}.
     * @param maxPayloadLength the largest payload (larger received datagrams are truncated and counted).
     */
    public KernelBusyPollTransport(final int fd, final int batch, final int maxPayloadLength)
    {
        if (batch < 1 || batch > 1024)
        {
            throw new IllegalArgumentException("batch=" + batch + " must be 1..1024");
        }
        // in-band: so that the stage's rarely taken downcalls (a refused send) never customise on it
        LibC.customizeStageCalls();
        if (maxPayloadLength < 0 || maxPayloadLength > 65507)
        {
            throw new IllegalArgumentException("maxPayloadLength=" + maxPayloadLength + " must be 0..65507");
        }
        this.fd = fd;
        this.batch = batch;
        this.maxPayloadLength = maxPayloadLength;
        // 8 bytes of record header in front of each payload, slots 64-byte aligned
        this.slotLength = (UdpAddressHeader.LENGTH + maxPayloadLength + 63) & ~63;

        final long headersBytes = (long)batch * (MmsghdrDescriptor.LENGTH + IovecDescriptor.LENGTH +
            SockaddrInDescriptor.LENGTH);
        final MemorySegment rxHeaderSegment = arena.allocate(headersBytes, 64);
        final MemorySegment txHeaderSegment = arena.allocate(headersBytes, 64);
        final MemorySegment rxSlotSegment = arena.allocate((long)batch * slotLength, 64);
        final MemorySegment txSlotSegment = arena.allocate((long)batch * slotLength, 64);
        rxMessages = rxHeaderSegment;
        txMessages = txHeaderSegment;
        rxHeaders = new UnsafeBuffer(rxHeaderSegment.address(), (int)headersBytes);
        txHeaders = new UnsafeBuffer(txHeaderSegment.address(), (int)headersBytes);
        rxSlots = new UnsafeBuffer(rxSlotSegment.address(), batch * slotLength);
        txSlots = new UnsafeBuffer(txSlotSegment.address(), batch * slotLength);
        rxNamesAddress = rxHeaderSegment.address() + (long)batch * (MmsghdrDescriptor.LENGTH + IovecDescriptor.LENGTH);
        txNamesAddress = txHeaderSegment.address() + (long)batch * (MmsghdrDescriptor.LENGTH + IovecDescriptor.LENGTH);
        layout(rxHeaders, rxHeaderSegment.address(), rxNamesAddress, rxSlotSegment.address());
        layout(txHeaders, txHeaderSegment.address(), txNamesAddress, txSlotSegment.address());
        final MemorySegment rxControlSegment = arena.allocate((long)batch * CONTROL_SPACE, 64);
        rxControlAddress = rxControlSegment.address();
        rxControl = new UnsafeBuffer(rxControlAddress, batch * CONTROL_SPACE);
        for (int i = 0; i < batch; i++)
        {
            rxHeaders.putLong(i * MmsghdrDescriptor.LENGTH + MsghdrDescriptor.CONTROL_OFFSET,
                rxControlAddress + (long)i * CONTROL_SPACE);
        }
        errorMessage = arena.allocate(MsghdrDescriptor.LENGTH, 64);
        errorHeader = new UnsafeBuffer(errorMessage.address(), MsghdrDescriptor.LENGTH);
        final MemorySegment errorControlSegment = arena.allocate(ERROR_CONTROL_SPACE, 64);
        errorControl = new UnsafeBuffer(errorControlSegment.address(), ERROR_CONTROL_SPACE);
        errorHeader.setMemory(0, MsghdrDescriptor.LENGTH, (byte)0);
        errorHeader.putLong(MsghdrDescriptor.CONTROL_OFFSET, errorControlSegment.address());
        enableRxTimestamps(fd);
    }

    /**
     * In-band, once the socket is connected (or disconnected): turns {@code IP_RECVERR} on and hands the ICMP
     * errors the kernel queues to {@code handler} from {@link #pollErrors}; null turns it off.
     *
     * @param handler takes the errors on the stage, or null.
     * @return 0, or a negative errno from {@code setsockopt}.
     */
    public int reportErrors(final DatagramHandler handler)
    {
        final MemorySegment on = arena.allocate(4);
        on.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, null == handler ? 0 : 1);
        final ErrnoCapture inband = ErrnoCapture.current();
        final int rc = LibC.setsockopt(inband, fd, SocketConstants.SOL_IP, SocketConstants.IP_RECVERR, on, 4);
        if (rc < 0)
        {
            return rc;
        }
        // volatile: the stage reads the queue from its next check on
        errorHandler = handler;
        return 0;
    }

    /**
     * Stage, from a command between two send batches (so that no batch is counted on the wrong side of a switch):
     * turns the socket's transmit timestamps on for {@code handler} ({@code SO_TIMESTAMPING} gets
     * {@code TX_SOFTWARE | OPT_ID | OPT_TSONLY} besides the RX flags; the kernel's ids restart at 0 and so do the
     * counts), or off with null. What the old setting still owes is settled first: the records on the error queue
     * are reported, and a send whose record has not come is reported once without a time. On a failure the
     * timestamps are off.
     *
     * @param handler takes each datagram's timestamp on the stage, or null.
     * @param nowNs   the stage's clock.
     * @return 0, or a negative errno from {@code setsockopt}.
     */
    public int switchTxTimestamps(final DatagramHandler handler, final long nowNs)
    {
        final DatagramHandler old = txHandler;
        if (null != old && txSent != txReported)
        {
            pollErrors(nowNs);
            if (txSent != txReported)
            {
                reportMissing(old, txSent - txReported);
            }
        }
        // OPT_ID restarts the kernel's key at 0 only when it was off: turn it off first
        int rc = setTimestamping(RX_TIMESTAMPING);
        if (rc >= 0 && null != handler)
        {
            rc = setTimestamping(RX_TIMESTAMPING | TX_TIMESTAMPING);
        }
        txSent = 0;
        txReported = 0;
        txWaiting = false;
        txHandler = rc < 0 ? null : handler;
        return rc;
    }

    // stage: SO_TIMESTAMPING, allocation-free (no errno capture: see LibC)
    private int setTimestamping(final int flags)
    {
        final MemorySegment value = timestampingFlags;
        value.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, flags);
        return LibC.setsockoptQuiet(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_TIMESTAMPING, value, 4);
    }

    /**
     * Stage: reads the error queue when a check is due (every {@value #ERROR_CHECK_INTERVAL_NS} ns, or after a
     * refused send) and the socket reports errors, or at every poll while a sent datagram awaits its transmit
     * timestamp; each ICMP error worth reporting goes to {@link DatagramHandler#onError}, each transmit timestamp
     * to {@link DatagramHandler#onTxTimestamp}; other records (local errors, ICMP messages not reported) are
     * dropped.
     *
     * @param nowNs the stage's clock.
     * @return errors and timestamps reported.
     */
    public int pollErrors(final long nowNs)
    {
        final DatagramHandler handler = errorHandler;
        final DatagramHandler timestamps = txHandler;
        final boolean errorsDue = null != handler && (errorCheckDue || (nextErrorCheckNs - nowNs) <= 0);
        final boolean timestampsDue = null != timestamps && txSent != txReported;
        if (!timestampsDue)
        {
            txWaiting = false;
        }
        if (!errorsDue && !timestampsDue)
        {
            return 0;
        }
        if (errorsDue)
        {
            errorCheckDue = false;
            nextErrorCheckNs = nowNs + ERROR_CHECK_INTERVAL_NS;
        }
        final UnsafeBuffer header = errorHeader;
        int reported = 0;
        final long txReportedBefore = txReported;
        final int records = timestampsDue ? TX_RECORDS_PER_POLL : ERROR_RECORDS_PER_CHECK;
        for (int i = 0; i < records; i++)
        {
            // the kernel shrinks msg_controllen to what it wrote: restore it; no iovec, the quoted payload is cut
            header.putLong(MsghdrDescriptor.CONTROLLEN_OFFSET, ERROR_CONTROL_SPACE);
            if (LibC.recvmsgQuiet(fd, errorMessage, SocketConstants.MSG_ERRQUEUE | SocketConstants.MSG_DONTWAIT) < 0)
            {
                break;
            }
            final int data = findControl(errorControl, 0, header.getLong(MsghdrDescriptor.CONTROLLEN_OFFSET),
                SocketConstants.SOL_IP, SocketConstants.IP_RECVERR, SockExtendedErrDescriptor.LENGTH);
            if (data < 0)
            {
                continue;
            }
            final int origin = errorControl.getByte(data + SockExtendedErrDescriptor.ORIGIN_OFFSET) & 0xFF;
            if (SocketConstants.SO_EE_ORIGIN_TIMESTAMPING == origin)
            {
                if (null != timestamps)
                {
                    reported += reportTxTimestamp(timestamps, header.getLong(MsghdrDescriptor.CONTROLLEN_OFFSET),
                        errorControl.getInt(data + SockExtendedErrDescriptor.DATA_OFFSET) & 0xFFFF_FFFFL);
                }
                continue;
            }
            if (SocketConstants.SO_EE_ORIGIN_ICMP != origin || null == handler)
            {
                continue;
            }
            final int errno = IcmpUnreachable.errnoOf(
                errorControl.getByte(data + SockExtendedErrDescriptor.TYPE_OFFSET) & 0xFF,
                errorControl.getByte(data + SockExtendedErrDescriptor.CODE_OFFSET) & 0xFF);
            if (0 != errno)
            {
                asyncErrors++;
                reported++;
                handler.onError(errno);
            }
        }
        if (timestampsDue)
        {
            reported += awaitTxRecords(timestamps, nowNs, txReported != txReportedBefore);
        }
        return reported;
    }

    // stage: a wait for records that outlasts TX_RECORD_TIMEOUT_NS ends with the sends still owed reported without
    // a time, so that a lost record never keeps the stage reading the error queue at every poll
    private int awaitTxRecords(final DatagramHandler timestamps, final long nowNs, final boolean recordsCame)
    {
        if (recordsCame || !txWaiting)
        {
            txWaiting = txSent != txReported;
            txWaitSinceNs = nowNs;
            return 0;
        }
        if (nowNs - txWaitSinceNs < TX_RECORD_TIMEOUT_NS)
        {
            return 0;
        }
        final int owed = (int)(txSent - txReported);
        reportMissing(timestamps, owed);
        txWaiting = false;
        return owed;
    }

    // stage: the next count sends, whose records the kernel did not give, each reported once with no time
    private void reportMissing(final DatagramHandler timestamps, final long count)
    {
        for (long i = 0; i < count; i++)
        {
            final long sendId = txReported & 0xFFFF_FFFFL;
            txReported++;
            txMissing++;
            timestamps.onTxTimestamp(sendId, 0, false);
        }
    }

    /**
     * Stage: one {@code recvmmsg(MSG_DONTWAIT)}; hands each datagram to {@code handler} as a record in place.
     *
     * @param handler takes the records.
     * @return datagrams received, 0 when none was queued (or the kernel reported a socket error).
     */
    public int poll(final DatagramHandler handler)
    {
        final UnsafeBuffer headers = rxHeaders;
        final int batch = this.batch;
        for (int i = 0; i < batch; i++)
        {
            // the kernel shrinks msg_namelen and msg_controllen to what it wrote: restore them for this call
            headers.putInt(i * MmsghdrDescriptor.LENGTH + MsghdrDescriptor.NAMELEN_OFFSET, SockaddrInDescriptor.LENGTH);
            headers.putLong(i * MmsghdrDescriptor.LENGTH + MsghdrDescriptor.CONTROLLEN_OFFSET, CONTROL_SPACE);
        }
        // no errno capture: a capturing downcall allocates until C2 has inlined it; -1 is almost always EAGAIN, and
        // a socket error it consumes (ICMP unreachable) stays on the error queue for pollErrors
        final int received = LibC.recvmmsgQuiet(fd, rxMessages, batch, SocketConstants.MSG_DONTWAIT);
        if (received <= 0)
        {
            return 0;
        }
        final UnsafeBuffer slots = rxSlots;
        final int namesOffset = (int)(rxNamesAddress - rxHeaders.addressOffset());
        for (int i = 0; i < received; i++)
        {
            final int message = i * MmsghdrDescriptor.LENGTH;
            final int length = headers.getInt(message + MmsghdrDescriptor.LEN_OFFSET);
            if (0 != (headers.getInt(message + MsghdrDescriptor.FLAGS_OFFSET) & SocketConstants.MSG_TRUNC))
            {
                truncated++;
                continue;
            }
            final int name = namesOffset + i * SockaddrInDescriptor.LENGTH;
            final int slot = i * slotLength;
            // sockaddr_in holds address and port in network order already: copy them as they are
            slots.putInt(slot + UdpAddressHeader.ADDRESS_OFFSET, headers.getInt(name + SockaddrInDescriptor.ADDR_OFFSET));
            slots.putShort(slot + UdpAddressHeader.PORT_OFFSET, headers.getShort(name + SockaddrInDescriptor.PORT_OFFSET));
            slots.putShort(slot + UdpAddressHeader.PORT_OFFSET + 2, (short)0);
            readTimestamp(i, headers.getLong(message + MsghdrDescriptor.CONTROLLEN_OFFSET));
            handler.onDatagram(slots, slot, UdpAddressHeader.LENGTH + length);
        }
        rxTimestampNs = 0;
        rxTimestampSource = RxTimestampSource.NONE;
        return received;
    }

    /**
     * Stage, from {@link DatagramHandler#onDatagram}: the kernel's receive time of the datagram being handed out.
     *
     * @return ns since the epoch, 0 when the datagram carried none.
     */
    public long rxTimestampNs()
    {
        return rxTimestampNs;
    }

    /**
     * Stage, from {@link DatagramHandler#onDatagram}: where {@link #rxTimestampNs()} comes from.
     *
     * @return the source.
     */
    public RxTimestampSource rxTimestampSource()
    {
        return rxTimestampSource;
    }

    /**
     * Stage: copies a record (address header and payload) into the next TX slot, for the next {@link #flush()}.
     * An address of 0 sends to the connected peer.
     *
     * @param buffer the record's buffer.
     * @param offset where the record starts.
     * @param length the record's length (8 + payload).
     * @return the payload length queued, {@code -EWOULDBLOCK} when the batch is full, {@code -EMSGSIZE} when the
     * payload is larger than the slots, {@code -EINVAL} for a record shorter than its header.
     */
    public int queue(final DirectBuffer buffer, final int offset, final int length)
    {
        final int payloadLength = length - UdpAddressHeader.LENGTH;
        if (payloadLength < 0)
        {
            return -Errno.EINVAL;
        }
        if (payloadLength > maxPayloadLength)
        {
            return -Errno.EMSGSIZE;
        }
        if (txCount >= batch)
        {
            return -Errno.EWOULDBLOCK;
        }
        final int index = txCount;
        txSlots.putBytes(index * slotLength + UdpAddressHeader.LENGTH, buffer, offset + UdpAddressHeader.LENGTH,
            payloadLength);
        describe(index, UdpAddressHeader.address(buffer, offset), UdpAddressHeader.port(buffer, offset), payloadLength);
        txCount++;
        return payloadLength;
    }

    /**
     * Stage: {@link #flush()}, unless the last flush was refused with {@code ENOBUFS} and its back-off
     * ({@link RetryBackoff}) is not over: a device that drops every datagram (a veth whose peer is down) is not
     * retried every stage cycle.
     *
     * @param nowNs the stage's clock.
     * @return datagrams sent; 0 when nothing was queued, the retry is not due, or the kernel took nothing.
     */
    public int flush(final long nowNs)
    {
        if (0 == txCount || !backoff.isDue(nowNs))
        {
            return 0;
        }
        final long refusedBefore = noBufferRetries;
        final int sent = flush();
        if (noBufferRetries != refusedBefore)
        {
            backoff.onRefused(nowNs);
        }
        else
        {
            backoff.onSuccess();
        }
        return sent;
    }

    /**
     * Stage: sends every queued datagram with {@code sendmmsg(MSG_DONTWAIT)}. What the kernel did not take (a full
     * socket buffer, a device that dropped it with {@code ENOBUFS}) stays queued for the next flush; a datagram the
     * kernel refused otherwise is dropped and counted.
     *
     * @return datagrams sent, 0 when nothing was queued or the socket buffer was full.
     */
    public int flush()
    {
        if (0 == txCount)
        {
            return 0;
        }
        // not capturing errno (a capturing downcall allocates whenever this code runs deoptimised): sendmmsgQuiet
        // reads a refusal's errno itself, allocation-free (see LibC), to tell a full buffer from a refused datagram
        final int sent = LibC.sendmmsgQuiet(fd, txMessages, txCount, SocketConstants.MSG_DONTWAIT);
        if (sent < 0)
        {
            // the refusal may be a pending ICMP error the kernel just reported (and cleared): read the queue now
            errorCheckDue = true;
        }
        if (sent < 0)
        {
            if (-Errno.ENOBUFS == sent)
            {
                // the device dropped it (with IP_RECVERR the kernel says so): kept, retried
                noBufferRetries++;
                return 0;
            }
            if (-Errno.EAGAIN == sent)
            {
                return 0;
            }
            // the first datagram failed (bad destination, EMSGSIZE...): drop it so the rest can go
            lastSendErrno = -sent;
            sendErrors++;
            advance(1);
            return 0;
        }
        accepted += sent;
        if (null != txHandler)
        {
            txSent += sent;
        }
        advance(sent);
        return sent;
    }

    /**
     * @return datagrams queued and not yet sent.
     */
    public int pending()
    {
        return txCount;
    }

    /**
     * @return received datagrams dropped because they were larger than the slots.
     */
    public long truncatedCount()
    {
        return truncated;
    }

    /**
     * @return datagrams the kernel refused (dropped).
     */
    public long sendErrorCount()
    {
        return sendErrors;
    }

    /**
     * @return flushes whose first datagram a device dropped ({@code ENOBUFS}, e.g. a veth whose peer is down;
     * reported only with {@code IP_RECVERR} on the socket): the datagram was kept and retried.
     */
    public long noBufferRetryCount()
    {
        return noBufferRetries;
    }

    /**
     * @return datagrams {@code sendmmsg} reported sent: the kernel took them (it may still discard one silently,
     * e.g. in the noop qdisc of a device whose carrier just went down; compare with the device's transmit count).
     */
    public long acceptedCount()
    {
        return accepted;
    }

    /**
     * @return sends reported without a transmit timestamp because the kernel gave no record for them (its error
     * queue was full, or the datagram was dropped before the driver), found by a later record's id or after
     * {@link #TX_RECORD_TIMEOUT_NS}.
     */
    public long txTimestampsMissingCount()
    {
        return txMissing;
    }

    /**
     * @return ICMP errors read off the error queue and reported ({@link #reportErrors}).
     */
    public long asyncErrorCount()
    {
        return asyncErrors;
    }

    /**
     * @return the errno of the last refused datagram, 0 when none.
     */
    public int lastSendErrno()
    {
        return lastSendErrno;
    }

    /**
     * @return the largest payload.
     */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * In-band, after the stage stopped polling: frees the native batches (the socket is the caller's to close).
     */
    @Override
    public void close()
    {
        arena.close();
    }

    // an error-queue record's SCM_TIMESTAMPING: the raw hardware time when the NIC gave one, else the software time
    // 1 when reported, 0 for a late record
    private int reportTxTimestamp(final DatagramHandler timestamps, final long controlLength, final long sendId)
    {
        // OPT_ID numbers the sends: a record past the next one owed means the kernel dropped those in between
        final long skipped = (sendId - txReported) & 0xFFFF_FFFFL;
        if (skipped >= 0x8000_0000L)
        {
            // behind the next send owed: a late record of a send already reported without a time (after the
            // timeout); reporting it again would report that send twice and leave the counts apart for good
            return 0;
        }
        if (skipped > 0 && skipped < txSent - txReported)
        {
            reportMissing(timestamps, skipped);
        }
        txReported++;
        final int data = findControl(errorControl, 0, controlLength, SocketConstants.SOL_SOCKET,
            SocketConstants.SO_TIMESTAMPING, SCM_TIMESTAMPING_LENGTH);
        final long hardware = data < 0 ? 0 : timespecNs(errorControl, data + RAW_HARDWARE_OFFSET);
        final long software = data < 0 ? 0 : timespecNs(errorControl, data);
        timestamps.onTxTimestamp(sendId, 0 != hardware ? hardware : software, 0 != hardware);
        return 1;
    }

    // message i's SCM_TIMESTAMPING: its raw hardware time when the NIC gave one, else its software time
    private void readTimestamp(final int message, final long controlLength)
    {
        long timestampNs = 0;
        RxTimestampSource source = RxTimestampSource.NONE;
        final UnsafeBuffer control = rxControl;
        final int data = findControl(control, message * CONTROL_SPACE, controlLength, SocketConstants.SOL_SOCKET,
            SocketConstants.SO_TIMESTAMPING, SCM_TIMESTAMPING_LENGTH);
        if (data >= 0)
        {
            final long hardware = timespecNs(control, data + RAW_HARDWARE_OFFSET);
            final long software = timespecNs(control, data);
            if (0 != hardware)
            {
                timestampNs = hardware;
                source = RxTimestampSource.HARDWARE;
            }
            else if (0 != software)
            {
                timestampNs = software;
                source = RxTimestampSource.SOFTWARE;
            }
        }
        rxTimestampNs = timestampNs;
        rxTimestampSource = source;
    }

    // CMSG_FIRSTHDR/CMSG_NXTHDR over control bytes at base: the data offset of the first (level, type) message
    // with at least dataLength bytes, -1 when none
    private static int findControl(
        final UnsafeBuffer control,
        final int base,
        final long controlLength,
        final int level,
        final int type,
        final int dataLength)
    {
        int offset = 0;
        while (offset + CmsghdrDescriptor.LENGTH <= controlLength)
        {
            final long cmsgLength = control.getLong(base + offset + CmsghdrDescriptor.LEN_OFFSET);
            if (cmsgLength < CmsghdrDescriptor.LENGTH || offset + cmsgLength > controlLength)
            {
                return -1;
            }
            if (level == control.getInt(base + offset + CmsghdrDescriptor.LEVEL_OFFSET) &&
                type == control.getInt(base + offset + CmsghdrDescriptor.TYPE_OFFSET) &&
                cmsgLength >= CmsghdrDescriptor.cmsgLen(dataLength))
            {
                return base + offset + CmsghdrDescriptor.DATA_OFFSET;
            }
            offset += (int)CmsghdrDescriptor.align(cmsgLength);
        }
        return -1;
    }

    private static long timespecNs(final UnsafeBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TimespecDescriptor.SEC_OFFSET) * 1_000_000_000L +
            buffer.getLong(offset + TimespecDescriptor.NSEC_OFFSET);
    }

    // in-band: software RX timestamps always, raw hardware ones where the device has them on; a socket that
    // refuses (none known) just gets no timestamps (NONE)
    private void enableRxTimestamps(final int fd)
    {
        final MemorySegment flags = arena.allocate(4);
        flags.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, RX_TIMESTAMPING);
        LibC.setsockopt(errno, fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_TIMESTAMPING, flags, 4);
    }

    // Drops the sent datagrams; what is left (a partial send, rare) moves to the front, so that every sendmmsg
    // starts at the first message and no segment slice is ever made on the stage.
    private void advance(final int sent)
    {
        final int remaining = txCount - sent;
        for (int i = 0; i < remaining; i++)
        {
            final int from = sent + i;
            final int length = (int)txHeaders.getLong(iovecOffset(from) + IovecDescriptor.LEN_OFFSET);
            txSlots.putBytes(i * slotLength + UdpAddressHeader.LENGTH, txSlots, from * slotLength +
                UdpAddressHeader.LENGTH, length);
            if (0 == txHeaders.getLong(from * MmsghdrDescriptor.LENGTH + MsghdrDescriptor.NAME_OFFSET))
            {
                describe(i, 0, 0, length);
            }
            else
            {
                final int name = namesOffset(txHeaders, txNamesAddress, from);
                describe(i, txHeaders.getInt(name + SockaddrInDescriptor.ADDR_OFFSET, ByteOrder.BIG_ENDIAN),
                    txHeaders.getShort(name + SockaddrInDescriptor.PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF, length);
            }
        }
        txCount = remaining;
    }

    private void describe(final int index, final int address, final int port, final int payloadLength)
    {
        final UnsafeBuffer headers = txHeaders;
        final int message = index * MmsghdrDescriptor.LENGTH;
        final int name = namesOffset(headers, txNamesAddress, index);
        if (0 == address)
        {
            headers.putLong(message + MsghdrDescriptor.NAME_OFFSET, 0L);
            headers.putInt(message + MsghdrDescriptor.NAMELEN_OFFSET, 0);
        }
        else
        {
            headers.putShort(name + SockaddrInDescriptor.FAMILY_OFFSET, (short)SocketConstants.AF_INET);
            headers.putShort(name + SockaddrInDescriptor.PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
            headers.putInt(name + SockaddrInDescriptor.ADDR_OFFSET, address, ByteOrder.BIG_ENDIAN);
            headers.putLong(message + MsghdrDescriptor.NAME_OFFSET, txNamesAddress + (long)index * SockaddrInDescriptor.LENGTH);
            headers.putInt(message + MsghdrDescriptor.NAMELEN_OFFSET, SockaddrInDescriptor.LENGTH);
        }
        headers.putLong(iovecOffset(index) + IovecDescriptor.LEN_OFFSET, payloadLength);
    }

    private int iovecOffset(final int index)
    {
        return batch * MmsghdrDescriptor.LENGTH + index * IovecDescriptor.LENGTH;
    }

    private static int namesOffset(final UnsafeBuffer headers, final long namesAddress, final int index)
    {
        return (int)(namesAddress - headers.addressOffset()) + index * SockaddrInDescriptor.LENGTH;
    }

    // mmsghdr[batch] | iovec[batch] | sockaddr_in[batch], each message pointing at its iovec and name
    private void layout(final UnsafeBuffer headers, final long base, final long namesAddress, final long slotsAddress)
    {
        headers.setMemory(0, headers.capacity(), (byte)0);
        for (int i = 0; i < batch; i++)
        {
            final int message = i * MmsghdrDescriptor.LENGTH;
            final int iovec = iovecOffset(i);
            headers.putLong(message + MsghdrDescriptor.NAME_OFFSET, namesAddress + (long)i * SockaddrInDescriptor.LENGTH);
            headers.putInt(message + MsghdrDescriptor.NAMELEN_OFFSET, SockaddrInDescriptor.LENGTH);
            headers.putLong(message + MsghdrDescriptor.IOV_OFFSET, base + iovec);
            headers.putLong(message + MsghdrDescriptor.IOVLEN_OFFSET, 1L);
            headers.putLong(iovec + IovecDescriptor.BASE_OFFSET, slotsAddress + (long)i * slotLength + UdpAddressHeader.LENGTH);
            headers.putLong(iovec + IovecDescriptor.LEN_OFFSET, maxPayloadLength);
        }
    }
}
