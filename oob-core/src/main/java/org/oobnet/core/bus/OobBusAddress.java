package org.oobnet.core.bus;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.oobnet.core.OobRuntime;
import org.oobnet.inband.Errno;

/**
 * The {@code sockaddr} of an AF_OOB bus endpoint, {@code struct sockaddr_oob}: a family and a name.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |  family (u16, host order, 46) |  name length (u16, host order)|  0
 *  +-------------------------------+-------------------------------+
 *  |  name: UTF-8 bytes, 1..64, no terminating NUL                 |  4
 *  |  ...                                                          |
 *  +---------------------------------------------------------------+
 * </pre>
 * Like {@code sockaddr_un} with an explicit length instead of a NUL, so a name may be any UTF-8 text. The
 * address length given to {@code bind}/{@code connect} must be at least {@code 4 + name length}.
 * <b>Note:</b> stateless, thread safe.
 */
public final class OobBusAddress
{
    /** Offset of the family. */
    public static final int FAMILY_OFFSET = 0;
    /** Offset of the name length. */
    public static final int NAME_LENGTH_OFFSET = 2;
    /** Offset of the name. */
    public static final int NAME_OFFSET = 4;
    /** Longest name, in bytes. */
    public static final int MAX_NAME_LENGTH = 64;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private OobBusAddress()
    {
    }

    /**
     * Encodes a name as a {@code sockaddr_oob}.
     *
     * @param name      the endpoint's name.
     * @param allocator where to allocate it (e.g. an {@code Arena}).
     * @return the address, exactly {@code 4 + name bytes} long.
     * @throws IllegalArgumentException when the name is empty or longer than 64 UTF-8 bytes.
     */
    public static MemorySegment encode(final String name, final SegmentAllocator allocator)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 1 || bytes.length > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("name=" + name + " must be 1.." + MAX_NAME_LENGTH + " UTF-8 bytes, is " +
                bytes.length);
        }
        final MemorySegment address = allocator.allocate(NAME_OFFSET + bytes.length, 2);
        address.set(U16, FAMILY_OFFSET, (short)OobRuntime.AF_OOB);
        address.set(U16, NAME_LENGTH_OFFSET, (short)bytes.length);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, NAME_OFFSET, bytes.length);
        return address;
    }

    /**
     * Checks an address.
     *
     * @param address a {@code sockaddr} as given to {@code bind}/{@code connect}.
     * @return 0 when valid; {@code -EINVAL} when too short or the name length is out of range or past the end,
     * {@code -EAFNOSUPPORT} when the family is not AF_OOB.
     */
    public static int check(final MemorySegment address)
    {
        if (null == address || address.byteSize() < NAME_OFFSET + 1)
        {
            return -Errno.EINVAL;
        }
        if ((address.get(U16, FAMILY_OFFSET) & 0xFFFF) != OobRuntime.AF_OOB)
        {
            return -Errno.EAFNOSUPPORT;
        }
        final int length = address.get(U16, NAME_LENGTH_OFFSET) & 0xFFFF;
        if (length < 1 || length > MAX_NAME_LENGTH || NAME_OFFSET + length > address.byteSize())
        {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /**
     * Decodes the name of a {@link #check checked} address.
     *
     * @param address the address.
     * @return the name, or null when its bytes are not valid UTF-8.
     */
    public static String name(final MemorySegment address)
    {
        final int length = address.get(U16, NAME_LENGTH_OFFSET) & 0xFFFF;
        final byte[] bytes = address.asSlice(NAME_OFFSET, length).toArray(ValueLayout.JAVA_BYTE);
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
    }
}
