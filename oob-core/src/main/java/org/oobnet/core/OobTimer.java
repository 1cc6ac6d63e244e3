package org.oobnet.core;

/**
 * A timer's expiry, on the OOB stage.
 * <p>
 * <b>Note:</b> stage only; the rules of {@link OobEventHandler} apply (no blocking, no allocation).
 */
@FunctionalInterface
public interface OobTimer
{
    /**
     * The timer expired.
     *
     * @param nowNs   the cycle's clock ({@code System.nanoTime()} read once at the start of the cycle).
     * @param timerId the id {@link OobStage#scheduleTimer} returned.
     */
    void onTimer(long nowNs, long timerId);
}
