package org.oobnet.harness.doctor;

/**
 * One preflight check of the machine: reads the real system (procfs, sysfs, the JVM, the ip tool) and judges.
 * <p>
 * <b>Note:</b> in-band; a check may block briefly (a child process) but never leaves anything behind.
 */
public interface Check
{
    /**
     * Short name shown in the first column, such as {@code kernel}.
     *
     * @return the name.
     */
    String name();

    /**
     * Runs the check.
     *
     * @return what it found.
     */
    CheckResult run();
}
