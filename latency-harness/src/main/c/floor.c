/*
 * floor.c: the floor of a 64-byte round trip on this machine, for `oobnet latency compare`'s rows floor-raw and
 * floor-udp.
 *
 * A minimal C ping-pong on the same path the OOB stage uses: an AF_PACKET socket with TPACKET_V2 RX and TX rings,
 * the RX ring spun on (no poll, no sleep), one sendto() kick per frame sent, qdisc bypass. Two framings:
 *   raw  an Ethernet header of EtherType 0x88B6 and the message;
 *   udp  Ethernet, IPv4 and UDP headers framed by hand (IPv4 header checksum computed, UDP checksum 0) and the
 *        message as the datagram; a kernel UDP socket is bound to the port, as oob-udp binds one, so that the
 *        kernel's own copy of each frame finds a socket instead of answering with ICMP port unreachable.
 * The message: an 8-byte sequence number, then one flag byte (1: request, 2: of the client's measured phase), then
 * zeros up to its size.
 *
 * Usage (the harness builds it with `cc -O2` into a cache directory and runs it under taskset in the namespaces):
 *   floor reflect raw|udp IFNAME [port=N] [hops=0|1]
 *       prints "READY <mac>" once the rings are up, answers requests until SIGTERM or end of standard input, then
 *       prints "REFLECTED replies=N".
 *   floor client raw|udp IFNAME peer_mac=MAC out=FILE [size=N] [warmup_ns=N|warmup_count=N]
 *                [duration_ns=N|count=N] [timeout_ns=N] [src=IP dst=IP port=N] [hops=0|1]
 *       ping-pongs through a warm-up (not recorded), then the measured phase; writes each measured round trip, in
 *       ns as a native-endian int64, to FILE, and prints
 *       "FLOOR count=N lost=N warmup_count=N warmup_ns=N measured_ns=N".
 *   floor count raw IFNAME
 *       the throughput receiver: prints "READY <mac>", counts raw frames of the floor EtherType from its RX ring
 *       until SIGTERM or end of standard input, then prints "COUNTED received=N drops=N" (drops: frames the kernel
 *       could not put in the ring, PACKET_STATISTICS tp_drops).
 *   floor blast raw IFNAME duration_ns=N [size=N] [batch=N]
 *       the kernel throughput baseline: the same frames through sendmmsg(2) on a plain AF_PACKET socket (no ring,
 *       through the qdisc), batch frames per call, for duration_ns; prints "BLASTED sent=N failed=N elapsed_ns=N
 *       calls=N syscall_ns=N" (syscall_ns: the time inside sendmmsg(2)).
 *   floor blast-ring raw IFNAME ...: the same, the frames through the TX ring (1024 frames of 2048 bytes),
 *       batch frames per send(fd, NULL, 0, MSG_DONTWAIT) kick; syscall_ns is the time inside the kicks.
 * Round trips are CLOCK_MONOTONIC (System.nanoTime()'s clock) read before the send and on seeing the reply.
 * Hops (option hops=1, on the client and the reflector): each side times what the oobnet stage's hop histograms time
 * (oob-core's StageHop), in the same log-linear buckets (HopHistogram), on CLOCK_REALTIME like the ring's stamps:
 *   kernel_rx->pickup     the RX frame's tp_sec/tp_nsec to the loop seeing it;
 *   pickup->handler_done  to the reply (reflector) or the next request (client) committed to the TX ring;
 *   handler_done->kick    to the sendto() kick;
 *   kick->return          the kick's system call (on veth the peer's receive path runs inside it).
 * The client times its measured phase, prints "PHASE measured begin" and "PHASE measured end" around it and flags
 * its requests as measured; the reflector times the flagged requests, so both sides time the same exchanges however
 * late the harness relays the lines, and prints them at the line "hops end" on its standard input (the harness
 * relays the client's; "hops begin" is relayed too and needs nothing here). Each side prints its hops on
 * "HOP <hop> count=N max_ns=N sum_ns=N buckets=LOWER:N,..." lines, then "HOPS done" (the reflector at "hops end",
 * the client before its FLOOR line).
 * Exit status: 0 done, 2 bad arguments or set-up failure (one line on standard error naming what failed).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Not the harness's 0x88B5: the two never share a namespace, but a capture tells them apart. */
#define FLOOR_ETHER_TYPE 0x88B6
#define ETH_HEADER 14
#define IP_HEADER 20
#define UDP_HEADER 8
#define MESSAGE_MIN 16
#define MESSAGE_MAX 1400
#define SEQUENCE_AT 0
#define FLAGS_AT 8
#define FLAG_REQUEST 1
/* Set by the client on the requests of its measured phase, kept in the reply: the reflector times exactly these. */
#define FLAG_MEASURED 2

/* Ring geometry: 2 KiB frames, two per 4 KiB block, 1024 frames each way (the throughput receiver needs the room). */
#define FRAME_SIZE 2048
#define BLOCK_SIZE 4096
#define FRAME_COUNT 1024

