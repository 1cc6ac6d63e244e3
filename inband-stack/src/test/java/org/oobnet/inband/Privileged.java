package org.oobnet.inband;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Skips a test that lacks a privilege, or fails it when {@code OOBNET_REQUIRE_PRIVILEGED=1} (CI).
 */
public final class Privileged
{
    private Privileged()
    {
    }

    /**
     * Requires a condition that depends on privileges.
     *
     * @param condition true when the test can run.
     * @param reason    why it cannot, e.g. {@code "AF_PACKET needs CAP_NET_RAW"}.
     */
    public static void require(final boolean condition, final String reason)
    {
        if (!condition && "1".equals(System.getenv("OOBNET_REQUIRE_PRIVILEGED")))
        {
            fail("OOBNET_REQUIRE_PRIVILEGED=1 but: " + reason);
        }
        assumeTrue(condition, reason);
    }
}
