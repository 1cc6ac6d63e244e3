package org.oobnet.config;

/**
 * Why one value was refused; becomes a {@link ConfigProblem} once the key and source are attached.
 * <p>
 * <b>Note:</b> no stack trace, it is control flow of the loader.
 */
final class InvalidValueException extends Exception
{
    private static final long serialVersionUID = 1L;

    InvalidValueException(final String reason)
    {
        super(reason, null, false, false);
    }
}
