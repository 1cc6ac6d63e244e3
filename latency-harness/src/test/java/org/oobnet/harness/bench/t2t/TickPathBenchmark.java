package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.moldudp64.DownstreamPacketBuilder;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64Handler;
import org.oobnet.moldudp64.MoldUdp64Receiver;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;
import org.oobnet.moldudp64.stage.MoldUdp64Record;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.demux.DemuxTable;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.UdpFlyweight;
import org.oobnet.udp.frame.UdpFrameBuilder;
import org.oobnet.udp.frame.UdpFrameParser;
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
 * The user-side work of one tick on the stage trader's way in, from an Ethernet frame already in memory to the
 * strategy's order, with the classes the stage runs: oob-udp's {@link UdpFrameParser} and {@link DemuxTable}
 * (the multicast group's members, as {@code PacketPort} delivers a group datagram), the record written over the UDP
 * header, moldudp64's {@link MoldUdp64Receiver} (arbitration of one line), the feed socket's record
 * ({@link MoldUdp64Record}, written and copied as {@code FeedSubscription} does), {@link StageTrader.FeedRecords} and
 * {@link TickAnswer} (the strategy, its stamps and sample), the order's send a no-op returning its length.
 * <p>
 * <b>A benchmark of our code, not a model of the kernel</b>: no ring, no system call on the tick's way. Not in it:
 * the two {@code OobSocket.deliver} calls (the stage-thread check, the sockets' counters in the counters file, the
 * {@code OOBDATA} event), the port's ring-status read and drop counters, the group filter, {@code StageHops}. Two
 * variants put the one system call the stage makes between ticks in front of each tick:
 * <ul>
 * <li>{@code tick}: the tick alone, back to back: the code with its pages and lines hot;</li>
 * <li>{@code recvEmpty}: {@code recv(fd, buf, 64, MSG_DONTWAIT)} on an empty UDP socket ({@code -EAGAIN}), as the
 * stage's quiet order connection is received from every {@code --order-receive-interval};</li>
 * <li>{@code recvThenTick}: both; less {@code recvEmpty}, it is the tick after a system call: on a kernel with
 * page-table isolation and no PCID every system call flushes the TLB, so each page the tick touches is walked
 * again (BENCHMARKS.md "Session 14 - the kick alone");</li>
 * <li>{@code tickTimed}, {@code recvThenTickTimed}: the same two, the tick timed inside and kept in a histogram
 * printed at the end ({@code timed ...} lines), so that the system call's spread between runs (±100 ns, ten times
 * the tick's) does not decide the difference; {@code recvThenUdpTimed}, {@code recvThenFeedTimed}: the tick after a
 * system call split at the line socket's handler: the port's share (parse, the record header, the demultiplexing)
 * and the rest (the receiver, the record, the strategy);</li>
 * <li>{@code recvThenClockTimed}: the two clock reads alone after a system call; {@code recvThenCounterPagesTimed}:
 * one counter increment on each of two pages of a mapped file, as {@code OobSocket.deliver} counted the line socket's
 * and the feed socket's messages in the counters file before their handlers ran.</li>
 * </ul>
 * Not a test: run it by hand, see BENCHMARKS.md "Session 15 - the stage's tick side step by step".
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens",
    "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseTransparentHugePages", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class TickPathBenchmark
{
    private static final int GROUP = 0xEFFB1001; // 239.251.16.1, the exchange's feed group
    private static final int FEED_PORT = 31_001;
    private static final int EXCHANGE = 0x0AFB0001;
    private static final int PORT_OFFSET_IN_FRAME = 0; // the frame starts at a slot's start, as in the ring
    private static final int COUNTER_PAGE = 4096;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer pristineUdpHeader = new UnsafeBuffer(new byte[UdpFlyweight.HEADER_LENGTH]);
    private final UdpFrameParser parser = new UdpFrameParser();
    private final DemuxTable<Integer> demux = new DemuxTable<>();
    private final UnsafeBuffer record =
        new UnsafeBuffer(new byte[MoldUdp64Record.HEADER_LENGTH + MoldUdp64Descriptor.MAX_PACKET_LENGTH]);
    private Arena arena;
    private int frameLength;
    private int udpHeaderOffset;
    private int sequenceOffset;
    private int feedOffset;
    private int feedLength;
    private long sequence;
    private MoldUdp64Receiver receiver;
    private StageTrader.FeedRecords records;
    private TickAnswer answer;
    private LineVisitor line;
    private int fd = -1;
    // the timed variants' inner times (recordValue allocates nothing within the range)
    private final Histogram hot = new Histogram(10_000_000L, 2);
    private final Histogram afterRecv = new Histogram(10_000_000L, 2);
    private final Histogram udpAfterRecv = new Histogram(10_000_000L, 2);
    private final Histogram feedAfterRecv = new Histogram(10_000_000L, 2);
    private final Histogram clockAfterRecv = new Histogram(10_000_000L, 2);
    private final Histogram countersAfterRecv = new Histogram(10_000_000L, 2);
    // two pages of a mapped file, as the counters file's
    private final UnsafeBuffer counters = new UnsafeBuffer(new byte[0]);
    private Path countersFile;
    private long recvBuffer;

    /** In-band: the frame as the exchange sends a tick, the receiver, the strategy and an empty UDP socket. */
    @Setup(Level.Trial)
    public void setUp()
    {
        arena = Arena.ofShared();
        // page-aligned native memory, as a ring slot is
        final MemorySegment slot = arena.allocate(2048, 4096);
        frame.wrap(slot.address(), 2048);
        final UnsafeBuffer tick = new UnsafeBuffer(new byte[T2tMessages.TICK_LENGTH]);
        T2tMessages.putTick(tick, T2tMessages.MEASURED, T2tMessages.priceOf(1));
        final UdpFrameBuilder builder = new UdpFrameBuilder().macs(0x02_00_00_00_00_01L, 0x01_00_5E_7B_10_01L)
            .source(EXCHANGE, 40_000).destination(GROUP, FEED_PORT);
        final int payloadOffset = PORT_OFFSET_IN_FRAME + builder.headerLength();
        final DownstreamPacketBuilder packet = new DownstreamPacketBuilder();
        final UnsafeBuffer session = new UnsafeBuffer("T2TSESSION".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        packet.start(frame, payloadOffset, 1400, session, 0, 1);
        packet.tryAppend(tick, 0, tick.capacity());
        frameLength = builder.write(frame, PORT_OFFSET_IN_FRAME, packet.length());
        udpHeaderOffset = payloadOffset - UdpFlyweight.HEADER_LENGTH;
        pristineUdpHeader.putBytes(0, frame, udpHeaderOffset, UdpFlyweight.HEADER_LENGTH);
        sequenceOffset = payloadOffset + MoldUdp64Descriptor.SEQUENCE_OFFSET;
        feedOffset = payloadOffset;
        feedLength = packet.length();
        sequence = 1;

        answer = new TickAnswer(new org.oobnet.core.RealtimeNanoClock(), new StageSamples(StageSamples.DEFAULT_CAPACITY),
            new TickStamps(1 << 20, TickStamps.TRADER_COLUMNS), new org.oobnet.core.RealtimeNanoClock(), true);
        answer.sender((buffer, offset, length) -> length);
        records = new StageTrader.FeedRecords(answer, 0L);
        receiver = new MoldUdp64Receiver(MoldUdp64ReceiverConfig.defaults(1), new FeedRecord(), (b, o, l) -> true);
        line = new LineVisitor();
        demux.bind(DemuxTable.ANY_ADDRESS, FEED_PORT, 0, true);

        final ErrnoCapture errno = new ErrnoCapture();
        fd = LibC.socket(errno, SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IllegalStateException("socket: errno " + -fd);
        }
        recvBuffer = arena.allocate(64, 64).address();
        try (FileChannel channel = FileChannel.open(countersFile = Files.createTempFile("tick-path", ".counters"),
            StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            counters.wrap(channel.map(FileChannel.MapMode.READ_WRITE, 0, 2 * COUNTER_PAGE, arena).address(),
                2 * COUNTER_PAGE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** In-band. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (fd >= 0)
        {
            LibC.close(new ErrnoCapture(), fd);
        }
        arena.close();
        countersFile.toFile().delete();
    }

    /** @return the order's sequence: one tick, frame to order. */
    @Benchmark
    public long tick()
    {
        return oneTick();
    }

    /** @return the errno: the stage's empty receive alone. */
    @Benchmark
    public long recvEmpty()
    {
        return LibC.recvAtQuiet(fd, recvBuffer, 64, SocketConstants.MSG_DONTWAIT);
    }

    /** @return both: the tick right after a system call. */
    @Benchmark
    public long recvThenTick()
    {
        return LibC.recvAtQuiet(fd, recvBuffer, 64, SocketConstants.MSG_DONTWAIT) + oneTick();
    }

    /**
     * @return the errno: the tick right after a system call, the tick alone timed inside (its own histogram,
     *         printed at the end): the system call's run-to-run spread, ten times the tick's, stays out of it.
     */
    @Benchmark
    public long recvThenTickTimed()
    {
        final long rc = LibC.recvAtQuiet(fd, recvBuffer, 64, SocketConstants.MSG_DONTWAIT);
        final long startNs = System.nanoTime();
        oneTick();
        record(afterRecv, System.nanoTime() - startNs);
        return rc;
    }

    /** @return the order's count: the tick alone, timed inside as {@link #recvThenTickTimed} times it. */
    @Benchmark
    public long tickTimed()
    {
        final long startNs = System.nanoTime();
        final long sent = oneTick();
        record(hot, System.nanoTime() - startNs);
        return sent;
    }

    /**
     * @return the errno: after a system call, the port's share alone (parse, record header, demultiplexing to the
     *         members), timed inside.
     */
    @Benchmark
    public long recvThenUdpTimed()
    {
        final long rc = LibC.recvAtQuiet(fd, recvBuffer, 64, SocketConstants.MSG_DONTWAIT);
        final long startNs = System.nanoTime();
        frame.putBytes(udpHeaderOffset, pristineUdpHeader, 0, UdpFlyweight.HEADER_LENGTH);
        final UdpFrameParser parser = this.parser;
        if (DropReason.NONE != parser.parse(frame, PORT_OFFSET_IN_FRAME, frameLength, false))
        {
            throw new IllegalStateException("frame not parsed");
        }
        final int recordOffset = parser.payloadOffset() - UdpFlyweight.HEADER_LENGTH;
        UdpAddressHeader.write(frame, recordOffset, parser.srcAddress(), parser.srcPort());
        final int members = demux.forEachMember(parser.dstAddress(), parser.dstPort(), member -> { });
        record(udpAfterRecv, System.nanoTime() - startNs);
        return rc + members;
    }

    /**
     * @return the errno: after a system call, the line socket's handler on (the receiver, the record, the strategy),
     *         the datagram already parsed, timed inside.
     */
    @Benchmark
    public long recvThenFeedTimed()
    {
        final long rc = LibC.recvAtQuiet(fd, recvBuffer, 64, SocketConstants.MSG_DONTWAIT);
        final long startNs = System.nanoTime();
        frame.putLong(sequenceOffset, ++sequence, ByteOrder.BIG_ENDIAN);
        receiver.onPacket(0, frame, feedOffset, feedLength, 1L, 0L);
        record(feedAfterRecv, System.nanoTime() - startNs);
        return rc;
    }

    /** @return the errno: after a system call, nothing between the two clock reads: their own cost. */
    @Benchmark
    public long recvThenClockTimed()
    {
        final long rc = LibC.recvAtQuiet(fd, recvBuffer, 64, SocketConstants.MSG_DONTWAIT);
        final long startNs = System.nanoTime();
        record(clockAfterRecv, System.nanoTime() - startNs);
        return rc;
    }

    /**
     * @return the errno: after a system call, one counter increment on each of two pages of a mapped file, as a
     *         delivery counted its line socket's and its feed socket's {@code packets in} in the counters file
     *         before their handlers ran.
     */
    @Benchmark
    public long recvThenCounterPagesTimed()
    {
        final long rc = LibC.recvAtQuiet(fd, recvBuffer, 64, SocketConstants.MSG_DONTWAIT);
        final long startNs = System.nanoTime();
        final UnsafeBuffer counters = this.counters;
        counters.putLongRelease(0, counters.getLong(0) + 1);
        counters.putLongRelease(COUNTER_PAGE, counters.getLong(COUNTER_PAGE) + 1);
        record(countersAfterRecv, System.nanoTime() - startNs);
        return rc;
    }

    /** In-band: the timed variants' percentiles (ns, one clock read's cost included). */
    @TearDown(Level.Trial)
    public void printTimed()
    {
        print("tickTimed", hot);
        print("recvThenTickTimed", afterRecv);
        print("recvThenUdpTimed", udpAfterRecv);
        print("recvThenFeedTimed", feedAfterRecv);
        print("recvThenClockTimed", clockAfterRecv);
        print("recvThenCounterPagesTimed", countersAfterRecv);
    }

    // a preemption longer than the histogram's range (the machine is shared) counts as its highest value
    private static void record(final Histogram histogram, final long ns)
    {
        histogram.recordValue(Math.min(ns, histogram.getHighestTrackableValue()));
    }

    private static void print(final String name, final Histogram histogram)
    {
        if (histogram.getTotalCount() > 0)
        {
            System.out.printf("%ntimed %s: n=%d p10=%d p50=%d p90=%d p99=%d ns%n", name, histogram.getTotalCount(),
                histogram.getValueAtPercentile(10), histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99));
        }
    }

    // what the port, the line socket's handler, the receiver and the feed socket's handler do with one tick's frame
    private long oneTick()
    {
        // the next tick: a new sequence number, and the UDP header the previous delivery wrote its record over
        frame.putLong(sequenceOffset, ++sequence, ByteOrder.BIG_ENDIAN);
        frame.putBytes(udpHeaderOffset, pristineUdpHeader, 0, UdpFlyweight.HEADER_LENGTH);
        final UdpFrameParser parser = this.parser;
        if (DropReason.NONE != parser.parse(frame, PORT_OFFSET_IN_FRAME, frameLength, false))
        {
            throw new IllegalStateException("frame not parsed");
        }
        final int recordOffset = parser.payloadOffset() - UdpFlyweight.HEADER_LENGTH;
        UdpAddressHeader.write(frame, recordOffset, parser.srcAddress(), parser.srcPort());
        line.offset = recordOffset;
        line.length = UdpAddressHeader.LENGTH + parser.payloadLength();
        demux.forEachMember(parser.dstAddress(), parser.dstPort(), line);
        return answer.sent();
    }

    // the line socket's stage handler (StageFeedReceiver's LineHandler): the datagram to the receiver
    private final class LineVisitor implements DemuxTable.MemberVisitor<Integer>
    {
        int offset;
        int length;

        @Override
        public void visit(final Integer member)
        {
            receiver.onPacket(0, frame, offset + UdpAddressHeader.LENGTH, length - UdpAddressHeader.LENGTH,
                1L, 0L);
        }
    }

    // the feed socket (FeedSubscription.onMessage): the message as a record, handed to the strategy's handler
    private final class FeedRecord implements MoldUdp64Handler
    {
        @Override
        public void onMessage(
            final long sequence, final DirectBuffer buffer, final int offset, final int length, final int line,
            final long rxTimestampNs)
        {
            records.onMessage(null, record, 0,
                MoldUdp64Record.writeMessage(record, line, sequence, rxTimestampNs, buffer, offset, length));
        }

        @Override
        public void onLost(final long fromSequence, final long count)
        {
            throw new IllegalStateException("lost " + count + " from " + fromSequence);
        }

        @Override
        public void onSession(final DirectBuffer session, final int offset, final long nextSequence)
        {
        }

        @Override
        public void onEndOfSession(final long nextSequence)
        {
        }
    }
}
