package org.oobnet.inband;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The Dovetail socket hooks: how the in-band stack hands {@code SOCK_OOB} sockets to the companion core.
 * <p>
 * The in-band stack knows only this interface (as Linux knows only the {@code sock_oob_*} signatures); the
 * companion core (oob-core) installs the one implementation. Every hook that can fail returns 0 (or a
 * non-negative result) on success and a negative errno on failure, kernel style, so that no hook allocates to
 * report an error. Placement, as in Dovetail:
 * <ul>
 *   <li>{@link #attach}: after the in-band socket is fully built, before it is returned; failure closes it
 *       and fails {@code socket()}.</li>
 *   <li>{@link #bind}, {@link #connect}, {@link #shutdown}: post-hooks, run only after the in-band operation
 *       succeeded; failure fails the whole call.</li>
 *   <li>{@link #release}: at close, before the in-band release; stops new OOB I/O and waits for in-flight
 *       OOB work to drain.</li>
 *   <li>{@link #destroy}: when the last reference goes ({@code hold}/{@code rele}), possibly long after
 *       release; the only place that frees the OOB context.</li>
 *   <li>{@link #inbandIoctlRedirect}, {@link #setoptRedirect}, {@link #getoptRedirect}: interpose on the
 *       in-band call; any result but {@code -ENOIOCTLCMD} ends it, {@code -ENOIOCTLCMD} falls back to the
 *       kernel.</li>
 * </ul>
 * <b>Note:</b> every hook but {@link #oobIoctl} runs in-band, on the caller's thread.
 */
public interface OobHooks
{
    /**
     * Linux's internal "no such ioctl here" code: a redirect hook returns {@code -ENOIOCTLCMD} to let the
     * kernel's regular handler serve the call.
     */
    int ENOIOCTLCMD = 515;

    /**
     * In-band, after the socket was built and before {@code socket()} returns it.
     *
     * @param socket the new socket, {@code SOCK_OOB} set.
     * @return 0, or a negative errno that closes the socket and fails {@code socket()}.
     */
    int attach(KSocket socket);

    /**
     * In-band, at close, before the in-band release: stop new OOB I/O and wait until in-flight OOB work drained.
     *
     * @param socket the socket being closed.
     */
    void release(KSocket socket);

    /**
     * In-band, at {@link KSocket#closeAll}: {@link #release} for several sockets, which an implementation may batch
     * (one wait for the stage for all of them). Returns once every one of them is released.
     *
     * @param sockets the sockets being closed, each marked closed already.
     */
    default void releaseAll(final List<KSocket> sockets)
    {
        for (final KSocket socket : sockets)
        {
            release(socket);
        }
    }

    /**
     * In-band, when the last reference to the socket is dropped: free the OOB context.
     *
     * @param socket the socket whose last reference went.
     */
    void destroy(KSocket socket);

    /**
     * In-band, after a hook on the socket failed: what the hook named about its failure (e.g.
     * {@code stage=east interface=eth1 step=open port}), appended to the caller's exception; taken once.
     *
     * @param socket the socket whose hook failed.
     * @return the detail, or null.
     */
    default String failureDetail(final KSocket socket)
    {
        return null;
    }

    /**
     * In-band, after the kernel bound the socket.
     *
     * @param socket  the bound socket.
     * @param address the {@code sockaddr} as given to {@code bind}, valid during the call only.
     * @return 0, or a negative errno that fails {@code bind}.
     */
    int bind(KSocket socket, MemorySegment address);

    /**
     * In-band, after the kernel connected the socket.
     *
     * @param socket  the connected socket.
     * @param address the peer {@code sockaddr}, valid during the call only.
     * @return 0, or a negative errno that fails {@code connect}.
     */
    int connect(KSocket socket, MemorySegment address);

    /**
     * In-band, after the kernel shut the socket down.
     *
     * @param socket the socket.
     * @param how    {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}.
     * @return 0, or a negative errno that fails {@code shutdown}.
     */
    int shutdown(KSocket socket, int how);

    /**
     * Out-of-band ioctl, served on the OOB stage.
     *
     * @param socket  the socket.
     * @param request the ioctl request number.
     * @param arg     the request's argument.
     * @return a non-negative result, or a negative errno ({@code -ENOTTY} for an unknown request).
     */
    long oobIoctl(KSocket socket, int request, long arg);

    /**
     * In-band, for every ioctl on a {@code SOCK_OOB} socket, before the kernel sees it.
     *
     * @param socket  the socket.
     * @param request the ioctl request number.
     * @param arg     the request's argument (a value, or the address of a native struct).
     * @return {@code -ENOIOCTLCMD} to fall back to the kernel; anything else ends the call with that result.
     */
    long inbandIoctlRedirect(KSocket socket, int request, long arg);

    /**
     * In-band, for every {@code setsockopt} on a {@code SOCK_OOB} socket, before the kernel sees it.
     *
     * @param socket the socket.
     * @param level  option level.
     * @param name   option name.
     * @param value  option value, valid during the call only.
     * @return {@code -ENOIOCTLCMD} to fall back to the kernel; anything else ends the call with that result.
     */
    int setoptRedirect(KSocket socket, int level, int name, MemorySegment value);

    /**
     * In-band, for every {@code getsockopt} on a {@code SOCK_OOB} socket, before the kernel sees it.
     *
     * @param socket the socket.
     * @param level  option level.
     * @param name   option name.
     * @param value  where to write the option value, valid during the call only.
     * @param length in: the size of {@code value}; out: the length written (a native {@code socklen_t}).
     * @return {@code -ENOIOCTLCMD} to fall back to the kernel; anything else ends the call with that result.
     */
    int getoptRedirect(KSocket socket, int level, int name, MemorySegment value, MemorySegment length);
}
