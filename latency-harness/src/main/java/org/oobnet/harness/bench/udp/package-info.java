/**
 * {@code oobnet latency udp} and {@code compare}: the UDP round trip over each transport, its child JVMs and rows, and
 * the stage's UDP pinger.
 */
package org.oobnet.harness.bench.udp;
