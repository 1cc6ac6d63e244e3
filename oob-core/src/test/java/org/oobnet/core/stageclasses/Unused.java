package org.oobnet.core.stageclasses;

/**
 * {@code StageClassesTest}'s class that nothing uses: it must be loaded, and not initialised.
 */
public final class Unused
{
    static
    {
        Anchor.unusedInitialised = true;
    }

    private Unused()
    {
    }
}
