/*
 * The C side of the TX-ring kick benchmark (TxKickBenchmark): the same TPACKET_V2 TX ring, socket options and
 * frames as oob-packet's TxRing, kicked the same way, ns per operation per round.
 *
 *   kick_empty  send(fd, NULL, 0, MSG_DONTWAIT) with no frame committed: the kick's system call alone
 *   kick_frame  one 64-byte frame per kick: wait until the next frame is free, copy the frame in, set tp_len,
 *               store-release TP_STATUS_SEND_REQUEST, kick; the kernel sends it on IFNAME inside the call (on lo the
 *               receive path runs there too and drops the frame: no socket takes EtherType 0x88B6)
 *
 *   kick_touch  an empty kick, then one read from each of `touch` distinct 4 KiB pages (a working set like the JVM's
 *               code, objects and counters: a kernel with PTI and a CPU without PCID flushes the TLB on every system
 *               call, so each page touched after one misses the TLB)
 *   touch_only  the same reads without the kick: what they cost when the TLB holds the pages
 *
 * Usage: kick_overhead IFNAME [calls=N] [rounds=N] [touch=N] [stride=BYTES] [only=frame]; prints per round
 * (stride: how far apart the touched pages are, 4096 by default; 2 MiB puts each under its own page table; only=frame: the
 * kick_frame loop alone, e.g. to time its system calls with tracepoints)
 * "kick_empty_ns=X kick_frame_ns=Y kick_touch_ns=Z touch_only_ns=W touch=N".
 * Exit status 2 on a set-up failure (one line on standard error naming the step and errno).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_SIZE 2048
#define FRAME_COUNT 64
#define BLOCK_SIZE 4096
#define FRAME_LENGTH 64
#define ETHER_TYPE 0x88B6

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int fail(const char *step)
{
    fprintf(stderr, "kick_overhead: %s: %s\n", step, strerrorname_np(errno) ? strerrorname_np(errno) : "?");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: kick_overhead IFNAME [calls=N] [rounds=N]\n");
        return 2;
    }
    long calls = 1000000;
    int rounds = 5;
    long touch = 64;
    int frame_only = 0;
    long stride = 4096;
    for (int i = 2; i < argc; i++) {
        if (strncmp(argv[i], "calls=", 6) == 0)
            calls = atol(argv[i] + 6);
        else if (strncmp(argv[i], "rounds=", 7) == 0)
            rounds = atoi(argv[i] + 7);
        else if (strcmp(argv[i], "only=frame") == 0)
            frame_only = 1;
        else if (strncmp(argv[i], "stride=", 7) == 0)
            stride = atol(argv[i] + 7);
        else if (strncmp(argv[i], "touch=", 6) == 0)
            touch = atol(argv[i] + 6);
        else {
            fprintf(stderr, "kick_overhead: unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    const unsigned ifindex = if_nametoindex(argv[1]);
    if (ifindex == 0)
        return fail("if_nametoindex");
    const int fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0)
        return fail("socket");
    /* the options oob-packet's ports set on a TX ring socket */
    const int version = TPACKET_V2, one = 1;
    if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) != 0)
        return fail("PACKET_VERSION");
    if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0)
        return fail("PACKET_QDISC_BYPASS");
    if (setsockopt(fd, SOL_PACKET, PACKET_LOSS, &one, sizeof(one)) != 0)
        return fail("PACKET_LOSS");
    struct tpacket_req req = { .tp_block_size = BLOCK_SIZE, .tp_block_nr = FRAME_COUNT * FRAME_SIZE / BLOCK_SIZE,
                               .tp_frame_size = FRAME_SIZE, .tp_frame_nr = FRAME_COUNT };
    if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) != 0)
        return fail("PACKET_TX_RING");
    uint8_t *ring = mmap(NULL, FRAME_COUNT * FRAME_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED)
        return fail("mmap");
    /* protocol 0: the socket receives nothing, it only sends */
    struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = (int)ifindex, .sll_protocol = 0 };
    if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
        return fail("bind");

    uint8_t frame[FRAME_LENGTH] = { 0 };
    frame[12] = ETHER_TYPE >> 8;
    frame[13] = ETHER_TYPE & 0xff;
    const size_t data = TPACKET_ALIGN(sizeof(struct tpacket2_hdr));
    /* one line read per page, each at another offset so that the lines do not crowd one L1 set */
    if (stride < 4096 || stride % 4096 != 0) {
        fprintf(stderr, "kick_overhead: stride=%ld must be a multiple of 4096\n", stride);
        return 2;
    }
    uint8_t *pages = mmap(NULL, (size_t)(touch + 1) * stride, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED)
        return fail("mmap pages");
    /* no huge page: the point is one TLB entry per page */
    madvise(pages, (size_t)(touch + 1) * stride, MADV_NOHUGEPAGE);
    for (long p = 0; p <= touch; p++)
        pages[p * stride] = (uint8_t)p;
    volatile long sink = 0;
    int index = 0;
    for (int r = 0; r < rounds; r++) {
        const double t0 = now_ns();
        for (long i = 0; i < calls && !frame_only; i++)
            sink += send(fd, NULL, 0, MSG_DONTWAIT);
        const double t1 = now_ns();
        for (long i = 0; i < calls; i++) {
            struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)index * FRAME_SIZE);
            while (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING))
                ;
            memcpy((uint8_t *)h + data, frame, FRAME_LENGTH);
            h->tp_len = FRAME_LENGTH;
            __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
            const ssize_t rc = send(fd, NULL, 0, MSG_DONTWAIT);
            if (rc < 0 && errno != EAGAIN)
                return fail("send");
            sink += rc;
            index = index + 1 == FRAME_COUNT ? 0 : index + 1;
        }
        const double t2 = now_ns();
        for (long i = 0; i < calls && !frame_only; i++) {
            sink += send(fd, NULL, 0, MSG_DONTWAIT);
            for (long p = 0; p < touch; p++)
                sink += *(volatile uint8_t *)(pages + p * stride + (p * 64) % 4096);
        }
        const double t3 = now_ns();
        for (long i = 0; i < calls && !frame_only; i++) {
            for (long p = 0; p < touch; p++)
                sink += *(volatile uint8_t *)(pages + p * stride + (p * 64) % 4096);
        }
        const double t4 = now_ns();
        printf("kick_empty_ns=%.1f kick_frame_ns=%.1f kick_touch_ns=%.1f touch_only_ns=%.1f touch=%ld stride=%ld\n",
               (t1 - t0) / calls, (t2 - t1) / calls, (t3 - t2) / calls, (t4 - t3) / calls, touch, stride);
        fflush(stdout);
    }
    munmap(ring, FRAME_COUNT * FRAME_SIZE);
    close(fd);
    return sink == 42;
}
