package org.oobnet.core;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
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
    private static final Map<Class<?>, Object> ZEROS = Map.of(int.class, 0, long.class, 0L, boolean.class, false);
    private static boolean linked;

    private AtomicLinks()
    {
    }

    /**
     * Calls every public method of the JDK atomics built on {@code VarHandle}s once ({@link AtomicLongArray},
     * {@link AtomicIntegerArray}, {@link AtomicReferenceArray}, {@link AtomicReference}, {@link AtomicBoolean}),
     * with zeros, {@code false} and {@code null}, skipping those that take a function; {@code AtomicLong} and
     * {@code AtomicInteger} use {@code Unsafe}, which needs no linking.
     */
    static synchronized void link()
    {
        if (linked)
        {
            return;
        }
        linked = true;
        for (final Object atomic : List.of(new AtomicLongArray(1), new AtomicIntegerArray(1),
            new AtomicReferenceArray<>(1), new AtomicReference<>(), new AtomicBoolean()))
        {
            for (final Method method : atomic.getClass().getDeclaredMethods())
            {
                if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers()))
                {
                    call(atomic, method);
                }
            }
        }
    }

    // one call with zero-like arguments (index 0 of a one-element array); a method taking a function or another
    // primitive is skipped
    private static void call(final Object atomic, final Method method)
    {
        final Class<?>[] types = method.getParameterTypes();
        final Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++)
        {
            if (types[i].isInterface() || (types[i].isPrimitive() && !ZEROS.containsKey(types[i])))
            {
                return;
            }
            args[i] = ZEROS.get(types[i]);
        }
        try
        {
            method.invoke(atomic, args);
        }
        catch (final ReflectiveOperationException | RuntimeException ignored)
        {
            // a method that refuses zeros (none in JDK 25) stays unlinked: a stage would link it, no worse than before
        }
    }
}
