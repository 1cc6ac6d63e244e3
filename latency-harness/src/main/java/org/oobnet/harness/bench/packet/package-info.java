/**
 * {@code oobnet latency packet}: the raw-frame round trip through the OOB stage on an AF_PACKET SOCK_OOB socket.
 */
package org.oobnet.harness.bench.packet;
