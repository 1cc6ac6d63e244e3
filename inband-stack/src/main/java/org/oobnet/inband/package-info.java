/**
 * The in-band stack: the kernel's side of Dovetail, seen from Java.
 * <p>
 * {@link org.oobnet.inband.KSocket} is a ksocket-style socket API over the kernel's sockets: every operation
 * succeeds or throws an {@link org.oobnet.inband.ErrnoException}; event callbacks
 * ({@link org.oobnet.inband.KSocketCallbacks}) come from one epoll-driven event thread; zero-copy sends hand
 * their buffers back through {@link org.oobnet.inband.ZeroCopyCompletion}. Sockets created with
 * {@link org.oobnet.inband.SocketConstants#SOCK_OOB} are handed to the companion core through the
 * {@link org.oobnet.inband.OobHooks} it installs, at the hook points Dovetail defines.
 * <p>
 * Nothing here imports the OOB modules; the only FFM downcalls of the project are in
 * {@link org.oobnet.inband.sys}.
 */
package org.oobnet.inband;
