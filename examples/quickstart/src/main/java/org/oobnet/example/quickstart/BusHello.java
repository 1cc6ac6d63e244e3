package org.oobnet.example.quickstart;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;

/**
 * The getting-started AF_OOB bus application: two named endpoints in one process, messages through the rings from
 * one to the other, the counters, a clean close. The bus needs no interface and no privileges.
 * <p>
 * {@code java <flags> -cp ... org.oobnet.example.quickstart.BusHello} prints the messages and counters.
 * <p>
 * <b>Note:</b> in-band.
 */
public final class BusHello
{
    private BusHello()
    {
    }

    /**
     * @param args none.
     * @throws Exception when the runtime or a socket cannot be set up (the message says which).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path countersDir = Files.createTempDirectory("oobnet-quickstart-bus");
        final OobConfig config = OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(countersDir)
            .build();
        // tag::bus[]
        // start(config) finds the protocols on the class path, the AF_OOB bus among them
        try (OobRuntime runtime = OobRuntime.start(config);
            Arena arena = Arena.ofConfined();
            KSocket feed = KSocket.socket(OobRuntime.AF_OOB, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
            KSocket strategy = KSocket.socket(OobRuntime.AF_OOB, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0))
        {
            strategy.bind(OobBusAddress.encode("strategy", arena));
            feed.connect(OobBusAddress.encode("strategy", arena));
            final OobSocket out = OobSocket.of(feed);
            final OobSocket in = OobSocket.of(strategy);
            for (final String quote : List.of("EURUSD 1.0841", "EURUSD 1.0842", "EURUSD 1.0840"))
            {
                final byte[] bytes = quote.getBytes(StandardCharsets.US_ASCII);
                if (out.offer(new UnsafeBuffer(bytes), 0, bytes.length) < 0)
                {
                    throw new IllegalStateException("the bus ring is full");
                }
            }
            final List<String> received = new ArrayList<>();
            while (received.size() < 3)
            {
                // in-band receive: waits (backing off) up to the deadline; a stage handler could take them instead
                final int n = in.receive((socket, buffer, offset, length) ->
                    received.add(buffer.getStringWithoutLengthAscii(offset, length)), 16,
                    System.nanoTime() + 5_000_000_000L);
                if (n < 0)
                {
                    throw new IllegalStateException("receive failed: " + n);
                }
            }
            System.out.println("received " + received);
            System.out.println("feed packetsOut=" + out.counters().packetsOut().get() +
                " strategy packetsIn=" + in.counters().packetsIn().get());
        }
        // end::bus[]
        System.out.println("closed");
        Files.deleteIfExists(countersDir);
    }
}
