package org.oobnet.harness.bench.transport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.netns.testing.NetnsFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ring transport's books on the real kernel, two namespaces joined by veth: a burst larger than the receiving
 * port's 64-frame RX ring, sent while it does not poll, is the ring's frames received plus the kernel's drops
 * ({@code PACKET_STATISTICS}), exactly.
 */
class RawFramePortNetnsTest
{
    private static final int SIZE = 64;
    private static final int RING_FRAMES = 64;

    @Test
    void shouldBookEveryFrameBeyondTheRxRingAsAKernelDropWhenTheReceiverFallsBehind() throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            final NetnsFixture.Host a = fixture.host(0);
            final NetnsFixture.Host b = fixture.host(1);
            try (RawFramePort sender = fixture.call(a, () -> RawFramePort.open(settings(a)));
                RawFramePort receiver = fixture.call(b, () -> RawFramePort.open(settings(b))))
            {
                assertEquals(0, receiver.ringKernelDrops(), "nothing dropped yet");
                final int sent = 100;
                for (int i = 0; i < sent; i++)
                {
                    // no peer known yet: broadcast, which B's ring takes
                    sender.sendBuffer().putInt(0, i);
                    sender.send(SIZE);
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (receiver.ringKernelDrops() < sent - RING_FRAMES && System.nanoTime() - deadline < 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                assertEquals(sent - RING_FRAMES, receiver.ringKernelDrops(), "the burst beyond the ring");

                int received = 0;
                while (receiver.receive() == SIZE)
                {
                    assertEquals(received, receiver.receiveBuffer().getInt(0), "the ring's frames, in order");
                    received++;
                }
                assertEquals(RING_FRAMES, received, "the ring's frames, then the receive timed out");
                assertEquals(sent, received + receiver.ringKernelDrops(), "received + kernel drops == sent");
            }
        }
    }

    private static TransportSettings settings(final NetnsFixture.Host host)
    {
        return new TransportSettings(-1, IdleKind.PARK, SIZE, TimeUnit.MILLISECONDS.toNanos(200),
            host.interfaceName());
    }
}
