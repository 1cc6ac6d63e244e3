package org.oobnet.example.quickstart;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.counters.SocketCounters;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;

/**
 * The getting-started UDP application: an OOB UDP socket whose datagrams are received on the OOB stage and echoed
 * back to their senders from the stage, then the socket's counters, then a clean close.
 * <p>
 * {@code java <flags> -cp ... org.oobnet.example.quickstart.UdpEcho INTERFACE ADDRESS PORT packet|kernel COUNT}
 * echoes COUNT datagrams (or stops after 60 s) and prints {@code READY address:port} once it listens.
 * <p>
 * <b>Note:</b> {@code main} is in-band; {@link EchoHandler#onMessage} runs on the stage.
 */
public final class UdpEcho
{
    private UdpEcho()
    {
    }

    /**
     * @param args interface, bind address, port (0: any), transport ({@code packet} or {@code kernel}), count.
     * @throws Exception when the interface, address or socket cannot be set up (the message says which).
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 5)
        {
            System.err.println("usage: UdpEcho INTERFACE ADDRESS PORT packet|kernel COUNT");
            System.exit(2);
        }
        final String interfaceName = args[0];
        final InetSocketAddress bind = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        final UdpTransport transport = "packet".equals(args[3]) ? UdpTransport.PACKET : UdpTransport.KERNEL;
        final long count = Long.parseLong(args[4]);
        final Path countersDir = Files.createTempDirectory("oobnet-quickstart");

        // tag::start[]
        // The UDP stack serves one interface; the runtime runs the OOB stage and routes AF_INET OOB sockets to it.
        try (UdpStack stack = UdpStack.open(UdpStackConfig.of(transport, interfaceName)))
        {
            final ProtocolRegistry registry = new ProtocolRegistry();
            registry.register(SocketConstants.AF_INET, stack.protocol());
            final OobConfig config = OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF) // a shared machine: yield when idle
                .countersDir(countersDir)
                .build();
            try (OobRuntime runtime = OobRuntime.start(config, registry))
            {
                // end::start[]
                // tag::socket[]
                // AF_INET, SOCK_DGRAM | SOCK_OOB: created and bound in-band, like any socket
                try (KSocket socket = UdpSockets.open(transport))
                {
                    socket.bind(bind);
                    // a feed handler joins its group here, after bind and before traffic: IP_ADD_MEMBERSHIP or
                    // IP_ADD_SOURCE_MEMBERSHIP, as on any UDP socket (docs/getting-started.md, Multicast)
                    final OobSocket oob = OobSocket.of(socket);
                    final EchoHandler echo = new EchoHandler();
                    oob.stageReceiveHandler(echo);
                    System.out.println("READY " + bind.getAddress().getHostAddress() + ":" +
                        socket.localName().getPort());
                    // end::socket[]
                    waitForEchoes(echo, count);
                    // tag::counters[]
                    // any thread can read the counters; `oobnet stat --dir <countersDir>` shows them too
                    final SocketCounters counters = oob.counters();
                    System.out.println("echoed=" + echo.echoed() + " failed=" + echo.failed() +
                        " packetsIn=" + counters.packetsIn().get() + " packetsOut=" + counters.packetsOut().get() +
                        " stageCycles=" + runtime.counters().cycles().get() + " counters=" + runtime.countersPath());
                    // end::counters[]
                }
            }
        }
        // tag::closed[]
        // closing the socket releases it from the stage; closing the runtime stops the stage and deletes the
        // counters file; closing the stack closes its packet rings
        System.out.println("closed");
        // end::closed[]
        Files.deleteIfExists(countersDir);
    }

    // in-band: the calling thread only waits; the stage does the work
    private static void waitForEchoes(final EchoHandler echo, final long count)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (echo.echoed() < count && System.nanoTime() - deadlineNs < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
