package org.oobnet.udp.frag;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.ReassemblyConfig;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.frame.UdpDropCounters;
import org.oobnet.udp.frame.UdpFrameBuilder;
import org.oobnet.udp.frame.UdpFrameParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one fragmented datagram on the stage against the same datagram unfragmented, in one run: receive side,
 * parse every 1500-MTU fragment, reassemble, parse the whole datagram (UDP checksum verified), against parsing
 * the same datagram as one frame; send side, build the datagram and cut it into fragments, against building it as
 * one frame. Delivery to a socket is the same for both and left out.
 * <p>
 * Not a test: run it by hand, see BENCHMARKS.md ("IPv4 reassembly").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens",
    "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ReassemblyBenchmark
{
    private static final int MTU = 1500;

    /** UDP payload bytes. */
    @Param({ "2000", "9000", "60000" })
    public int size;

    private final UdpFrameParser parser = new UdpFrameParser(true);
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final UdpFrameBuilder builder = new UdpFrameBuilder()
        .macs(0x0200_0000_0001L, 0x0200_0000_0002L)
        .source(Ipv4Flyweight.parseAddress("10.251.0.1"), 4000)
        .destination(Ipv4Flyweight.parseAddress("10.251.0.2"), 5000)
        .dontFragment(false);
    private Ipv4Reassembler reassembler;
    private UnsafeBuffer payload;
    private UnsafeBuffer whole;
    private int wholeLength;
    private UnsafeBuffer[] fragments;
    private UnsafeBuffer txFrame;
    private int chunk;

    /**
     * Builds the datagram whole and as fragments.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        reassembler = new Ipv4Reassembler(ReassemblyConfig.DEFAULTS, new UdpDropCounters());
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)(i * 131);
        }
        payload = new UnsafeBuffer(bytes);
        whole = new UnsafeBuffer(new byte[Ipv4Fragmenter.DATAGRAM_ROOM]);
        wholeLength = builder.write(whole, 0, payload, 0, size);
        chunk = Ipv4Fragmenter.fragmentPayloadBytes(MTU, Ipv4Flyweight.MIN_HEADER_LENGTH);
        fragments = new UnsafeBuffer[Ipv4Fragmenter.fragmentCount(8 + size, chunk)];
        for (int i = 0; i < fragments.length; i++)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[14 + MTU]);
            fragments[i] = new UnsafeBuffer(frame, 0, fragmenter.writeFragment(whole, 0, 14, i, chunk, frame, 0));
        }
        txFrame = new UnsafeBuffer(new byte[Ipv4Fragmenter.DATAGRAM_ROOM]);
    }

    /**
     * @return the payload length delivered.
     */
    @Benchmark
    public int receiveFragmented()
    {
        int slot = Ipv4Reassembler.NOT_COMPLETE;
        for (final UnsafeBuffer fragment : fragments)
        {
            if (DropReason.FRAGMENT == parser.parse(fragment, 0, fragment.capacity()))
            {
                slot = reassembler.onFragment(fragment, 0, parser, true);
            }
        }
        final DropReason reason = parser.parse(reassembler.buffer(), reassembler.frameOffset(slot),
            reassembler.frameLength(slot));
        reassembler.release(slot);
        return DropReason.NONE == reason ? parser.payloadLength() : -1;
    }

    /**
     * @return the payload length delivered.
     */
    @Benchmark
    public int receiveWhole()
    {
        return DropReason.NONE == parser.parse(whole, 0, wholeLength) ? parser.payloadLength() : -1;
    }

    /**
     * @return bytes written to the TX frames.
     */
    @Benchmark
    public int sendFragmented()
    {
        builder.write(fragmenter.datagram(), 0, payload, 0, size);
        fragmenter.stampId(fragmenter.datagram(), 14);
        int bytes = 0;
        for (int i = 0; i < fragments.length; i++)
        {
            bytes += fragmenter.writeFragment(fragmenter.datagram(), 0, 14, i, chunk, txFrame, 0);
        }
        return bytes;
    }

    /**
     * @return bytes written to the TX frame.
     */
    @Benchmark
    public int sendWhole()
    {
        return builder.write(txFrame, 0, payload, 0, size);
    }
}
