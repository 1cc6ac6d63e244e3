package org.oobnet.harness.latency.cli;

/**
 * Forwards to {@link org.oobnet.harness.cli.Durations}, for the {@code feed} and {@code mcast} packages, which moved
 * in a later round of issue 18.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
// FIXME(issue 18): delete once feed/ and mcast/ import org.oobnet.harness.cli.Durations.
public final class Durations
{
    private Durations()
    {
    }

    /**
     * @param name the option, for the error message.
     * @param text e.g. {@code 20s}.
     * @return nanoseconds.
     * @throws IllegalArgumentException naming the option and the accepted forms.
     */
    public static long parseNs(final String name, final String text)
    {
        return org.oobnet.harness.cli.Durations.parseNs(name, text);
    }
}
