/**
 * The project's only FFM downcalls ({@link org.oobnet.inband.sys.LibC}) and the native layouts they use (the
 * {@code *Descriptor} classes, checked against gcc by the tests).
 * <p>
 * <b>Hot-path use (the OOB stage).</b> Every {@code LibC} wrapper returns the result or {@code -errno} and
 * allocates nothing. A stage thread creates its own {@link org.oobnet.inband.sys.ErrnoCapture} once, at start,
 * and passes it to every call; it keeps its native buffers (rings, {@code sockaddr_ll}, ...) preallocated. For
 * a call that never blocks, the {@code *Critical} variant also skips the thread-state transition.
 * <p>
 * Capturing errno ({@code Linker.Option.captureCallState}) slices the capture segment on every call; only C2,
 * once it has compiled and inlined the call, removes that allocation. After a deoptimisation (an uncommon trap
 * on a rarely taken branch anywhere in the compiled duty cycle) the interpreter and C1 allocate again until the
 * method is recompiled. So a call the stage makes every cycle uses the {@code *Quiet} variant (no capture,
 * returns -1) and repeats the call with capture only on the rare failure, to learn the errno:
 * <pre>{@code
 * // stage start-up (in-band, may allocate)
 * final ErrnoCapture errno = new ErrnoCapture(arena);
 * // duty cycle (no allocation in any compilation state): kick the TX ring
 * long result = LibC.sendQuiet(fd, MemorySegment.NULL, 0, MSG_DONTWAIT);
 * if (result < 0) { result = LibC.sendCritical(errno, fd, MemorySegment.NULL, 0, MSG_DONTWAIT); }
 * if (result < 0 && -Errno.EAGAIN != result) { ... count it ... }
 * }</pre>
 * Whatever sets up a stage that makes downcalls calls {@code LibC.customizeStageCalls()} in-band first: a call
 * the stage makes rarely stays interpreted, and its 128th call would spin a customised LambdaForm class (~50 KB)
 * on the stage. A new stage-path downcall is added to that method.
 * <p>
 * A caller that uses a {@code KSocket}'s descriptor directly must hold the socket ({@code hold()} /
 * {@code tryHold()}, then {@code rele()}) for as long as it may make calls on it, so that the number is never
 * closed, and reused by the kernel, under it.
 */
package org.oobnet.inband.sys;