/* Hop buckets: oob-core's HopHistogram (2^7 ns .. 2^23 ns, four a power of two, one below and one above). */
#define HOP_FIRST_EXPONENT 7
#define HOP_LAST_EXPONENT 23
#define HOP_SUB_BITS 2
#define HOP_SUB_BUCKETS (1 << HOP_SUB_BITS)
#define HOP_BUCKETS (2 + (HOP_LAST_EXPONENT - HOP_FIRST_EXPONENT) * HOP_SUB_BUCKETS)


struct ring
{
    uint8_t *base;
    unsigned next;
};

struct floor_socket
{
    int fd;
    int kernel_udp_fd;
    struct ring rx;
    struct ring tx;
    uint8_t mac[6];
};

struct client_plan
{
    const char *out;
    uint8_t peer_mac[6];
    unsigned size;
    long long warmup_ns;
    long long warmup_count;
    long long duration_ns;
    long long count;
    long long timeout_ns;
    unsigned batch;
    uint32_t src_ip;
    uint32_t dst_ip;
    uint16_t port;
};

struct hop
{
    const char *label;
    long long counts[HOP_BUCKETS];
    long long count;
    long long max_ns;
    long long sum_ns;
};

enum
{
    KERNEL_RX_TO_PICKUP,
    PICKUP_TO_HANDLER_DONE,
    HANDLER_DONE_TO_KICK,
    KICK_TO_RETURN,
    HOP_COUNT
};

/* One side's hops; recording while hops_recording (hops=1, and the phase the side times). */
static struct hop hops[HOP_COUNT] = {
    {.label = "kernel_rx->pickup"},
    {.label = "pickup->handler_done"},
    {.label = "handler_done->kick"},
    {.label = "kick->return"},
};
static int hops_enabled;
static int hops_recording;

static volatile sig_atomic_t stop_requested;

/* What the standard-input reader thread saw (reflector and counter): the relayed "hops end" lines, counted, and the
 * end of input. The spinning thread applies them itself (the hops are its own) between frames: reading the pipe on
 * the spinning thread instead costs a system call a check. */
static atomic_uint hops_ends_read;
static atomic_int input_ended;

