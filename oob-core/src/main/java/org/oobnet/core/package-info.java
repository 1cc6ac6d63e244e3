/**
 * oob-core, the companion core: the OOB stage, the Dovetail hooks' implementation, the protocol SPI and registry,
 * OOB socket contexts with their rings, events, counters and the stage's error log.
 *
 * <h2>The parts</h2>
 * <ul>
 *   <li>{@link org.oobnet.core.OobRuntime}: starts the stage (an Agrona agent pinned with OpenHFT Affinity) and
 *       installs the hooks in inband-stack; {@code close()} releases and destroys every socket, then stops.</li>
 *   <li>{@link org.oobnet.core.OobProtocol}: the SPI a protocol implements (EVL's {@code evl_net_proto});
 *       {@link org.oobnet.core.ProtocolRegistry} maps families to protocols (explicit, then
 *       {@link java.util.ServiceLoader}).</li>
 *   <li>{@link org.oobnet.core.OobSocket}: the refcounted OOB context of a {@code SOCK_OOB} socket and its I/O:
 *       stage-side {@code oobSend}/{@code oobClaim}/{@code oobReceive}, application-side send ring
 *       ({@code tryClaim}/{@code commit}) and receive ring ({@code poll}/{@code receive} with a deadline).</li>
 *   <li>{@link org.oobnet.core.StageCommand}: work handed from in-band to the stage and acknowledged after the
 *       cycle that ran it: the crossing behind release, and protocols' hand-over of mapped rings.</li>
 *   <li>{@link org.oobnet.core.OobTask}, {@link org.oobnet.core.OobStage}: user code and timers on the stage.</li>
 *   <li>{@code org.oobnet.core.counters}: the memory-mapped counters file ({@code oobnet stat}).</li>
 *   <li>{@code org.oobnet.core.bus}: the AF_OOB message bus, a protocol wholly on the OOB side.</li>
 * </ul>
 *
 * <h2>Lifecycle of an OOB socket</h2>
 * <pre>
 *  in-band                                         stage
 *  socket(): match, attach, context (refs 2|1) --&gt; AttachCommand: onStageAttach, poll/send/flush each cycle
 *  bind/connect/shutdown post-hooks
 *  close(): release: no new I/O (EBADF)  -------&gt; DetachCommand: drain the send ring (bounded), onStageDetach,
 *           waits for the acknowledgement  &lt;-------  acknowledged at the end of that cycle
 *           protocol release (may unmap)
 *  last rele: destroy: protocol destroy, counters freed
 * </pre>
 * Ring memory belongs to the collector and the counters mapping is never unmapped explicitly: a thread racing
 * close can fail with {@code EBADF} or lose a message, never touch freed memory.
 */
package org.oobnet.core;
