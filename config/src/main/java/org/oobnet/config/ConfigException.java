package org.oobnet.config;

import java.util.List;

/**
 * A configuration was refused: every problem found, not only the first, so that one edit fixes them all.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /**
     * A refusal listing its problems.
     *
     * @param problems at least one.
     */
    public ConfigException(final List<ConfigProblem> problems)
    {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * The problems in the order found: file, environment, system properties, then checks across keys.
     *
     * @return an unmodifiable list.
     */
    public List<ConfigProblem> problems()
    {
        return problems;
    }

    private static String message(final List<ConfigProblem> problems)
    {
        if (problems.isEmpty())
        {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        final StringBuilder text = new StringBuilder("invalid oobnet configuration (")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem):" : " problems):");
        for (final ConfigProblem problem : problems)
        {
            text.append("\n  ").append(problem);
        }
        return text.toString();
    }
}
