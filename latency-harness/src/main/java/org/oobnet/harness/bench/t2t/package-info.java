/**
 * {@code oobnet latency tick-to-trade}: an exchange simulator, the traders (on the stage, spinning, blocking) and
 * their tables and JSON.
 */
package org.oobnet.harness.bench.t2t;
