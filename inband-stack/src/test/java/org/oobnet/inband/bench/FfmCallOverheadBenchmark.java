package org.oobnet.inband.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.oobnet.inband.KSocket;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
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

import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;

/**
 * Per-call cost of the FFM sys layer against the same calls from C ({@code bench/ffm_overhead.c}, run by
 * {@code bench/ffm-overhead.sh} in the same session): {@code getpagesize} (a libc call without a system call:
 * the downcall's own cost), {@code getpid} and an empty {@code recv(MSG_DONTWAIT)} on a bound UDP socket,
 * through the plain downcall, the critical downcall, and {@code KSocket.tryRecv}.
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
public class FfmCallOverheadBenchmark
{
    private Arena arena;
    private ErrnoCapture errno;
    private MemorySegment buffer;
    private KSocket socket;
    private int fd;

    /**
     * Opens the UDP socket the receive benchmarks poll.
     *
     * @throws Exception when the socket cannot be made.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        arena = Arena.ofConfined();
        errno = new ErrnoCapture(arena);
        buffer = arena.allocate(64);
        socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        fd = socket.fd();
    }

    /**
     * Closes the socket.
     *
     * @throws Exception when closing fails.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        socket.close();
        arena.close();
    }

    /**
     * {@code getpagesize} (no system call) through a plain downcall: the downcall's own cost.
     *
     * @return the page size.
     */
    @Benchmark
    public int pagesizeFfm()
    {
        return LibC.getpagesize(errno);
    }

    /**
     * {@code getpagesize} through a critical downcall.
     *
     * @return the page size.
     */
    @Benchmark
    public int pagesizeFfmCritical()
    {
        return LibC.getpagesizeCritical(errno);
    }

    /**
     * {@code getpid} through a plain downcall with errno capture.
     *
     * @return the pid.
     */
    @Benchmark
    public int getpidFfm()
    {
        return LibC.getpid(errno);
    }

    /**
     * {@code getpid} through a critical downcall (no thread-state transition).
     *
     * @return the pid.
     */
    @Benchmark
    public int getpidFfmCritical()
    {
        return LibC.getpidCritical(errno);
    }

    /**
     * Empty {@code recv(MSG_DONTWAIT)} through a plain downcall: {@code -EAGAIN}.
     *
     * @return {@code -EAGAIN}.
     */
    @Benchmark
    public long recvEmptyFfm()
    {
        return LibC.recv(errno, fd, buffer, 64, MSG_DONTWAIT);
    }

    /**
     * Empty {@code recv(MSG_DONTWAIT)} through a critical downcall.
     *
     * @return {@code -EAGAIN}.
     */
    @Benchmark
    public long recvEmptyFfmCritical()
    {
        return LibC.recvCritical(errno, fd, buffer, 64, MSG_DONTWAIT);
    }

    /**
     * Empty receive through {@code KSocket.tryRecv}: reference count around a plain downcall.
     *
     * @return {@code -EAGAIN}.
     */
    @Benchmark
    public long recvEmptyKSocketTry()
    {
        return socket.tryRecv(buffer, MSG_DONTWAIT);
    }
}
