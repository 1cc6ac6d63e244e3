package org.oobnet.core;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.agrona.UnsafeApi;

/**
 * Resolves, in-band, the string constants of the classes whose code runs on a stage, so that the stage never
 * allocates them itself.
 * <p>
 * Why: when a thread's call makes HotSpot compile a method with C2 for the first time, the JVM resolves every
 * string constant of that method's class ({@code CompileBroker::compile_method} →
 * {@code ConstantPool::resolve_string_constants}) on the requesting thread: a {@code String} and its
 * {@code byte[]} per literal not used yet (error messages, names on cold paths), charged to the stage in the middle
 * of a run, whenever a method becomes hot. A literal resolved once stays resolved, so resolving them in-band leaves
 * the stage's compile requests nothing to allocate.
 * <p>
 * How: the JDK's own {@code jdk.internal.reflect.ConstantPool#getStringAt} resolves an entry (what {@code ldc}
 * does). It is reached with the access oobnet already demands ({@code --add-opens
 * java.base/jdk.internal.misc=ALL-UNNAMED}, see {@link RequiredJvmFlags}): Agrona's {@link UnsafeApi} marks the
 * reflective methods accessible, so no further JVM flag is needed. Should a JDK lack any of them, nothing is resolved
 * and {@link #unavailableReason()} says why; the stage then merely allocates as before (a measured run shows it in
 * {@code stage_alloc_bytes}).
 * <p>
 * Which classes: those of the {@code org.oobnet}, {@code org.agrona} and {@code org.jctools} packages on this class loader's class path
 * that the JVM has loaded by the time of the call (a class not loaded yet has never run, and loading every class
 * would cost seconds), and the JDK classes a stage's downcalls and memory accesses run through
 * ({@link #JDK_PACKAGES}). {@link OobRuntime#start} calls {@link #resolveLoaded()} before its stages start; a
 * measurement calls it again after its warm-up, when the classes of its sockets and handlers are loaded. A user's
 * receive handler outside these packages can be passed to {@link #resolve(Class)}, and a library its stage code runs
 * through to {@link #include(String)}.
 * <p>
 * <b>Note:</b> in-band; thread safe. The stage may keep running meanwhile: resolution is the JVM's own, safe against
 * a concurrent {@code ldc} or compile request.
 */
public final class StringConstants
{
    /**
     * Packages (as resource paths) whose classes run on stages; JCTools for the stage's command queue (the soak's JFR
     * saw {@code MpscArrayQueue}'s literals made on a stage at a C2 compile of {@code relaxedPoll}).
     */
    static final List<String> PACKAGES = List.of("org/oobnet/", "org/agrona/", "org/jctools/");

    /**
     * JDK packages (in {@code java.base}, with their subpackages) whose classes run on a stage: the FFM downcall,
     * memory-segment and layout implementation, method and var handles, atomics. JFR showed literals of
     * {@code ValueLayouts$AbstractValueLayout}, {@code SharedUtils} and {@code AbstractMemorySegmentImpl} made on the
     * stage. Their classes are loaded (from the CDS archive, mostly) and linked, not initialised.
     */
    static final List<String> JDK_PACKAGES = List.of(
        "jdk/internal/foreign", "java/lang/foreign", "java/lang/invoke", "java/util/concurrent/atomic",
        "jdk/internal/misc");

    private static final String STRING_TAG = "STRING";
    private static Access access;
    private static String unavailable;
    private static List<String> candidates;
    private static final List<String> INCLUDED = new ArrayList<>();
    private static final Set<String> RESOLVED = new HashSet<>();

    private StringConstants()
    {
    }

    /**
     * Resolves the string constants of every loaded class of the {@link #PACKAGES} on the class path, and of the JDK
     * classes a stage runs through, not resolved by an earlier call.
     *
     * @return the number of classes resolved by this call, or -1 when this JDK does not let oobnet resolve string
     * constants ({@link #unavailableReason()} says why).
     */
    public static synchronized int resolveLoaded()
    {
        final Access access = access();
        if (null == access)
        {
            return -1;
        }
        final ClassLoader loader = StringConstants.class.getClassLoader();
        if (null == candidates)
        {
            candidates = classNames(loader, PACKAGES);
            candidates.addAll(classNames(loader, INCLUDED));
            candidates.addAll(jdkClassNames());
        }
        int classes = 0;
        for (final String className : candidates)
        {
            if (!RESOLVED.contains(className))
            {
                final Class<?> type = access.findLoaded(loader, className);
                if (null != type && resolve(type) >= 0)
                {
                    RESOLVED.add(className);
                    classes++;
                }
            }
        }
        return classes;
    }

    /**
     * Adds a package (with its subpackages) whose loaded classes {@link #resolveLoaded()} resolves from now on: a
     * library the stage's code runs through, e.g. a histogram recorded into by a receive handler.
     *
     * @param packageName e.g. {@code org.HdrHistogram}.
     */
    public static synchronized void include(final String packageName)
    {
        final String pkg = packageName.replace('.', '/') + "/";
        if (PACKAGES.contains(pkg) || INCLUDED.contains(pkg))
        {
            return;
        }
        INCLUDED.add(pkg);
        if (null != candidates)
        {
            candidates.addAll(classNames(StringConstants.class.getClassLoader(), List.of(pkg)));
        }
    }

