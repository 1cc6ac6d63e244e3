package org.oobnet.harness.bench.mcast;

import org.oobnet.core.RealtimeNanoClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.udp.transport.KernelBusyPollTransport;

/**
 * {@code oobnet mcast send}: publishes {@link McastPayload}s (sequence, send time) to a group at a rate, through an
 * OOB UDP socket (the stage frames them on the interface's TX ring) or a kernel socket.
 * <p>
 * <b>Note:</b> in-band; the pacing thread is the caller's. Runs in the calling thread's network namespace.
 */
public final class McastSend
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    // below this much time to the next send the pacer spins, above it parks
    private static final long SPIN_NS = 50_000;
    // the kernel path's sendmmsg batch, its socket's send buffer, and how long the last batch may take to go out
    private static final int KERNEL_BATCH = 64;
    private static final int KERNEL_SNDBUF = 4 << 20;
    private static final long DRAIN_NS = 2_000_000_000L;

    /**
     * What to send.
     *
     * @param interfaceName the interface, or null for the route's.
     * @param target        the group and port.
     * @param oob           through the OOB path (else the kernel).
     * @param rate          datagrams per second.
     * @param count         how many, 0 for no limit.
     * @param durationNs    at most this long.
     * @param size          payload bytes, at least {@link McastPayload#LENGTH}.
     * @param ttl           {@code IP_MULTICAST_TTL}.
     */
    public record Options(String interfaceName, McastEndpoints.GroupPort target, boolean oob, int rate, long count,
        long durationNs, int size, int ttl)
    {
    }

    private final Options options;
    private final RealtimeNanoClock clock = new RealtimeNanoClock();
    private McastEndpoints.Interface nif;
    private long sent;
    private long retries;
    private long refused;
    private long fastSends;
    private long elapsedNs;
    // kernel path: the most the pacer fell behind its schedule
    private long maxLagNs;

    public McastSend(final Options options)
    {
        this.options = options;
    }

    public McastSend run() throws Exception
    {
        nif = McastEndpoints.resolve(options.interfaceName(), options.target().group());
        if (options.oob())
        {
            runOob();
        }
        else
        {
            runKernel();
        }
        return this;
    }

    public void report(final PrintWriter out, final Path json) throws IOException
    {
        out.printf("mcast send: %d datagrams of %d bytes to %s via %s in %.1f s (%.0f/s)%s%n", sent, options.size(),
            options.target(), options.oob() ? "oob" : "kernel", elapsedNs / 1e9, sent / Math.max(elapsedNs / 1e9, 1e-9),
            options.oob() ? " fast-path=" + fastSends + " ring-full-retries=" + retries :
            String.format(" (sendmmsg batches of up to %d, at most %.3f ms behind schedule)", KERNEL_BATCH,
                maxLagNs / 1e6));
        if (refused > 0)
        {
            out.printf("  refused: %d%n", refused);
        }
        out.flush();
        if (null != json)
        {
            final ObjectNode root = JSON.createObjectNode();
            root.put("interface", nif.name());
            root.put("group", options.target().toString());
            root.put("path", options.oob() ? "oob" : "kernel");
            root.put("sent", sent);
            root.put("refused", refused);
            root.put("elapsed_ns", elapsedNs);
            if (!options.oob())
            {
                root.put("max_lag_ns", maxLagNs);
            }
            JSON.writeValue(json.toFile(), root);
        }
    }

    long sent()
    {
        return sent;
    }

    private void runOob() throws Exception
    {
        final UdpStack stack = UdpStack.open(UdpStackConfig.of(UdpTransport.PACKET, nif.name()));
        OobRuntime runtime = null;
        KSocket socket = null;
        try
        {
            final ProtocolRegistry registry = new ProtocolRegistry();
            registry.register(SocketConstants.AF_INET, stack.protocol());
            runtime = OobRuntime.start(OobConfig.builder().idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(Files.createTempDirectory("oobnet-mcast")).build(), registry);
            socket = UdpSockets.open(UdpTransport.PACKET);
            socket.bind(new InetSocketAddress(McastEndpoints.inet(nif.address()), 0));
            final java.lang.foreign.MemorySegment address = java.lang.foreign.Arena.ofAuto().allocate(4, 4);
            address.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0,
                nif.address());
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_IF, address);
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_TTL, options.ttl());
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_LOOP, 0);
            final OobSocket oob = OobSocket.of(socket);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[options.size()]);
            pace(sequence ->
            {
                McastPayload.write(payload, 0, sequence, clock.nanoTime());
                int rc;
                while (-Errno.EWOULDBLOCK == (rc = UdpSockets.sendTo(oob, options.target().group(),
                    options.target().port(), payload, 0, options.size())))
                {
                    retries++;
                    Thread.onSpinWait();
                }
                return rc;
            });
            // what the send ring still holds goes out before the socket closes
            final long drainDeadline = System.nanoTime() + 2_000_000_000L;
            while (UdpSockets.state(oob).fastSends() + UdpSockets.state(oob).inbandSends() < sent &&
                System.nanoTime() - drainDeadline < 0)
            {
                LockSupport.parkNanos(1_000_000);
            }
            fastSends = UdpSockets.state(oob).fastSends();
        }
        finally
        {
            if (null != socket)
            {
                socket.close();
            }
            if (null != runtime)
            {
                runtime.close();
            }
            stack.close();
        }
    }

    // A plain kernel UDP socket fed by the kernel busy-poll transport's batches: each pacing step queues every
    // datagram due by now (at most a batch) and sends them with one sendmmsg, so that 100k/s costs ~10k syscalls/s
    // instead of the 100k of one send per datagram
    private void runKernel() throws Exception
    {
        try (KSocket socket = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0))
        {
            final java.lang.foreign.MemorySegment address = java.lang.foreign.Arena.ofAuto().allocate(4, 4);
            address.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0,
                nif.address());
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_IF, address);
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_TTL, options.ttl());
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_LOOP, 0);
            socket.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_SNDBUF, KERNEL_SNDBUF);
            socket.bind(new InetSocketAddress(McastEndpoints.inet(nif.address()), 0));
            try (KernelBusyPollTransport batches = new KernelBusyPollTransport(socket.fd(), KERNEL_BATCH,
                options.size()))
            {
                final UnsafeBuffer record = new UnsafeBuffer(new byte[UdpAddressHeader.LENGTH + options.size()]);
                UdpAddressHeader.write(record, 0, options.target().group(), options.target().port());
                paceBatches(batches, record);
                refused = batches.sendErrorCount();
            }
        }
    }

    private void paceBatches(final KernelBusyPollTransport batches, final UnsafeBuffer record)
    {
        final long periodNs = 1_000_000_000L / options.rate();
        final long start = System.nanoTime();
        final long deadline = start + options.durationNs();
        final long limit = 0 == options.count() ? Long.MAX_VALUE : options.count();
        long sequence = 0;
        while (true)
        {
            final long now = System.nanoTime();
            final boolean over = sequence >= limit || now - deadline >= 0;
            if (over && 0 == batches.pending())
            {
                break;
            }
            // what is due by now, a batch at most; the rest goes with the next steps at once (no sleep)
            final long due = over ? sequence : Math.min(limit, (now - start) / periodNs + 1);
            if (sequence < due)
            {
                // how late the oldest datagram due goes out: a steady rate keeps this near the pacing step
                maxLagNs = Math.max(maxLagNs, now - (start + sequence * periodNs));
            }
            while (sequence < due && batches.pending() < KERNEL_BATCH)
            {
                McastPayload.write(record, UdpAddressHeader.LENGTH, sequence, clock.nanoTime());
                batches.queue(record, 0, record.capacity());
                sequence++;
            }
            batches.flush();
            if (over && System.nanoTime() - deadline > DRAIN_NS)
            {
                break;
            }
            if (sequence >= due && 0 == batches.pending())
            {
                final long next = start + sequence * periodNs;
                final long wait = next - System.nanoTime();
                if (wait > 0)
                {
                    LockSupport.parkNanos(wait);
                }
            }
            else if (batches.pending() > 0)
            {
                // the socket's buffer is full: the device frees it within microseconds
                Thread.yield();
            }
        }
        sent = batches.acceptedCount();
        retries = batches.pending();
        elapsedNs = System.nanoTime() - start;
    }

    private interface Sender
    {
        int send(long sequence) throws IOException;
    }

    private void pace(final Sender sender) throws IOException
    {
        final long periodNs = 1_000_000_000L / options.rate();
        final long start = System.nanoTime();
        final long deadline = start + options.durationNs();
        long sequence = 0;
        while (0 == options.count() || sequence < options.count())
        {
            final long due = start + sequence * periodNs;
            long now;
            while ((now = System.nanoTime()) - due < 0)
            {
                if (due - now > SPIN_NS)
                {
                    LockSupport.parkNanos(due - now - SPIN_NS);
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
            if (now - deadline >= 0)
            {
                break;
            }
            if (sender.send(sequence) < 0)
            {
                refused++;
            }
            else
            {
                sent++;
            }
            sequence++;
        }
        elapsedNs = System.nanoTime() - start;
    }
}
