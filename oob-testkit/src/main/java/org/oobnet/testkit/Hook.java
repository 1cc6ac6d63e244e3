package org.oobnet.testkit;

/**
 * The {@link org.oobnet.core.OobProtocol} methods the kit records or makes fail, with the stage each runs on.
 * <p>
 * <b>Note:</b> immutable.
 */
public enum Hook
{
    /** In-band: {@code match(type, protocol)}. */
    MATCH(false),
    /** In-band: {@code attach}. */
    ATTACH(false),
    /** Stage: {@code onStageAttach}. */
    ON_STAGE_ATTACH(true),
    /** In-band: {@code bind}. */
    BIND(false),
    /** In-band: {@code connect}. */
    CONNECT(false),
    /** In-band: {@code shutdown}. */
    SHUTDOWN(false),
    /** Stage: {@code onStageDetach}. */
    ON_STAGE_DETACH(true),
    /** In-band: {@code release}. */
    RELEASE(false),
    /** In-band: {@code destroy}. */
    DESTROY(false);

    private final boolean stage;

    Hook(final boolean stage)
    {
        this.stage = stage;
    }

    /**
     * @return true when the hook runs on the OOB stage thread, false when in-band.
     */
    public boolean isStage()
    {
        return stage;
    }
}