    /**
     * Resolves the string constants of one class (linking it first).
     *
     * @param type the class, e.g. a receive handler's.
     * @return the number of string constants, or -1 when this JDK does not let oobnet resolve them, or the class
     * cannot be linked.
     */
    public static synchronized int resolve(final Class<?> type)
    {
        final Access access = access();
        if (null == access)
        {
            return -1;
        }
        try
        {
            type.getDeclaredMethods(); // links the class: its constant pool's resolved strings exist from then on
        }
        catch (final LinkageError ex)
        {
            return -1; // a class whose optional dependency is absent never runs, on a stage or elsewhere
        }
        return access.resolve(type);
    }

    /** @return why string constants cannot be resolved in this JVM, or null when they can. */
    public static synchronized String unavailableReason()
    {
        access();
        return unavailable;
    }

    private static Access access()
    {
        if (null == access && null == unavailable)
        {
            try
            {
                access = new Access();
            }
            catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
            {
                unavailable = "this JDK's constant pool reflection is not reachable: " + ex;
            }
        }
        return access;
    }

    // the binary names of the classes of the packages in every class-path root (directory or jar) that holds them
    static List<String> classNames(final ClassLoader loader, final List<String> packages)
    {
        final List<String> names = new ArrayList<>();
        for (final String pkg : packages)
        {
            try
            {
                final Enumeration<URL> roots = loader.getResources(pkg);
                while (roots.hasMoreElements())
                {
                    addClassNames(roots.nextElement(), pkg, names);
                }
            }
            catch (final IOException | URISyntaxException ignored)
            {
                // an unreadable class-path entry: its classes keep their literals unresolved, nothing worse
            }
        }
        return names;
    }

    // the binary names of java.base's classes in JDK_PACKAGES, from the run-time image
    static List<String> jdkClassNames()
    {
        final List<String> names = new ArrayList<>();
        final Path base = FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules/java.base");
        for (final String pkg : JDK_PACKAGES)
        {
            try (Stream<Path> files = Files.walk(base.resolve(pkg)))
            {
                files.filter(file -> file.toString().endsWith(".class"))
                    .forEach(file -> names.add(binaryName(base.relativize(file).toString())));
            }
            catch (final IOException | RuntimeException ignored)
            {
                // a JDK without this package (or without a jrt image): nothing of it runs on a stage
            }
        }
        return names;
    }

    private static void addClassNames(final URL root, final String pkg, final List<String> names)
        throws IOException, URISyntaxException
    {
        if ("file".equals(root.getProtocol()))
        {
            final Path dir = Path.of(root.toURI());
            final Path base = dir.getRoot().resolve(dir.subpath(0, dir.getNameCount() - Path.of(pkg).getNameCount()));
            try (Stream<Path> files = Files.walk(dir))
            {
                files.filter(file -> file.toString().endsWith(".class")).forEach(file ->
                    names.add(binaryName(base.relativize(file).toString().replace(File.separatorChar, '/'))));
            }
        }
        else if ("jar".equals(root.getProtocol()))
        {
            final JarURLConnection connection = (JarURLConnection)root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile())
            {
                final Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements())
                {
                    final String entry = entries.nextElement().getName();
                    if (entry.startsWith(pkg) && entry.endsWith(".class"))
                    {
                        names.add(binaryName(entry));
                    }
                }
            }
        }
    }

    private static String binaryName(final String classFile)
    {
        return classFile.substring(0, classFile.length() - ".class".length()).replace('/', '.');
    }

    // Class#getConstantPool and ConstantPool's size, tag and string getters, made accessible
    private static final class Access
    {
        private final Method constantPool;
        private final Method size;
        private final Method tag;
        private final Method string;
        private final Method findLoadedClass;

        Access() throws ReflectiveOperationException
        {
            // AccessibleObject.override is what setAccessible(true) sets; java.lang is not opened to us, so Unsafe
            final long override = UnsafeApi.objectFieldOffset(AccessibleObject.class, "override");
            constantPool = accessible(Class.class.getDeclaredMethod("getConstantPool"), override);
            final Class<?> type = constantPool.getReturnType();
            size = accessible(type.getDeclaredMethod("getSize"), override);
            tag = accessible(type.getDeclaredMethod("getTagAt", int.class), override);
            string = accessible(type.getDeclaredMethod("getStringAt", int.class), override);
            findLoadedClass = accessible(ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class), override);
            resolve(Access.class); // fails here, once, rather than on every class
        }

        private static Method accessible(final Method method, final long override)
        {
            UnsafeApi.putBoolean(method, override, true);
            return method;
        }

        // the class of that name if the loader has loaded it (never loads one); a JDK class is loaded if need be
        Class<?> findLoaded(final ClassLoader loader, final String className)
        {
            try
            {
                return className.startsWith("java") || className.startsWith("jdk.") ?
                    Class.forName(className, false, null) : (Class<?>)findLoadedClass.invoke(loader, className);
            }
            catch (final ClassNotFoundException ex)
            {
                return null;
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new IllegalStateException("finding the loaded class " + className + " failed", ex);
            }
        }

        int resolve(final Class<?> type)
        {
            try
            {
                final Object pool = constantPool.invoke(type);
                if (null == pool)
                {
                    return 0; // arrays and primitives have none
                }
                final int entries = (int)size.invoke(pool);
                int resolved = 0;
                for (int i = 1; i < entries; i++)
                {
                    if (STRING_TAG.equals(tag.invoke(pool, i).toString()))
                    {
                        string.invoke(pool, i); // ldc's resolution: the String made and kept by the class
                        resolved++;
                    }
                }
                return resolved;
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new IllegalStateException("resolving the string constants of " + type.getName() + " failed", ex);
            }
        }
    }
}
