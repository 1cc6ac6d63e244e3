package org.oobnet.inband.sys;

/**
 * Numbers of the non-socket system calls bound in {@link LibC}: epoll, poll, eventfd, mmap, open, setns.
 * Values are Linux x86_64's.
 * <p>
 * <b>Note:</b> constants only, thread safe.
 */
public final class SysConstants
{
    /** epoll: readable. */
    public static final int EPOLLIN = 0x001;
    /** epoll: urgent data. */
    public static final int EPOLLPRI = 0x002;
    /** epoll: writable. */
    public static final int EPOLLOUT = 0x004;
    /** epoll: error (always reported). */
    public static final int EPOLLERR = 0x008;
    /** epoll: hang-up (always reported). */
    public static final int EPOLLHUP = 0x010;
    /** epoll: peer shut its sending side. */
    public static final int EPOLLRDHUP = 0x2000;
    /** epoll: report once, then disarm. */
    public static final int EPOLLONESHOT = 1 << 30;
    /** epoll: edge triggered. */
    public static final int EPOLLET = 1 << 31;
    /** {@code epoll_ctl}: add. */
    public static final int EPOLL_CTL_ADD = 1;
    /** {@code epoll_ctl}: remove. */
    public static final int EPOLL_CTL_DEL = 2;
    /** {@code epoll_ctl}: modify. */
    public static final int EPOLL_CTL_MOD = 3;
    /** {@code epoll_create1}: close on exec. */
    public static final int EPOLL_CLOEXEC = 0x80000;

    /** poll: readable. */
    public static final short POLLIN = 0x001;
    /** poll: urgent data. */
    public static final short POLLPRI = 0x002;
    /** poll: writable. */
    public static final short POLLOUT = 0x004;
    /** poll: error. */
    public static final short POLLERR = 0x008;
    /** poll: hang-up. */
    public static final short POLLHUP = 0x010;
    /** poll: not an open descriptor. */
    public static final short POLLNVAL = 0x020;
    /** poll: peer shut its sending side. */
    public static final short POLLRDHUP = 0x2000;

    /** eventfd: semaphore semantics. */
    public static final int EFD_SEMAPHORE = 1;
    /** eventfd: non-blocking. */
    public static final int EFD_NONBLOCK = 0x800;
    /** eventfd: close on exec. */
    public static final int EFD_CLOEXEC = 0x80000;

    /** mmap: readable. */
    public static final int PROT_READ = 0x1;
    /** mmap: writable. */
    public static final int PROT_WRITE = 0x2;
    /** mmap: shared mapping (what PACKET_MMAP rings need). */
    public static final int MAP_SHARED = 0x01;
    /** mmap: private mapping. */
    public static final int MAP_PRIVATE = 0x02;
    /** mmap: anonymous memory. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** mmap: no swap space reserved (pages are committed when first written). */
    public static final int MAP_NORESERVE = 0x4000;
    /** mmap: lock the pages. */
    public static final int MAP_LOCKED = 0x2000;
    /** mmap: pre-fault the pages. */
    public static final int MAP_POPULATE = 0x8000;

    /** open: read only. */
    public static final int O_RDONLY = 0;
    /** open: read-write. */
    public static final int O_RDWR = 2;
    /** open: non-blocking. */
    public static final int O_NONBLOCK = 0x800;
    /** open: close on exec. */
    public static final int O_CLOEXEC = 0x80000;

    /** setns: a network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;

    private SysConstants()
    {
    }
}
