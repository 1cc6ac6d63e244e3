/* The C side of the FFM call-overhead benchmark: the same syscalls in a tight loop, ns per call per round. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    const long calls = argc > 1 ? atol(argv[1]) : 2000000;
    const int rounds = argc > 2 ? atoi(argv[2]) : 5;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    char buf[64];
    volatile long sink = 0;
    /* glibc declares getpagesize const: called through a volatile pointer so that every iteration calls it. */
    int (*volatile pagesize)(void) = getpagesize;

    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
        perror("socket/bind");
        return 1;
    }
    for (int r = 0; r < rounds; r++) {
        double tp = now_ns();
        for (long i = 0; i < calls; i++)
            sink += pagesize();
        double t0 = now_ns();
        for (long i = 0; i < calls; i++)
            sink += getpid();
        double t1 = now_ns();
        for (long i = 0; i < calls; i++)
            sink += recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0 ? -errno : 0;
        double t2 = now_ns();
        printf("pagesize_ns=%.2f getpid_ns=%.1f recv_empty_ns=%.1f\n", (t0 - tp) / calls, (t1 - t0) / calls,
               (t2 - t1) / calls);
    }
    close(fd);
    return sink == 42;
}
