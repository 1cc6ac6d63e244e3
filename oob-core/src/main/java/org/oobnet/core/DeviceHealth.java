package org.oobnet.core;

/**
 * A {@link StageDevice}'s state as its stage last saw it.
 * <p>
 * <b>Note:</b> immutable.
 */
public enum DeviceHealth
{
    /** Frames move. */
    UP,
    /** The kernel reported an error (interface down: {@code ENETDOWN}); the stage keeps polling. */
    ERROR,
    /** The interface went away; the stage keeps running without it. */
    DOWN
}
