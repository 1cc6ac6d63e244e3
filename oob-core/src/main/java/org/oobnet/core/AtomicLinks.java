package org.oobnet.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Links, in-band, the {@code VarHandle} access sites inside the JDK's atomic arrays, so that a stage's first call of
 * an access mode does not link it on the stage.
 * <p>
 * Why: {@code AtomicLongArray.setRelease} and its siblings each call a {@code VarHandle}; that call site is linked
 * by the first thread that runs it, once per JVM ({@code MethodHandleNatives.linkMethod}: method types, names and
 * an invoker, about 1–3 KB). The soak's JFR saw it on stages after their warm-up: {@code
 * AtomicIntegerArray.compareAndSet} under {@code RouteResolver.requestSolicit} (1 984 B per udp sender child, at the
 * first route miss of a fault) and {@code AtomicLongArray.getPlain}/{@code setRelease} under {@code
 * UdpDropCounters.increment} (2 848 B at a port's first delivery). Calling every access mode once, here, links them
 * all.
 * <p>
 * <b>Note:</b> in-band; {@link OobRuntime#start} calls {@link #link()}; once per JVM.
 */
final class AtomicLinks
{
    private static boolean linked;

    private AtomicLinks()
    {
    }

    /**
     * Calls every access mode of the JDK atomics built on {@code VarHandle}s once ({@link AtomicLongArray},
     * {@link AtomicIntegerArray}, {@link AtomicReferenceArray}, {@link AtomicReference}, {@link AtomicBoolean});
     * {@code AtomicLong} and {@code AtomicInteger} use {@code Unsafe}, which needs no linking.
     */
    static synchronized void link()
    {
        if (linked)
        {
            return;
        }
        linked = true;
        final AtomicLongArray longs = new AtomicLongArray(1);
        longs.set(0, longs.get(0));
        longs.lazySet(0, longs.getAndSet(0, 0L));
        longs.compareAndSet(0, 0L, 0L);
        longs.weakCompareAndSetPlain(0, 0L, 0L);
        longs.weakCompareAndSetVolatile(0, 0L, 0L);
        longs.weakCompareAndSetAcquire(0, 0L, 0L);
        longs.weakCompareAndSetRelease(0, 0L, 0L);
        longs.compareAndExchange(0, 0L, 0L);
        longs.compareAndExchangeAcquire(0, 0L, 0L);
        longs.compareAndExchangeRelease(0, 0L, 0L);
        longs.getAndAdd(0, longs.getAndIncrement(0) + longs.getAndDecrement(0));
        longs.addAndGet(0, longs.incrementAndGet(0) + longs.decrementAndGet(0));
        longs.setPlain(0, longs.getPlain(0));
        longs.setOpaque(0, longs.getOpaque(0));
        longs.setRelease(0, longs.getAcquire(0));
        final AtomicIntegerArray ints = new AtomicIntegerArray(1);
        ints.set(0, ints.get(0));
        ints.lazySet(0, ints.getAndSet(0, 0));
        ints.compareAndSet(0, 0, 0);
        ints.weakCompareAndSetPlain(0, 0, 0);
        ints.weakCompareAndSetVolatile(0, 0, 0);
        ints.weakCompareAndSetAcquire(0, 0, 0);
        ints.weakCompareAndSetRelease(0, 0, 0);
        ints.compareAndExchange(0, 0, 0);
        ints.compareAndExchangeAcquire(0, 0, 0);
        ints.compareAndExchangeRelease(0, 0, 0);
        ints.getAndAdd(0, ints.getAndIncrement(0) + ints.getAndDecrement(0));
        ints.addAndGet(0, ints.incrementAndGet(0) + ints.decrementAndGet(0));
        ints.setPlain(0, ints.getPlain(0));
        ints.setOpaque(0, ints.getOpaque(0));
        ints.setRelease(0, ints.getAcquire(0));
        final Object none = null;
        final AtomicReferenceArray<Object> refs = new AtomicReferenceArray<>(1);
        refs.set(0, refs.get(0));
        refs.lazySet(0, refs.getAndSet(0, none));
        refs.compareAndSet(0, none, none);
        refs.weakCompareAndSetPlain(0, none, none);
        refs.weakCompareAndSetVolatile(0, none, none);
        refs.weakCompareAndSetAcquire(0, none, none);
        refs.weakCompareAndSetRelease(0, none, none);
        refs.compareAndExchange(0, none, none);
        refs.compareAndExchangeAcquire(0, none, none);
        refs.compareAndExchangeRelease(0, none, none);
        refs.setPlain(0, refs.getPlain(0));
        refs.setOpaque(0, refs.getOpaque(0));
        refs.setRelease(0, refs.getAcquire(0));
        final AtomicReference<Object> ref = new AtomicReference<>();
        ref.set(ref.get());
        ref.lazySet(ref.getAndSet(none));
        ref.compareAndSet(none, none);
        ref.weakCompareAndSetPlain(none, none);
        ref.weakCompareAndSetVolatile(none, none);
        ref.weakCompareAndSetAcquire(none, none);
        ref.weakCompareAndSetRelease(none, none);
        ref.compareAndExchange(none, none);
        ref.compareAndExchangeAcquire(none, none);
        ref.compareAndExchangeRelease(none, none);
        ref.setPlain(ref.getPlain());
        ref.setOpaque(ref.getOpaque());
        ref.setRelease(ref.getAcquire());
        final AtomicBoolean flag = new AtomicBoolean();
        flag.set(flag.get());
        flag.lazySet(flag.getAndSet(false));
        flag.compareAndSet(false, false);
        flag.weakCompareAndSetPlain(false, false);
        flag.weakCompareAndSetVolatile(false, false);
        flag.weakCompareAndSetAcquire(false, false);
        flag.weakCompareAndSetRelease(false, false);
        flag.compareAndExchange(false, false);
        flag.compareAndExchangeAcquire(false, false);
        flag.compareAndExchangeRelease(false, false);
        flag.setPlain(flag.getPlain());
        flag.setOpaque(flag.getOpaque());
        flag.setRelease(flag.getAcquire());
    }
}
