package org.oobnet.harness.doctor;

/**
 * The verdict of one preflight check.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 */
public enum Status
{
    /** Fine for low-latency runs. */
    OK,
    /** Works, but latency will be worse or noisier than it could be. */
    WARN,
    /** A requirement of the OOB path is missing: it will not work. */
    FAIL
}
