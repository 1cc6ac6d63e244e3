package org.oobnet.example.seqmsg;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.inband.Errno;
import org.oobnet.testkit.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sending and receiving from code that runs on the stage itself: a task sends with {@code oobSend}, a stage
 * receive handler takes each message zero copy. Nothing crosses to another thread on the data path.
 */
class SeqMsgStageSideTest
{
    // tag::stageReceive[]
    /** Stage: takes each message as a view of the RX frame, valid during the call only. */
    static final class InOrderCounter implements OobReceiveHandler
    {
        volatile long messages;
        volatile long outOfOrder;

        @Override
        public void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
        {
            // read what is needed now; keep no reference to the view
            final long index = buffer.getLong(offset);
            if (index != messages)
            {
                outOfOrder = outOfOrder + 1; // single writer: the stage
            }
            messages = messages + 1;
        }
    }
    // end::stageReceive[]

    // tag::stageSend[]
    /** Stage: sends {@code count} messages, one per cycle, from a buffer allocated once in-band. */
    static final class Sender implements OobTask
    {
        private final OobSocket socket;
        private final long count;
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[SeqMsgTestBed.MESSAGE_LENGTH]);
        private long next;

        Sender(final OobSocket socket, final long count)
        {
            this.socket = socket;
            this.count = count;
        }

        @Override
        public int doWork(final long nowNs)
        {
            if (next == count)
            {
                return 0;
            }
            message.putLong(0, next);
            final int rc = socket.oobSend(message, 0, message.capacity());
            if (rc == -Errno.EWOULDBLOCK)
            {
                return 0; // TX ring full: same message next cycle
            }
            next++;
            return 1;
        }
    }
    // end::stageSend[]

    @Test
    void shouldDeliverZeroCopyOnStageWhenTaskSendsWithOobSend() throws Exception
    {
        try (SeqMsgTestBed bed = new SeqMsgTestBed(SeqMsgConfig.defaults().withLossHook(SeqMsgLossHook.everyKth(50))))
        {
            final InOrderCounter counter = new InOrderCounter();
            bed.subscriber.stageReceiveHandler(counter);
            final Sender sender = new Sender(bed.publisher, 500);
            bed.runtime.addTask(sender, OobTask.Schedule.EVERY_CYCLE);

            Await.until(() -> counter.messages == 500, () -> "500 messages on the stage, got " + counter.messages +
                "; subscriber " + SeqMsgProtocol.counters(bed.subscriber), 20_000_000_000L);
            bed.runtime.removeTask(sender);

            assertEquals(0, counter.outOfOrder, "in order, the lost ones recovered before the next");
            assertEquals(10, bed.publisherCount(SeqMsgCounter.LOSS_INJECTED));
            assertEquals(500, bed.subscriber.counters().packetsIn().get(), "oob-core counted each delivery");
            assertEquals(0, bed.subscriber.receiveQueuedBytes(), "nothing went through the receive ring");
        }
    }
}