static void on_signal(int signal_number)
{
    (void)signal_number;
    stop_requested = 1;
}

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "floor: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static void fail_errno(const char *what)
{
    fail(what, strerrorname_np(errno) ? strerrorname_np(errno) : strerror(errno));
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* HopHistogram.bucketIndex */
static int hop_bucket(long long ns)
{
    if (ns < (1LL << HOP_FIRST_EXPONENT))
    {
        return 0;
    }
    const int exponent = 63 - __builtin_clzll((unsigned long long)ns);
    if (exponent >= HOP_LAST_EXPONENT)
    {
        return HOP_BUCKETS - 1;
    }
    const int sub = (int)(ns >> (exponent - HOP_SUB_BITS)) & (HOP_SUB_BUCKETS - 1);
    return 1 + (exponent - HOP_FIRST_EXPONENT) * HOP_SUB_BUCKETS + sub;
}

/* HopHistogram.lowerBoundNs */
static long long hop_lower_bound(int index)
{
    if (index == 0)
    {
        return 0;
    }
    if (index == HOP_BUCKETS - 1)
    {
        return 1LL << HOP_LAST_EXPONENT;
    }
    const int exponent = HOP_FIRST_EXPONENT + (index - 1) / HOP_SUB_BUCKETS;
    const int sub = (index - 1) % HOP_SUB_BUCKETS;
    return (long long)(HOP_SUB_BUCKETS + sub) << (exponent - HOP_SUB_BITS);
}

static void hop_record(int hop, long long ns)
{
    struct hop *h = &hops[hop];
    h->counts[hop_bucket(ns)]++;
    h->count++;
    h->sum_ns += ns;
    if (h->count == 1 || ns > h->max_ns)
    {
        h->max_ns = ns;
    }
}

static void hops_reset(void)
{
    for (int i = 0; i < HOP_COUNT; i++)
    {
        memset(hops[i].counts, 0, sizeof(hops[i].counts));
        hops[i].count = 0;
        hops[i].max_ns = 0;
        hops[i].sum_ns = 0;
    }
}

static void hops_print(void)
{
    for (int i = 0; i < HOP_COUNT; i++)
    {
        printf("HOP %s count=%lld max_ns=%lld sum_ns=%lld buckets=", hops[i].label, hops[i].count, hops[i].max_ns,
            hops[i].sum_ns);
        const char *separator = "";
        for (int b = 0; b < HOP_BUCKETS; b++)
        {
            if (hops[i].counts[b] != 0)
            {
                printf("%s%lld:%lld", separator, hop_lower_bound(b), hops[i].counts[b]);
                separator = ",";
            }
        }
        printf("\n");
    }
    printf("HOPS done\n");
    fflush(stdout);
}

/* The frame's software RX stamp (tp_sec/tp_nsec, CLOCK_REALTIME). */
static long long kernel_rx_ns(const struct tpacket2_hdr *h)
{
    return (long long)h->tp_sec * 1000000000LL + h->tp_nsec;
}

static struct tpacket2_hdr *frame_at(const struct ring *ring, unsigned index)
{
    return (struct tpacket2_hdr *)(ring->base + (size_t)index * FRAME_SIZE);
}

/* Opens the packet socket on IFNAME with both rings mapped; protocol is the EtherType frames are received for. */
static void open_socket(struct floor_socket *s, const char *ifname, uint16_t protocol)
{
    s->fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (s->fd < 0)
    {
        fail_errno("socket(AF_PACKET)");
    }
    const int version = TPACKET_V2;
    if (setsockopt(s->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) != 0)
    {
        fail_errno("PACKET_VERSION=TPACKET_V2");
    }
    /* the TX ring's frames go straight to the driver, as oob-packet's do */
    const int one = 1;
    if (setsockopt(s->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0)
    {
        fail_errno("PACKET_QDISC_BYPASS");
    }
    struct tpacket_req req = {
        .tp_block_size = BLOCK_SIZE,
        .tp_block_nr = FRAME_COUNT * FRAME_SIZE / BLOCK_SIZE,
        .tp_frame_size = FRAME_SIZE,
        .tp_frame_nr = FRAME_COUNT,
    };
    if (setsockopt(s->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) != 0)
    {
        fail_errno("PACKET_RX_RING");
    }
    if (setsockopt(s->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) != 0)
    {
        fail_errno("PACKET_TX_RING");
    }
    const size_t ring_bytes = (size_t)FRAME_COUNT * FRAME_SIZE;
    /* one mapping, RX ring first, then TX ring (packet_mmap's layout) */
    uint8_t *map = mmap(NULL, 2 * ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, s->fd, 0);
    if (map == MAP_FAILED)
    {
        fail_errno("mmap of the rings");
    }
    s->rx.base = map;
    s->rx.next = 0;
    s->tx.base = map + ring_bytes;
    s->tx.next = 0;

    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    if (strlen(ifname) >= sizeof(ifr.ifr_name))
    {
        fail("interface name too long", ifname);
    }
    strcpy(ifr.ifr_name, ifname);
    if (ioctl(s->fd, SIOCGIFINDEX, &ifr) != 0)
    {
        fail_errno("SIOCGIFINDEX");
    }
    const int ifindex = ifr.ifr_ifindex;
    if (ioctl(s->fd, SIOCGIFHWADDR, &ifr) != 0)
    {
        fail_errno("SIOCGIFHWADDR");
    }
    memcpy(s->mac, ifr.ifr_hwaddr.sa_data, 6);

    struct sockaddr_ll address = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(protocol),
        .sll_ifindex = ifindex,
    };
    if (bind(s->fd, (struct sockaddr *)&address, sizeof(address)) != 0)
    {
        fail_errno("bind(AF_PACKET)");
    }
    s->kernel_udp_fd = -1;
}

/* Binds a kernel UDP socket to the port: the kernel's copy of each frame lands there (and is dropped when its
 * small buffer is full) instead of drawing an ICMP port unreachable. */
static void reserve_udp_port(struct floor_socket *s, uint32_t ip, uint16_t port)
{
    s->kernel_udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (s->kernel_udp_fd < 0)
    {
        fail_errno("socket(AF_INET, SOCK_DGRAM)");
    }
    const int small = 4096;
    setsockopt(s->kernel_udp_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = ip};
    if (bind(s->kernel_udp_fd, (struct sockaddr *)&address, sizeof(address)) != 0)
    {
        fail_errno("bind of the UDP port");
    }
}

/* The next received frame, or NULL; hand it back with rx_release(). */
static struct tpacket2_hdr *rx_poll(struct floor_socket *s)
{
    struct tpacket2_hdr *h = frame_at(&s->rx, s->rx.next);
    /* acquire: pairs with the kernel's store of TP_STATUS_USER after it wrote the frame */
    if ((__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) == 0)
    {
        return NULL;
    }
    return h;
}

static void rx_release(struct floor_socket *s, struct tpacket2_hdr *h)
{
    /* release: the frame back to the kernel; pairs with the kernel's read of tp_status */
    __atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
    s->rx.next = (s->rx.next + 1) % FRAME_COUNT;
}

/* The next TX frame's data area once the kernel has sent what it held; NULL when a send failed. */
static uint8_t *tx_claim(struct floor_socket *s)
{
    struct tpacket2_hdr *h = frame_at(&s->tx, s->tx.next);
    unsigned status;
    /* acquire: pairs with the kernel's store of TP_STATUS_AVAILABLE once it sent the frame */
    while ((status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE)) != TP_STATUS_AVAILABLE)
    {
        if (status & TP_STATUS_WRONG_FORMAT)
        {
            return NULL;
        }
    }
    return (uint8_t *)h + TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
}

/* Hands the claimed frame to the kernel and kicks it: one sendto() per frame, as in a ping-pong. With hops
 * recording and pickup_ns (the received frame this answers, CLOCK_REALTIME) not 0, times the three hops from
 * pickup to the kick's return. */
