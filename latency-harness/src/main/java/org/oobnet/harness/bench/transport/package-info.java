/**
 * The transports a round trip runs over (kernel UDP, oob-udp's transports, raw frames on rings), behind one client and
 * reflector interface.
 */
package org.oobnet.harness.bench.transport;
