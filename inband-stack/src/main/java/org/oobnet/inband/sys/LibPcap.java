package org.oobnet.inband.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Downcalls into libpcap for the one job it has here: compiling a pcap-filter expression into classic BPF
 * ({@code pcap_open_dead} + {@code pcap_compile}), as {@code tcpdump -dd} does; nothing captures through libpcap.
 * <p>
 * libpcap is not part of libc and may be absent: it is looked up on first use, under the sonames Debian
 * ({@code libpcap.so.0.8}) and other distributions ({@code libpcap.so.1}) install, and {@link #compile} throws
 * {@link UnsatisfiedLinkError} naming them when none is there. Like {@link LibC}, the only place with a
 * {@code Linker} for it.
 * <p>
 * <b>Note:</b> in-band only; thread safe ({@code pcap_compile} of old libpcaps is not, so calls are serialised).
 */
public final class LibPcap
{
    /** The sonames looked up, in order. */
    public static final List<String> SONAMES = List.of("libpcap.so.0.8", "libpcap.so.1", "libpcap.so");
    /** {@code DLT_EN10MB}: Ethernet link headers. */
    public static final int DLT_EN10MB = 1;
    /** {@code PCAP_NETMASK_UNKNOWN}. */
    private static final int NETMASK_UNKNOWN = 0xffffffff;
    /** {@code sizeof(struct bpf_program)} on LP64: {@code u_int bf_len}, padding, {@code struct bpf_insn *}. */
    private static final long BPF_PROGRAM_LENGTH = 16;
    private static final long BPF_PROGRAM_INSNS_OFFSET = 8;
    /** {@code sizeof(struct bpf_insn)}: {@code u16 code, u8 jt, u8 jf, u32 k}, as {@code sock_filter}. */
    private static final long BPF_INSN_LENGTH = 8;
    private static final int ERROR_TEXT_MAX = 256;

    private LibPcap()
    {
    }

    /**
     * The result of one compilation: the instructions as {@code {code, jt, jf, k}} quadruples, or libpcap's error.
     *
     * @param instructions {@code 4 * n} values, null on error.
     * @param error        {@code pcap_geterr}'s text, null on success.
     */
    public record Compiled(int[] instructions, String error)
    {
    }

    /**
     * In-band: compiles {@code expression} for Ethernet frames cut to {@code snapLength}, optimised.
     *
     * @param expression a pcap-filter expression ({@code man pcap-filter}); empty accepts everything.
     * @param snapLength the capture's snap length (a {@code ret} returns at most it).
     * @return the program or libpcap's error text.
     * @throws UnsatisfiedLinkError when no libpcap is installed, naming the sonames looked for.
     */
    public static Compiled compile(final String expression, final int snapLength)
    {
        final Handles handles = Handles.get();
        synchronized (Handles.class)
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment pcap = (MemorySegment)handles.openDead.invokeExact(DLT_EN10MB, snapLength);
                if (MemorySegment.NULL.equals(pcap))
                {
                    return new Compiled(null, "pcap_open_dead failed");
                }
                try
                {
                    final MemorySegment program = arena.allocate(BPF_PROGRAM_LENGTH, 8);
                    final int rc = (int)handles.compile.invokeExact(
                        pcap, program, arena.allocateFrom(expression), 1, NETMASK_UNKNOWN);
                    if (rc != 0)
                    {
                        final MemorySegment text = ((MemorySegment)handles.geterr.invokeExact(pcap))
                            .reinterpret(ERROR_TEXT_MAX);
                        return new Compiled(null, text.getString(0));
                    }
                    final int length = program.get(JAVA_INT, 0);
                    final MemorySegment insns = program.get(ADDRESS, BPF_PROGRAM_INSNS_OFFSET)
                        .reinterpret(length * BPF_INSN_LENGTH);
                    final int[] out = new int[4 * length];
                    for (int i = 0; i < length; i++)
                    {
                        final long at = i * BPF_INSN_LENGTH;
                        out[4 * i] = insns.get(JAVA_SHORT, at) & 0xffff;
                        out[4 * i + 1] = insns.get(JAVA_BYTE, at + 2) & 0xff;
                        out[4 * i + 2] = insns.get(JAVA_BYTE, at + 3) & 0xff;
                        out[4 * i + 3] = insns.get(JAVA_INT, at + 4);
                    }
                    handles.freecode.invokeExact(program);
                    return new Compiled(out, null);
                }
                finally
                {
                    handles.close.invokeExact(pcap);
                }
            }
            catch (final RuntimeException | Error ex)
            {
                throw ex;
            }
            catch (final Throwable t) // invokeExact's checked signature; the handles throw nothing else
            {
                throw new IllegalStateException(t);
            }
        }
    }

    /**
     * Whether a libpcap can be loaded.
     *
     * @return true when {@link #compile} will not throw {@link UnsatisfiedLinkError}.
     */
    public static boolean isAvailable()
    {
        try
        {
            Handles.get();
            return true;
        }
        catch (final UnsatisfiedLinkError ex)
        {
            return false;
        }
    }

    // looked up once, on first use; a missing libpcap is retried on the next call (it may be installed meanwhile)
    private record Handles(
        MethodHandle openDead, MethodHandle compile, MethodHandle geterr, MethodHandle freecode, MethodHandle close)
    {
        private static volatile Handles instance;

        static Handles get()
        {
            Handles handles = instance;
            if (null == handles)
            {
                synchronized (Handles.class)
                {
                    handles = instance;
                    if (null == handles)
                    {
                        handles = load();
                        instance = handles;
                    }
                }
            }
            return handles;
        }

        private static Handles load()
        {
            final Linker linker = Linker.nativeLinker();
            for (final String soname : SONAMES)
            {
                final SymbolLookup lookup;
                try
                {
                    // the global arena: the library stays loaded for the process, as libc does
                    lookup = SymbolLookup.libraryLookup(soname, Arena.global());
                }
                catch (final IllegalArgumentException notFound)
                {
                    continue;
                }
                return new Handles(
                    linker.downcallHandle(find(lookup, "pcap_open_dead"), FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT)),
                    linker.downcallHandle(find(lookup, "pcap_compile"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT)),
                    linker.downcallHandle(find(lookup, "pcap_geterr"), FunctionDescriptor.of(ADDRESS, ADDRESS)),
                    linker.downcallHandle(find(lookup, "pcap_freecode"), FunctionDescriptor.ofVoid(ADDRESS)),
                    linker.downcallHandle(find(lookup, "pcap_close"), FunctionDescriptor.ofVoid(ADDRESS)));
            }
            throw new UnsatisfiedLinkError("libpcap not found (looked for " + String.join(", ", SONAMES) +
                "): install it (Debian: apt-get install libpcap0.8)");
        }

        private static MemorySegment find(final SymbolLookup lookup, final String name)
        {
            return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libpcap symbol not found: name=" + name));
        }
    }
}
