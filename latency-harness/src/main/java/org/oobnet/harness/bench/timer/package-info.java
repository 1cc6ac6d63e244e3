/**
 * {@code oobnet latency timer}: the lateness of a periodic task on the OOB stage, as latmus measures a timer.
 */
package org.oobnet.harness.bench.timer;