static void tx_send(struct floor_socket *s, unsigned length, long long pickup_ns)
{
    struct tpacket2_hdr *h = frame_at(&s->tx, s->tx.next);
    h->tp_len = length;
    /* release: the frame's bytes before the status that lets the kernel read them */
    __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
    s->tx.next = (s->tx.next + 1) % FRAME_COUNT;
    const int timed = hops_recording && pickup_ns != 0;
    const long long done_ns = timed ? realtime_ns() : 0;
    const long long kick_ns = timed ? realtime_ns() : 0;
    if (sendto(s->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 && errno != EAGAIN && errno != ENOBUFS)
    {
        fail_errno("sendto (TX ring kick)");
    }
    if (timed)
    {
        const long long return_ns = realtime_ns();
        hop_record(PICKUP_TO_HANDLER_DONE, done_ns - pickup_ns);
        hop_record(HANDLER_DONE_TO_KICK, kick_ns - done_ns);
        hop_record(KICK_TO_RETURN, return_ns - kick_ns);
    }
}

static uint16_t ip_checksum(const uint8_t *header)
{
    uint32_t sum = 0;
    for (int i = 0; i < IP_HEADER; i += 2)
    {
        sum += (uint32_t)(header[i] << 8 | header[i + 1]);
    }
    while (sum >> 16)
    {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return htons((uint16_t)~sum);
}

/* Where the message starts in a frame of this framing. */
static unsigned message_offset(int udp)
{
    return udp ? ETH_HEADER + IP_HEADER + UDP_HEADER : ETH_HEADER;
}

/* Writes the headers of a request into frame; returns the frame's length. */
static unsigned frame_request(uint8_t *frame, const struct floor_socket *s, const struct client_plan *plan, int udp)
{
    memcpy(frame, plan->peer_mac, 6);
    memcpy(frame + 6, s->mac, 6);
    const uint16_t ether_type = htons(udp ? ETH_P_IP : FLOOR_ETHER_TYPE);
    memcpy(frame + 12, &ether_type, 2);
    if (udp)
    {
        uint8_t *ip = frame + ETH_HEADER;
        const uint16_t ip_length = htons((uint16_t)(IP_HEADER + UDP_HEADER + plan->size));
        memset(ip, 0, IP_HEADER);
        ip[0] = 0x45;
        memcpy(ip + 2, &ip_length, 2);
        ip[6] = 0x40; /* don't fragment */
        ip[8] = 64;
        ip[9] = IPPROTO_UDP;
        memcpy(ip + 12, &plan->src_ip, 4);
        memcpy(ip + 16, &plan->dst_ip, 4);
        const uint16_t checksum = ip_checksum(ip);
        memcpy(ip + 10, &checksum, 2);
        uint8_t *u = ip + IP_HEADER;
        const uint16_t port = htons(plan->port);
        const uint16_t udp_length = htons((uint16_t)(UDP_HEADER + plan->size));
        memcpy(u, &port, 2);
        memcpy(u + 2, &port, 2);
        memcpy(u + 4, &udp_length, 2);
        memset(u + 6, 0, 2); /* no UDP checksum (allowed over IPv4) */
    }
    return message_offset(udp) + plan->size;
}

/* Whether a received frame carries a message of this framing; *message points at it. */
static int parse(const uint8_t *frame, unsigned length, int udp, uint16_t port, const uint8_t **message)
{
    const unsigned at = message_offset(udp);
    if (length < at + MESSAGE_MIN)
    {
        return 0;
    }
    uint16_t ether_type;
    memcpy(&ether_type, frame + 12, 2);
    if (ntohs(ether_type) != (udp ? ETH_P_IP : FLOOR_ETHER_TYPE))
    {
        return 0;
    }
    if (udp)
    {
        const uint8_t *ip = frame + ETH_HEADER;
        uint16_t destination_port;
        memcpy(&destination_port, ip + IP_HEADER + 2, 2);
        if (ip[0] != 0x45 || ip[9] != IPPROTO_UDP || ntohs(destination_port) != port)
        {
            return 0;
        }
    }
    *message = frame + at;
    return 1;
}

/* The standard-input reader thread: counts the harness's relayed "hops end" lines and notes the end of input (the
 * harness went away). Blocked in read(2) otherwise. */
static void *read_commands(void *unused)
{
    (void)unused;
    char line[64];
    while (fgets(line, sizeof(line), stdin) != NULL)
    {
        if (strncmp(line, "hops end", 8) == 0)
        {
            atomic_fetch_add_explicit(&hops_ends_read, 1, memory_order_release);
        }
    }
    atomic_store_explicit(&input_ended, 1, memory_order_release);
    return NULL;
}

static void start_command_reader(void)
{
    /* a small stack: mlockall locks the whole of it */
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, 64 * 1024);
    pthread_t reader;
    const int error = pthread_create(&reader, &attributes, read_commands, NULL);
    pthread_attr_destroy(&attributes);
    if (error != 0)
    {
        fail("standard input reader", strerror(error));
    }
    pthread_detach(reader);
}

/* At a "hops end" read since the last call: prints the measured requests' hops and starts anew. */
static void apply_hops_commands(void)
{
    static unsigned ends_applied;
    const unsigned ends = atomic_load_explicit(&hops_ends_read, memory_order_acquire);
    if (ends != ends_applied)
    {
        ends_applied = ends;
        if (hops_enabled)
        {
            hops_print();
            hops_reset();
        }
    }
}

/* Whether standard input has ended (the harness went away) or a signal asked to stop. */
static int should_stop(void)
{
    return stop_requested || atomic_load_explicit(&input_ended, memory_order_acquire);
}

/* Tells the harness the rings are up, and this side's MAC address (the client's destination). */
static void print_ready(const struct floor_socket *s)
{
    printf("READY %02x:%02x:%02x:%02x:%02x:%02x\n", s->mac[0], s->mac[1], s->mac[2], s->mac[3], s->mac[4],
        s->mac[5]);
    fflush(stdout);
}

/* Spins on the RX ring for the next frame, applying the relayed phase lines on the way; NULL once told to stop
 * (checked while idle: loads of lines the reader thread seldom writes). */
static struct tpacket2_hdr *rx_wait(struct floor_socket *s)
{
    while (1)
    {
        apply_hops_commands();
        struct tpacket2_hdr *h = rx_poll(s);
        if (h != NULL)
        {
            return h;
        }
        if (should_stop())
        {
            return NULL;
        }
    }
}

static int reflect(struct floor_socket *s, int udp, uint16_t port)
{
    if (udp)
    {
        reserve_udp_port(s, htonl(INADDR_ANY), port);
    }
    print_ready(s);
    /* the reflector times the requests flagged measured, whenever they come */
    hops_recording = hops_enabled;
    unsigned long long replies = 0;
    struct tpacket2_hdr *h;
    while ((h = rx_wait(s)) != NULL)
    {
        const long long picked_ns = hops_enabled ? realtime_ns() : 0;
        const uint8_t *in = (const uint8_t *)h + h->tp_mac;
        const unsigned length = h->tp_snaplen;
        const uint8_t *message;
        if (length <= FRAME_SIZE - TPACKET2_HDRLEN && parse(in, length, udp, port, &message) &&
            (message[FLAGS_AT] & FLAG_REQUEST) != 0)
        {
            long long pickup_ns = 0;
            if (hops_enabled && (message[FLAGS_AT] & FLAG_MEASURED) != 0)
            {
                pickup_ns = picked_ns;
                hop_record(KERNEL_RX_TO_PICKUP, pickup_ns - kernel_rx_ns(h));
            }
            uint8_t *out = tx_claim(s);
            if (out != NULL)
            {
                /* the request, addressed back to its sender, the request flag cleared (the measured flag kept) */
                memcpy(out, in + 6, 6);
                memcpy(out + 6, s->mac, 6);
                memcpy(out + 12, in + 12, length - 12);
                if (udp)
                {
                    /* swapping the addresses leaves the IPv4 header checksum as it was */
                    memcpy(out + ETH_HEADER + 12, in + ETH_HEADER + 16, 4);
                    memcpy(out + ETH_HEADER + 16, in + ETH_HEADER + 12, 4);
                }
                out[message_offset(udp) + FLAGS_AT] &= (uint8_t)~FLAG_REQUEST;
                tx_send(s, length, pickup_ns);
                replies++;
            }
        }
        rx_release(s, h);
    }
    printf("REFLECTED replies=%llu\n", replies);
    return 0;
}

/* Waits for the reply to sequence; 1 with *reply_ns set (and, recording hops, *pickup_ns: CLOCK_REALTIME), or 0
 * after the timeout. */
static int await_reply(struct floor_socket *s, int udp, uint16_t port, uint64_t sequence, long long sent_ns,
    long long timeout_ns, long long *reply_ns, long long *pickup_ns)
{
    while (1)
    {
        struct tpacket2_hdr *h = rx_poll(s);
        if (h == NULL)
        {
            if (now_ns() - sent_ns > timeout_ns || stop_requested)
            {
                return 0;
            }
            continue;
        }
        const long long seen_ns = now_ns();
        const long long picked_ns = hops_recording ? realtime_ns() : 0;
        const long long stamped_ns = kernel_rx_ns(h);
        const uint8_t *message;
        const int ours = parse((const uint8_t *)h + h->tp_mac, h->tp_snaplen, udp, port, &message) &&
            (message[FLAGS_AT] & FLAG_REQUEST) == 0;
        uint64_t replied = 0;
        if (ours)
        {
            memcpy(&replied, message + SEQUENCE_AT, 8);
        }
        rx_release(s, h);
        if (ours && replied == sequence)
        {
            *reply_ns = seen_ns;
            *pickup_ns = picked_ns;
            if (picked_ns != 0)
            {
                hop_record(KERNEL_RX_TO_PICKUP, picked_ns - stamped_ns);
            }
            return 1;
        }
    }
}

/* One phase of ping-pong; returns the exchanges done, recording round trips to samples when it is given. */
static long long ping_pong(struct floor_socket *s, int udp, const struct client_plan *plan, long long limit_ns,
    long long limit_count, uint64_t *sequence, FILE *samples, long long *lost, long long *elapsed_ns)
{
    const long long start = now_ns();
    long long k = 0;
    /* the last reply's pickup: the next request is what the client's "handler" does with it */
    long long pickup_ns = 0;
    while (!stop_requested)
    {
        const long long now = now_ns();
        if (limit_ns > 0 ? now - start >= limit_ns : k >= limit_count)
        {
            break;
        }
        uint8_t *frame = tx_claim(s);
        if (frame == NULL)
        {
            fail("TX ring", "the kernel rejected a frame (TP_STATUS_WRONG_FORMAT)");
        }
        const unsigned length = frame_request(frame, s, plan, udp);
        uint8_t *message = frame + message_offset(udp);
        memset(message, 0, plan->size);
        ++*sequence;
        memcpy(message + SEQUENCE_AT, sequence, 8);
        message[FLAGS_AT] = samples != NULL ? FLAG_REQUEST | FLAG_MEASURED : FLAG_REQUEST;
        const long long sent_ns = now_ns();
        tx_send(s, length, pickup_ns);
        long long reply_ns;
        pickup_ns = 0;
        if (await_reply(s, udp, plan->port, *sequence, sent_ns, plan->timeout_ns, &reply_ns, &pickup_ns))
        {
            if (samples != NULL)
            {
                const int64_t rtt = reply_ns - sent_ns;
                fwrite(&rtt, sizeof(rtt), 1, samples);
            }
        }
        else if (samples != NULL)
        {
            ++*lost;
        }
        k++;
    }
    *elapsed_ns = now_ns() - start;
    return k;
}

static int client(struct floor_socket *s, int udp, const struct client_plan *plan)
{
    if (udp)
    {
        reserve_udp_port(s, plan->src_ip, plan->port);
    }
    FILE *samples = fopen(plan->out, "wb");
    if (samples == NULL)
    {
        fail_errno(plan->out);
    }
    /* a large buffer: one write() every 128 Ki samples, the only system call besides the kicks */
    static char buffer[1 << 20];
    setvbuf(samples, buffer, _IOFBF, sizeof(buffer));
    uint64_t sequence = 0;
    long long lost = 0;
    long long warmup_ns;
    long long measured_ns;
    const long long warmup = ping_pong(s, udp, plan, plan->warmup_ns, plan->warmup_count, &sequence, NULL, &lost,
        &warmup_ns);
    if (hops_enabled)
    {
        printf("PHASE measured begin\n");
        fflush(stdout);
        hops_recording = 1;
    }
    const long long measured = ping_pong(s, udp, plan, plan->duration_ns, plan->count, &sequence, samples, &lost,
        &measured_ns);
    if (hops_enabled)
    {
        hops_recording = 0;
        printf("PHASE measured end\n");
        hops_print();
    }
    if (fclose(samples) != 0)
    {
        fail_errno(plan->out);
    }
    printf("FLOOR count=%lld lost=%lld warmup_count=%lld warmup_ns=%lld measured_ns=%lld\n", measured - lost, lost,
        warmup, warmup_ns, measured_ns);
    return 0;
}

/* The throughput receiver: counts frames until told to stop. */
static int count(struct floor_socket *s)
{
    print_ready(s);
    unsigned long long received = 0;
    struct tpacket2_hdr *h;
    while ((h = rx_wait(s)) != NULL)
    {
        const uint8_t *message;
        if (parse((const uint8_t *)h + h->tp_mac, h->tp_snaplen, 0, 0, &message))
        {
            received++;
        }
        rx_release(s, h);
    }
    struct tpacket_stats stats;
    socklen_t length = sizeof(stats);
    if (getsockopt(s->fd, SOL_PACKET, PACKET_STATISTICS, &stats, &length) != 0)
    {
        fail_errno("PACKET_STATISTICS");
    }
    printf("COUNTED received=%llu drops=%u\n", received, stats.tp_drops);
    return 0;
}

/* What a throughput sender did: frames handed to the kernel or refused, kernel calls and the time inside them. */
struct blast_tally
{
    unsigned long long sent;
    unsigned long long failed;
    unsigned long long calls;
    long long syscall_ns;
};

static void print_blasted(const struct blast_tally *t, long long elapsed_ns)
{
    printf("BLASTED sent=%llu failed=%llu elapsed_ns=%lld calls=%llu syscall_ns=%lld\n", t->sent, t->failed,
        elapsed_ns, t->calls, t->syscall_ns);
}

/* The kernel baseline: sendmmsg(2) of batch frames per call on a socket without rings, for duration_ns. */
static int blast(const char *ifname, const struct client_plan *plan)
{
    const int fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0)
    {
        fail_errno("socket(AF_PACKET)");
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    if (strlen(ifname) >= sizeof(ifr.ifr_name))
    {
        fail("interface name too long", ifname);
    }
    strcpy(ifr.ifr_name, ifname);
    if (ioctl(fd, SIOCGIFINDEX, &ifr) != 0)
    {
        fail_errno("SIOCGIFINDEX");
    }
    struct sockaddr_ll address = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(FLOOR_ETHER_TYPE),
        .sll_ifindex = ifr.ifr_ifindex,
    };
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0)
    {
        fail_errno("SIOCGIFHWADDR");
    }
    static uint8_t frames[1024][ETH_HEADER + MESSAGE_MAX];
    static struct iovec iov[1024];
    static struct mmsghdr messages[1024];
    const unsigned length = ETH_HEADER + plan->size;
    const uint16_t ether_type = htons(FLOOR_ETHER_TYPE);
    for (unsigned i = 0; i < plan->batch; i++)
    {
        memset(frames[i], 0xFF, 6);
        memcpy(frames[i] + 6, ifr.ifr_hwaddr.sa_data, 6);
        memcpy(frames[i] + 12, &ether_type, 2);
        memset(frames[i] + ETH_HEADER, 0, plan->size);
        iov[i].iov_base = frames[i];
        iov[i].iov_len = length;
        memset(&messages[i], 0, sizeof(messages[i]));
        messages[i].msg_hdr.msg_iov = &iov[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &address;
        messages[i].msg_hdr.msg_namelen = sizeof(address);
    }
    struct blast_tally t = {0};
    uint64_t sequence = 0;
    const long long start = now_ns();
    long long now = start;
    while (now - start < plan->duration_ns && !stop_requested)
    {
        for (unsigned i = 0; i < plan->batch; i++)
        {
            ++sequence;
            memcpy(frames[i] + ETH_HEADER + SEQUENCE_AT, &sequence, 8);
        }
        /* the time inside the kernel, comparable with the stage row's time outside its task (the kick) */
        const long long before = now_ns();
        const int n = sendmmsg(fd, messages, plan->batch, 0);
        now = now_ns();
        t.syscall_ns += now - before;
        t.calls++;
        if (n < 0)
        {
            if (errno != ENOBUFS && errno != EAGAIN)
            {
                fail_errno("sendmmsg");
            }
            t.failed += plan->batch;
        }
        else
        {
            t.sent += (unsigned)n;
            t.failed += plan->batch - (unsigned)n;
        }
    }
    print_blasted(&t, now - start);
    return 0;
}

