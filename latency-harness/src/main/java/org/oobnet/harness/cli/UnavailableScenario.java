package org.oobnet.harness.cli;

/**
 * Reports a scenario this build cannot run yet, naming the module it waits for.
 * <p>
 * <b>Note:</b> stateless.
 */
final class UnavailableScenario
{
    private UnavailableScenario()
    {
    }

    static int report(final String scenario, final String why)
    {
        System.err.println("oobnet latency " + scenario + ": not available in this build: " + why);
        return 2;
    }
}
