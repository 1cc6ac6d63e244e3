package org.oobnet.core.stageclasses.sub;

/**
 * {@code StageClassesTest}'s class in a subpackage of the tree.
 */
public final class Nested
{
    private Nested()
    {
    }
}