/* The TX-ring baseline: the stage's path written in C (batch frames committed to the TX ring, one
 * send(fd, NULL, 0, MSG_DONTWAIT) kick for them), so that the kernel's cost of the ring path is measured without
 * the JVM. */
static int blast_ring(const char *ifname, const struct client_plan *plan)
{
    struct floor_socket s;
    /* bound to an EtherType nothing sends: the RX ring stays empty */
    open_socket(&s, ifname, FLOOR_ETHER_TYPE + 2);
    const unsigned length = ETH_HEADER + plan->size;
    const uint16_t ether_type = htons(FLOOR_ETHER_TYPE);
    struct blast_tally t = {0};
    uint64_t sequence = 0;
    const long long start = now_ns();
    long long now = start;
    while (now - start < plan->duration_ns && !stop_requested)
    {
        for (unsigned i = 0; i < plan->batch; i++)
        {
            struct tpacket2_hdr *h = frame_at(&s.tx, s.tx.next);
            unsigned status;
            /* acquire: pairs with the kernel's store of TP_STATUS_AVAILABLE; a frame still held (EAGAIN on the
             * last kick) is kicked again */
            while ((status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE)) != TP_STATUS_AVAILABLE)
            {
                if (status & TP_STATUS_WRONG_FORMAT)
                {
                    fail("TX ring", "frame refused (TP_STATUS_WRONG_FORMAT)");
                }
                sendto(s.fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
            }
            uint8_t *frame = (uint8_t *)h + TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
            memset(frame, 0xFF, 6);
            memcpy(frame + 6, s.mac, 6);
            memcpy(frame + 12, &ether_type, 2);
            ++sequence;
            memcpy(frame + ETH_HEADER + SEQUENCE_AT, &sequence, 8);
            h->tp_len = length;
            /* release: the frame's bytes before the status that lets the kernel read them */
            __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
            s.tx.next = (s.tx.next + 1) % FRAME_COUNT;
        }
        const long long before = now_ns();
        if (sendto(s.fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 && errno != EAGAIN && errno != ENOBUFS)
        {
            fail_errno("sendto (TX ring kick)");
        }
        now = now_ns();
        t.syscall_ns += now - before;
        t.calls++;
        t.sent += plan->batch;
    }
    print_blasted(&t, now - start);
    return 0;
}

static long long parse_number(const char *key, const char *value, long long min, long long max)
{
    char *end;
    errno = 0;
    const long long n = strtoll(value, &end, 10);
    if (errno != 0 || *end != '\0' || n < min || n > max)
    {
        fprintf(stderr, "floor: %s=%s must be a number from %lld to %lld\n", key, value, min, max);
        exit(2);
    }
    return n;
}

static void parse_mac(const char *value, uint8_t mac[6])
{
    unsigned b[6];
    if (sscanf(value, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
    {
        fail("peer_mac is not aa:bb:cc:dd:ee:ff", value);
    }
    for (int i = 0; i < 6; i++)
    {
        mac[i] = (uint8_t)b[i];
    }
}

static uint32_t parse_ip(const char *key, const char *value)
{
    struct in_addr address;
    if (inet_pton(AF_INET, value, &address) != 1)
    {
        fprintf(stderr, "floor: %s=%s is not an IPv4 address\n", key, value);
        exit(2);
    }
    return address.s_addr;
}

static void parse_option(struct client_plan *plan, const char *argument)
{
    const char *equals = strchr(argument, '=');
    if (equals == NULL)
    {
        fail("expected key=value", argument);
    }
    const size_t key_length = (size_t)(equals - argument);
    const char *value = equals + 1;
    char key[32];
    if (key_length >= sizeof(key))
    {
        fail("unknown option", argument);
    }
    memcpy(key, argument, key_length);
    key[key_length] = '\0';
    if (strcmp(key, "out") == 0)
    {
        plan->out = value;
    }
    else if (strcmp(key, "peer_mac") == 0)
    {
        parse_mac(value, plan->peer_mac);
    }
    else if (strcmp(key, "size") == 0)
    {
        plan->size = (unsigned)parse_number(key, value, MESSAGE_MIN, MESSAGE_MAX);
    }
    else if (strcmp(key, "warmup_ns") == 0)
    {
        plan->warmup_ns = parse_number(key, value, 0, 1LL << 62);
    }
    else if (strcmp(key, "warmup_count") == 0)
    {
        plan->warmup_count = parse_number(key, value, 0, 1LL << 62);
    }
    else if (strcmp(key, "duration_ns") == 0)
    {
        plan->duration_ns = parse_number(key, value, 0, 1LL << 62);
    }
    else if (strcmp(key, "count") == 0)
    {
        plan->count = parse_number(key, value, 0, 1LL << 62);
    }
    else if (strcmp(key, "timeout_ns") == 0)
    {
        plan->timeout_ns = parse_number(key, value, 1000, 1LL << 62);
    }
    else if (strcmp(key, "batch") == 0)
    {
        plan->batch = (unsigned)parse_number(key, value, 1, 1024);
    }
    else if (strcmp(key, "src") == 0)
    {
        plan->src_ip = parse_ip(key, value);
    }
    else if (strcmp(key, "dst") == 0)
    {
        plan->dst_ip = parse_ip(key, value);
    }
    else if (strcmp(key, "hops") == 0)
    {
        hops_enabled = (int)parse_number(key, value, 0, 1);
    }
    else if (strcmp(key, "port") == 0)
    {
        plan->port = (uint16_t)parse_number(key, value, 1, 65535);
    }
    else
    {
        fail("unknown option", argument);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "reflect") != 0 && strcmp(argv[1], "client") != 0 &&
        strcmp(argv[1], "count") != 0 && strcmp(argv[1], "blast") != 0 && strcmp(argv[1], "blast-ring") != 0) ||
        (strcmp(argv[2], "raw") != 0 && strcmp(argv[2], "udp") != 0))
    {
        fail("usage", "floor reflect|client|count|blast|blast-ring raw|udp IFNAME [key=value...]");
    }
    const int udp = strcmp(argv[2], "udp") == 0;
    struct client_plan plan = {
        .size = 64,
        .warmup_count = 1000,
        .count = 10000,
        .timeout_ns = 100000000LL,
        .port = 17001,
        .batch = 64,
    };
    for (int i = 4; i < argc; i++)
    {
        parse_option(&plan, argv[i]);
    }
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_signal;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    /* no page faults while measuring (best effort: without the privilege the run goes on) */
    mlockall(MCL_CURRENT | MCL_FUTURE);

    if (strcmp(argv[1], "blast") == 0)
    {
        if (udp || plan.duration_ns <= 0)
        {
            fail("blast needs", "raw framing and duration_ns=N");
        }
        return blast(argv[3], &plan);
    }
    if (strcmp(argv[1], "blast-ring") == 0)
    {
        if (udp || plan.duration_ns <= 0 || plan.batch > FRAME_COUNT)
        {
            fail("blast-ring needs", "raw framing, duration_ns=N and batch at most the ring's 1024 frames");
        }
        return blast_ring(argv[3], &plan);
    }
    struct floor_socket s;
    open_socket(&s, argv[3], udp ? ETH_P_IP : FLOOR_ETHER_TYPE);
    if (strcmp(argv[1], "count") == 0)
    {
        start_command_reader();
        return count(&s);
    }
    if (strcmp(argv[1], "reflect") == 0)
    {
        start_command_reader();
        return reflect(&s, udp, plan.port);
    }
    if (plan.out == NULL)
    {
        fail("client needs", "out=FILE");
    }
    if (udp && (plan.src_ip == 0 || plan.dst_ip == 0))
    {
        fail("client udp needs", "src=IP and dst=IP");
    }
    return client(&s, udp, &plan);
}
