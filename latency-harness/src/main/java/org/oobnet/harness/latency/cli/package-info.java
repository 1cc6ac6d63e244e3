/**
 * Forwarders kept for the feed and mcast packages until they move (issue 18); new code uses {@link
 * org.oobnet.harness.cli}.
 */
package org.oobnet.harness.latency.cli;
