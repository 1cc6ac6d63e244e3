/**
 * The reflecting side of a round trip ({@code oobnet latency reflect} and the child JVMs of udp and packet runs), in-
 * band or on the OOB stage.
 */
package org.oobnet.harness.bench.reflect;
