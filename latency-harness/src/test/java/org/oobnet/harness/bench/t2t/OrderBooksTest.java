package org.oobnet.harness.bench.t2t;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.harness.bench.run.StageSamples;

/**
 * The exchange's gate before its first tick: a trader logged in is not yet ready (its session may not have read
 * the Login Accepted: the ticks it found first went unanswered, 40–63 of them in loaded runs); only its ready
 * message opens the gate, and it is neither an order nor counted as one.
 */
class OrderBooksTest
{
    private static final int TICKS = 4;

    private final OrderBooks books = new OrderBooks(TICKS, new StageSamples(16),
        new TickStamps(TICKS, TickStamps.EXCHANGE_COLUMNS), new RealtimeNanoClock());

    @Test
    void shouldNotBeReadyWhenTheTraderOnlyLoggedIn()
    {
        books.onLoggedIn(null, 1);
        assertFalse(books.isTraderReady());
    }

    @Test
    void shouldBeReadyOnTheReadyMessageWithoutCountingItAsAnOrder()
    {
        books.onLoggedIn(null, 1);
        final UnsafeBuffer ready = new UnsafeBuffer(new byte[T2tMessages.READY_LENGTH]);
        T2tMessages.putReady(ready);
        books.onUnsequencedData(null, ready, 0, T2tMessages.READY_LENGTH);
        assertTrue(books.isTraderReady());
        assertEquals(new OrderBooks.Books(TICKS, 0, TICKS, 0, 0, 0, 0, 0), books.books(TICKS));
    }

    @Test
    void shouldCountASecondReadyMessageAsMalformed()
    {
        final UnsafeBuffer ready = new UnsafeBuffer(new byte[T2tMessages.READY_LENGTH]);
        T2tMessages.putReady(ready);
        books.onUnsequencedData(null, ready, 0, T2tMessages.READY_LENGTH);
        books.onUnsequencedData(null, ready, 0, T2tMessages.READY_LENGTH);
        assertEquals(1, books.books(TICKS).malformed());
    }

    @Test
    void shouldAnswerATickSentAfterTheReadyMessage()
    {
        final UnsafeBuffer ready = new UnsafeBuffer(new byte[T2tMessages.READY_LENGTH]);
        T2tMessages.putReady(ready);
        books.onUnsequencedData(null, ready, 0, T2tMessages.READY_LENGTH);
        books.tickSent(1, System.nanoTime());
        final UnsafeBuffer order = new UnsafeBuffer(new byte[T2tMessages.ORDER_LENGTH]);
        T2tMessages.decide(1, T2tMessages.priceOf(1), order);
        books.onUnsequencedData(null, order, 0, T2tMessages.ORDER_LENGTH);
        assertEquals(new OrderBooks.Books(1, 1, 0, 0, 0, 0, 0, 0), books.books(1));
        assertTrue(books.books(1).exact());
    }
}
