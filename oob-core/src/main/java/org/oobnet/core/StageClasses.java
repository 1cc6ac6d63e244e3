package org.oobnet.core;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Loads, in-band, every class of a protocol's own packages, so that no class is first loaded on a stage.
 * <p>
 * Why: a class is loaded where it is first used. A stage path taken for the first time after the warm-up (a
 * socket's first send of a kind, a failure branch) would load its class on the stage: the class loader reads the
 * class file from the jar and defines it, allocating buffers, names and the class's mirror, and may block on the
 * jar. The soak saw it (docs/architecture.md, "Allocation on the stage"): {@code MtuDiscovery} loaded by a UDP
 * socket's first request send.
 * <p>
 * How: {@link SocketLifecycle} calls {@link #load(Class)} with the protocol's class before its {@code attach} hook,
 * so any protocol's classes (the protocol's package and its subpackages, on its class loader's class path) are
 * loaded when its first socket is attached, in-band. They are loaded, not initialised: loading is what reads the jar
 * and allocates; a class's static initialiser still runs at its first use, as the JVM specifies, so a class that
 * never runs costs no side effects. A protocol that runs classes outside its package tree on a stage (a library)
 * passes one of them to {@link #load(Class)} itself.
 * <p>
 * <b>Note:</b> in-band; thread safe; once per package tree and class loader.
 */
public final class StageClasses
{
    // per class loader, the package trees loaded (weak: a loader that goes away takes its entry with it)
    private static final Map<ClassLoader, Set<String>> LOADED = new WeakHashMap<>();

    private StageClasses()
    {
    }

    /**
     * Loads (without initialising) every class of {@code anchor}'s package and its subpackages that its class
     * loader's class path holds, the first time the package is asked for.
     *
     * @param anchor a class of the package tree, e.g. the protocol's.
     * @return the classes loaded by this call (0 when the tree was loaded before).
     */
    public static synchronized int load(final Class<?> anchor)
    {
        final String pkg = anchor.getPackageName().replace('.', '/') + "/";
        final ClassLoader loader = anchor.getClassLoader();
        if (null == loader || !LOADED.computeIfAbsent(loader, ignored -> new HashSet<>()).add(pkg))
        {
            return 0; // the JDK's own classes come from its image, and a tree is loaded once
        }
        int loaded = 0;
        for (final String className : StringConstants.classNames(loader, List.of(pkg)))
        {
            try
            {
                Class.forName(className, false, loader);
                loaded++;
            }
            catch (final ClassNotFoundException | LinkageError ex)
            {
                // a class whose optional dependency is absent never runs, on a stage or elsewhere
            }
        }
        return loaded;
    }
}
