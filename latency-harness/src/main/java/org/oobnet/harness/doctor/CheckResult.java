package org.oobnet.harness.doctor;

import java.util.Objects;

/**
 * What one check found, and for WARN and FAIL what to change.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param name   short name of what was checked, such as {@code kernel}.
 * @param status the verdict.
 * @param detail what was found, on one or more lines.
 * @param fix    what to change; empty for OK.
 */
public record CheckResult(String name, Status status, String detail, String fix)
{
    /**
     * Checks the components.
     *
     * @param name   short name of what was checked, such as {@code kernel}.
     * @param status the verdict.
     * @param detail what was found, on one or more lines.
     * @param fix    what to change; empty for OK.
     */
    public CheckResult
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(fix, "fix");
        if (status != Status.OK && fix.isBlank())
        {
            throw new IllegalArgumentException(name + ": a " + status + " must say what to change");
        }
    }

    static CheckResult ok(final String name, final String detail)
    {
        return new CheckResult(name, Status.OK, detail, "");
    }

    static CheckResult warn(final String name, final String detail, final String fix)
    {
        return new CheckResult(name, Status.WARN, detail, fix);
    }

    static CheckResult fail(final String name, final String detail, final String fix)
    {
        return new CheckResult(name, Status.FAIL, detail, fix);
    }
}
