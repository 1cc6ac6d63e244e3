package org.oobnet.example.seqmsg;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import org.oobnet.core.OobRuntime;
import org.oobnet.inband.Errno;

/**
 * The {@code sockaddr} a seqmsg socket binds to, {@code struct sockaddr_seqmsg}: an interface and a stream.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |  family (u16, host order, 46) |  stream (u16, host order)     |  0
 *  +-------------------------------+-------------------------------+
 *  |  interface name: ASCII, NUL padded, 16 bytes (IFNAMSIZ)       |  4
 *  |  ...                                                          |
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Note:</b> stateless, thread safe.
 */
public final class SeqMsgAddress
{
    /** Offset of the family. */
    public static final int FAMILY_OFFSET = 0;
    /** Offset of the stream. */
    public static final int STREAM_OFFSET = 2;
    /** Offset of the interface name. */
    public static final int NAME_OFFSET = 4;
    /** Room for the name, NUL included ({@code IFNAMSIZ}). */
    public static final int NAME_LENGTH = 16;
    /** The address's length. */
    public static final int LENGTH = NAME_OFFSET + NAME_LENGTH;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private SeqMsgAddress()
    {
    }

    /**
     * Encodes an address.
     *
     * @param interfaceName the interface, e.g. {@code "veth0"}.
     * @param stream        the stream, 0..65535.
     * @param allocator     where to allocate it.
     * @return the address, {@link #LENGTH} bytes.
     * @throws IllegalArgumentException naming the bad value.
     */
    public static MemorySegment encode(final String interfaceName, final int stream, final SegmentAllocator allocator)
    {
        final byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (name.length < 1 || name.length >= NAME_LENGTH)
        {
            throw new IllegalArgumentException("interfaceName=" + interfaceName + " must be 1.." + (NAME_LENGTH - 1) +
                " ASCII bytes");
        }
        if (stream < 0 || stream > 0xFFFF)
        {
            throw new IllegalArgumentException("stream=" + stream + " must be 0..65535");
        }
        final MemorySegment address = allocator.allocate(LENGTH, 2).fill((byte)0);
        address.set(U16, FAMILY_OFFSET, (short)OobRuntime.AF_OOB);
        address.set(U16, STREAM_OFFSET, (short)stream);
        MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, NAME_OFFSET, name.length);
        return address;
    }

    /**
     * Checks an address given to {@code bind}.
     *
     * @param address the {@code sockaddr}.
     * @return 0 when valid; {@code -EINVAL} when too short or the name is empty or unterminated,
     * {@code -EAFNOSUPPORT} when the family is not AF_OOB.
     */
    public static int check(final MemorySegment address)
    {
        if (null == address || address.byteSize() < LENGTH)
        {
            return -Errno.EINVAL;
        }
        if ((address.get(U16, FAMILY_OFFSET) & 0xFFFF) != OobRuntime.AF_OOB)
        {
            return -Errno.EAFNOSUPPORT;
        }
        if (0 == address.get(ValueLayout.JAVA_BYTE, NAME_OFFSET) ||
            0 != address.get(ValueLayout.JAVA_BYTE, NAME_OFFSET + NAME_LENGTH - 1))
        {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /**
     * @param address a {@link #check checked} address.
     * @return its stream.
     */
    public static int stream(final MemorySegment address)
    {
        return address.get(U16, STREAM_OFFSET) & 0xFFFF;
    }

    /**
     * @param address a {@link #check checked} address.
     * @return its interface name.
     */
    public static String interfaceName(final MemorySegment address)
    {
        return address.getString(NAME_OFFSET, StandardCharsets.US_ASCII);
    }
}
