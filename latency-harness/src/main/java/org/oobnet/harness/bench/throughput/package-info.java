/**
 * {@code oobnet latency throughput}: the stage's raw-frame TX sender, measured against the C sendmmsg row.
 */
package org.oobnet.harness.bench.throughput;
