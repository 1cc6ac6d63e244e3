package org.oobnet.core.stageclasses;

/**
 * {@code StageClassesTest}'s package tree: the class it passes to {@code StageClasses.load}.
 */
public final class Anchor
{
    /** Set by {@link Unused}'s static initialiser: whether it ran. */
    public static boolean unusedInitialised;

    private Anchor()
    {
    }
}
