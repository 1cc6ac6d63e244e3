/**
 * The project's only FFM downcalls ({@link org.oobnet.inband.sys.LibC}) and the native layouts they use (the
 * {@code *Descriptor} classes, checked against gcc by the tests).
 * <p>
 * <b>Hot-path use (the OOB stage).</b> Every {@code LibC} wrapper returns the result or {@code -errno} and
 * allocates nothing once compiled; the stage's calls ({@code *Quiet}) allocate nothing in any compilation state.
 * In-band code passes its thread's {@link org.oobnet.inband.sys.ErrnoCapture} to the others. A stage keeps its native buffers (rings, {@code sockaddr_ll}, ...) preallocated. For
 * a call that never blocks, the {@code *Critical} variant also skips the thread-state transition.
 * <p>
 * Capturing errno ({@code Linker.Option.captureCallState}) slices the capture segment on every call; only C2,
 * once it has compiled and inlined the call, removes that allocation. After a deoptimisation (an uncommon trap
 * on a rarely taken branch anywhere in the compiled duty cycle) the interpreter and C1 allocate again until the
 * method is recompiled. So the stage uses the {@code *Quiet} variants: no capture; on failure the wrapper reads the
 * thread's errno through {@code __errno_location()} right after the critical call (why that is the call's own
 * errno: {@link org.oobnet.inband.sys.LibC}), and returns {@code -errno} like every other wrapper:
 * <pre>{@code
 * // duty cycle (no allocation in any compilation state): kick the TX ring
 * final long result = LibC.sendQuiet(fd, MemorySegment.NULL, 0, MSG_DONTWAIT);
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
