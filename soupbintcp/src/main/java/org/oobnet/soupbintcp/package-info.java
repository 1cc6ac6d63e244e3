/**
 * SoupBinTCP 3.00 (Nasdaq's session protocol under OUCH and ITCH) on stage-driven TCP ({@code oob-tcp}):
 * {@link org.oobnet.soupbintcp.SoupBinTcpClient} and {@link org.oobnet.soupbintcp.SoupBinTcpServer} sessions run
 * on the OOB stage: the stream is framed in place ({@code PacketFramer}), packets read through flyweights, heartbeats
 * and their timeouts are stage timers, sequenced messages are kept for recovery at login
 * ({@link org.oobnet.soupbintcp.SequencedStore}). Every malformed packet is counted under a named
 * {@link org.oobnet.soupbintcp.SoupBinTcpDrop} reason and ends the session with a clean disconnect.
 */
package org.oobnet.soupbintcp;
