package org.oobnet.packet.bpf;

import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockFilterDescriptor;
import org.oobnet.inband.sys.SockFprogDescriptor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Moves {@link BpfProgram}s to and from the kernel's {@code struct sock_fprog} / {@code struct sock_filter}
 * (layouts from inband-stack's descriptors) and attaches them with {@code SO_ATTACH_FILTER}.
 * <p>
 * <b>Note:</b> in-band only; stateless, thread safe.
 */
public final class SockFilters
{
    /** {@code SO_GET_FILTER}: reads the attached program back ({@code = SO_ATTACH_FILTER}). */
    public static final int SO_GET_FILTER = SocketConstants.SO_ATTACH_FILTER;

    private SockFilters()
    {
    }

    /**
     * Write the program as a {@code sock_fprog} and its {@code sock_filter} array in {@code arena}.
     *
     * @param arena   where to allocate; the result lives as long as it.
     * @param program the program.
     * @return the {@code sock_fprog}, ready for {@code setsockopt}.
     */
    public static MemorySegment toSockFprog(final Arena arena, final BpfProgram program)
    {
        final int length = program.length();
        final MemorySegment filters = arena.allocate((long)SockFilterDescriptor.LENGTH * length, 8);
        for (int i = 0; i < length; i++)
        {
            final long at = (long)i * SockFilterDescriptor.LENGTH;
            filters.set(ValueLayout.JAVA_SHORT, at + SockFilterDescriptor.CODE_OFFSET, (short)program.code(i));
            filters.set(ValueLayout.JAVA_BYTE, at + SockFilterDescriptor.JT_OFFSET, (byte)program.jt(i));
            filters.set(ValueLayout.JAVA_BYTE, at + SockFilterDescriptor.JF_OFFSET, (byte)program.jf(i));
            filters.set(ValueLayout.JAVA_INT, at + SockFilterDescriptor.K_OFFSET, program.k(i));
        }
        final MemorySegment fprog = arena.allocate(SockFprogDescriptor.LENGTH, 8);
        fprog.set(ValueLayout.JAVA_SHORT, SockFprogDescriptor.LEN_OFFSET, (short)length);
        fprog.set(ValueLayout.ADDRESS, SockFprogDescriptor.FILTER_OFFSET, filters);
        return fprog;
    }

    /**
     * Read a program from a native {@code sock_fprog} (as a caller handed it to {@code setsockopt}).
     *
     * @param fprog the {@code sock_fprog}, at least {@link SockFprogDescriptor#LENGTH} bytes.
     * @return the program.
     * @throws IllegalArgumentException when the struct is too short or the program invalid (the kernel says
     *                                  {@code EINVAL} for the same).
     */
    @SuppressWarnings("restricted") // the caller's sock_filter array: its length is the struct's len field
    public static BpfProgram fromSockFprog(final MemorySegment fprog)
    {
        if (fprog.byteSize() < SockFprogDescriptor.LENGTH)
        {
            throw new IllegalArgumentException("sock_fprog length=" + fprog.byteSize() + " must be at least " +
                SockFprogDescriptor.LENGTH);
        }
        final int length = fprog.get(ValueLayout.JAVA_SHORT, SockFprogDescriptor.LEN_OFFSET) & 0xffff;
        final MemorySegment filters = fprog.get(ValueLayout.ADDRESS, SockFprogDescriptor.FILTER_OFFSET)
            .reinterpret((long)SockFilterDescriptor.LENGTH * length);
        final long[] instructions = new long[length];
        for (int i = 0; i < length; i++)
        {
            final long at = (long)i * SockFilterDescriptor.LENGTH;
            instructions[i] = BpfProgram.encode(
                filters.get(ValueLayout.JAVA_SHORT, at + SockFilterDescriptor.CODE_OFFSET) & 0xffff,
                filters.get(ValueLayout.JAVA_BYTE, at + SockFilterDescriptor.JT_OFFSET) & 0xff,
                filters.get(ValueLayout.JAVA_BYTE, at + SockFilterDescriptor.JF_OFFSET) & 0xff,
                filters.get(ValueLayout.JAVA_INT, at + SockFilterDescriptor.K_OFFSET));
        }
        return BpfProgram.of(instructions);
    }

    /**
     * Read back the program attached to a socket ({@code SO_GET_FILTER}, which the kernel counts in instructions).
     *
     * @param errno the caller's errno capture.
     * @param fd    the socket.
     * @return the attached program, or null when none is attached or it cannot be read.
     */
    public static BpfProgram attached(final ErrnoCapture errno, final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            count.set(ValueLayout.JAVA_INT, 0, 0);
            if (LibC.getsockopt(errno, fd, SocketConstants.SOL_SOCKET, SO_GET_FILTER, MemorySegment.NULL, count) < 0)
            {
                return null;
            }
            final int length = count.get(ValueLayout.JAVA_INT, 0);
            if (length <= 0 || length > SockFilterDescriptor.MAX_INSTRUCTIONS)
            {
                return null;
            }
            final MemorySegment filters = arena.allocate((long)SockFilterDescriptor.LENGTH * length, 8);
            if (LibC.getsockopt(errno, fd, SocketConstants.SOL_SOCKET, SO_GET_FILTER, filters, count) < 0)
            {
                return null;
            }
            final MemorySegment fprog = arena.allocate(SockFprogDescriptor.LENGTH, 8);
            fprog.set(ValueLayout.JAVA_SHORT, SockFprogDescriptor.LEN_OFFSET, (short)count.get(ValueLayout.JAVA_INT, 0));
            fprog.set(ValueLayout.ADDRESS, SockFprogDescriptor.FILTER_OFFSET, filters);
            return fromSockFprog(fprog);
        }
    }

    /**
     * Attach the program to a socket ({@code SO_ATTACH_FILTER}), straight to the kernel.
     *
     * @param errno   the caller's errno capture.
     * @param fd      the socket.
     * @param program the program.
     * @return 0, or the negative errno of {@code setsockopt}.
     */
    public static int attach(final ErrnoCapture errno, final int fd, final BpfProgram program)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return LibC.setsockopt(errno, fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_ATTACH_FILTER,
                toSockFprog(arena, program), SockFprogDescriptor.LENGTH);
        }
    }
}
