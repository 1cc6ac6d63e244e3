/**
 * {@code oobnet stat}: the runtime's counters as text, Prometheus text format, or served over HTTP.
 */
package org.oobnet.harness.metrics;
