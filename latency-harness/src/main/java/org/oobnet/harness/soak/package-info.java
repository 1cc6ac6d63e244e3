/**
 * {@code oobnet soak}: traffic on the OOB paths with faults injected, and an exact per-stream ledger of what arrived:
 * {@code SoakRun} (set-up, closing checks), {@code SoakTraffic}, {@code SoakFaults}, {@code SoakLedgers},
 * {@code SoakTable}; the oob-udp streams' child {@code UdpSoakPeer} ({@code UdpSoakSender}, {@code UdpSoakReceiver},
 * {@code UdpPeerBooks}).
 */
package org.oobnet.harness.soak;
