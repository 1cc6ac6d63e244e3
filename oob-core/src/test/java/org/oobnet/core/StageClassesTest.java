package org.oobnet.core;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link StageClasses} loads a package tree's classes without initialising them, once. The tree
 * ({@code org.oobnet.core.stageclasses}) is loaded by a class loader of the test's own, which can tell which of its
 * classes it has loaded.
 */
class StageClassesTest
{
    private static final String TREE = "org.oobnet.core.stageclasses.";

    @Test
    void shouldLoadEveryClassOfTheTreeWithoutInitialisingItWhenAskedOnce() throws Exception
    {
        final URL classes = Path.of(StageClassesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toUri().toURL();
        try (TreeLoader loader = new TreeLoader(classes))
        {
            final Class<?> anchor = Class.forName(TREE + "Anchor", true, loader);
            assertNull(loader.loaded(TREE + "Unused"));
            assertNull(loader.loaded(TREE + "sub.Nested"));

            assertEquals(3, StageClasses.load(anchor));

            assertNotNull(loader.loaded(TREE + "Unused"));
            assertNotNull(loader.loaded(TREE + "sub.Nested"));
            assertFalse(anchor.getField("unusedInitialised").getBoolean(null), "Unused's initialiser ran");
            assertEquals(0, StageClasses.load(anchor), "a tree is loaded once");
        }
    }

    // defines the tree's classes itself (its parent, the platform loader, does not see them)
    private static final class TreeLoader extends URLClassLoader
    {
        TreeLoader(final URL classes)
        {
            super(new URL[]{classes}, ClassLoader.getPlatformClassLoader());
        }

        Class<?> loaded(final String name)
        {
            return findLoadedClass(name);
        }
    }
}
