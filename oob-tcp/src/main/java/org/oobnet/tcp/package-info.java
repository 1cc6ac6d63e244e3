/**
 * Stage-driven TCP: kernel TCP sockets ({@code SOCK_STREAM | SOCK_OOB}) sent to and received from by the OOB
 * stage with non-blocking calls, a stage device per connection.
 * <ul>
 *   <li>{@link org.oobnet.tcp.TcpOobProtocol}: the protocol (register it with
 *       {@code registry.register(AF_INET, new TcpOobProtocol())}); {@code start} puts a connected socket's
 *       connection on the stage.</li>
 *   <li>{@link org.oobnet.tcp.TcpCounter}: each connection's counters (bytes, short writes, would-blocks, resets,
 *       peer closes).</li>
 * </ul>
 */
package org.oobnet.tcp;
