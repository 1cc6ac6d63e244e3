package org.oobnet.packet.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.Errno;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.LibC;
import org.oobnet.packet.ring.PacketRingOptions;
import org.oobnet.packet.ring.PacketRingSocket;
import org.oobnet.packet.ring.RingGeometry;
import org.oobnet.packet.ring.TxRing;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stage's TX-ring kick against the same kick from C ({@code bench/kick_overhead.c}, run by
 * {@code bench/kick-overhead.sh} in the same session): the same ring geometry, socket options and 64-byte frames.
 * <ul>
 * <li>{@code kickEmpty}: {@code send(fd, NULL, 0, MSG_DONTWAIT)} with nothing committed, through the stage's
 * downcall ({@code LibC.sendQuiet}): the system call and the downcall alone;</li>
 * <li>{@code kickFrame}: one frame per kick through {@link TxRing}: claim, copy, commit, flush, as a stage's
 * handler and its cycle do;</li>
 * <li>{@code kickFrameBare}: the same frame and kick written as the C loop is, straight on the mapped ring (status
 * spin, copy, {@code tp_len}, release store, kick): no flyweights, counters or back-off. Against {@code kickFrame}
 * it separates what TxRing's bookkeeping costs from what the JVM costs at all;</li>
 * <li>{@code kickFrameBareCounted}: the bare loop plus the three counter updates TxRing makes for a frame and its
 * kick before the system call ({@code frames out}, {@code bytes out}, {@code tx kicks}), on the socket's counters.</li>
 * </ul>
 * The interface is {@code lo} unless {@code -Dkick.interface=NAME}; the frames' EtherType (0x88B6) has no socket on
 * it, so the kernel drops each after its receive path, inside the kick. Needs root ({@code AF_PACKET}).
 * <p>
 * Not a test: run it by hand, see BENCHMARKS.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens",
    "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class TxKickBenchmark
{
    private static final int FRAME_LENGTH = 64;
    private static final int ETHER_TYPE = 0x88B6;

    private static final int SEND_REQUEST = 1; // TP_STATUS_SEND_REQUEST
    private static final int BUSY = 1 | 2; // SEND_REQUEST | SENDING

    private PacketRingSocket socket;
    private TxRing tx;
    private int fd;
    private final UnsafeBuffer ring = new UnsafeBuffer(0, 0);
    private int frameSize;
    private int frameCount;
    private int bareIndex;
    private PacketCounters counters;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);

    /**
     * Opens the TX ring socket, as oob-packet's ports do (TPACKET_V2, qdisc bypass, {@code PACKET_LOSS}), bound to
     * EtherType 0: it receives nothing.
     *
     * @throws Exception when the socket cannot be opened.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        socket = PacketRingSocket.open(new PacketRingOptions()
            .interfaceName(System.getProperty("kick.interface", "lo"))
            .etherType(0)
            .rxRing(2048, 2, 4096)
            .txRing(2048, 64, 4096)
            .qdiscBypass(true));
        tx = socket.tx();
        fd = socket.fd();
        counters = socket.counters();
        final MemorySegment txRing = socket.mapping().txRing();
        ring.wrap(txRing.address(), (int)txRing.byteSize());
        frameSize = socket.mapping().txGeometry().frameSize();
        frameCount = socket.mapping().txGeometry().frameCount();
        frame.putShort(12, (short)ETHER_TYPE, java.nio.ByteOrder.BIG_ENDIAN);
    }

    /** Closes the socket. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        socket.close();
    }

    /**
     * The kick's system call with nothing committed.
     *
     * @return its result, 0.
     */
    @Benchmark
    public long kickEmpty()
    {
        return LibC.sendQuiet(fd, MemorySegment.NULL, 0, SocketConstants.MSG_DONTWAIT);
    }

    /**
     * One frame through the TX ring and its kick.
     *
     * @return frames kicked, 1.
     */
    @Benchmark
    public int kickFrame()
    {
        while (-Errno.EWOULDBLOCK == tx.claim(FRAME_LENGTH))
        {
            Thread.onSpinWait(); // the kernel has not given the frame back yet
        }
        tx.buffer().putBytes(0, frame, 0, FRAME_LENGTH);
        tx.commit(FRAME_LENGTH);
        return tx.flush();
    }

    /**
     * One frame and its kick on the mapped ring directly, as {@code kick_overhead.c} does it (frames laid out
     * contiguously: 2048-byte frames in 4096-byte blocks).
     *
     * @return the kick's result, 64.
     */
    @Benchmark
    public long kickFrameBare()
    {
        commitBareFrame();
        return LibC.sendQuiet(fd, MemorySegment.NULL, 0, SocketConstants.MSG_DONTWAIT);
    }

    /**
     * {@link #kickFrameBare} with TxRing's three counter updates before the kick.
     *
     * @return the kick's result, 64.
     */
    @Benchmark
    public long kickFrameBareCounted()
    {
        commitBareFrame();
        counters.increment(PacketCounter.FRAMES_OUT);
        counters.add(PacketCounter.BYTES_OUT, FRAME_LENGTH);
        counters.increment(PacketCounter.TX_KICKS);
        return LibC.sendQuiet(fd, MemorySegment.NULL, 0, SocketConstants.MSG_DONTWAIT);
    }

    // the next frame, once the kernel gave it back: the frame's bytes, tp_len, then SEND_REQUEST with a release store
    private void commitBareFrame()
    {
        final int frameOffset = bareIndex * frameSize;
        while ((ring.getIntVolatile(frameOffset) & BUSY) != 0)
        {
            Thread.onSpinWait();
        }
        ring.putBytes(frameOffset + RingGeometry.TX_DATA_OFFSET, frame, 0, FRAME_LENGTH);
        ring.putInt(frameOffset + 4, FRAME_LENGTH); // tp_len
        ring.putIntRelease(frameOffset, SEND_REQUEST);
        bareIndex = bareIndex + 1 == frameCount ? 0 : bareIndex + 1;
    }
}
