package org.oobnet.inband.sys;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.inband.Errno;
import org.oobnet.inband.SocketConstants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks every native layout and constant of the sys layer against the C compiler: a C program generated here
 * prints {@code sizeof}, {@code offsetof} and the header macros, and each must equal the Java constant.
 */
class StructLayoutTest
{
    private static final String HEADERS = """
        #define _GNU_SOURCE
        #include <stdio.h>
        #include <stddef.h>
        #include <errno.h>
        #include <fcntl.h>
        #include <poll.h>
        #include <sched.h>
        #include <time.h>
        #include <sys/socket.h>
        #include <sys/ioctl.h>
        #include <sys/epoll.h>
        #include <sys/eventfd.h>
        #include <sys/mman.h>
        #include <sys/uio.h>
        #include <netinet/in.h>
        #include <netinet/tcp.h>
        #include <net/if.h>
        #include <linux/sockios.h>
        #include <linux/if_packet.h>
        #include <linux/if_ether.h>
        #include <linux/filter.h>
        #include <linux/errqueue.h>
        """;

    private static final Struct[] STRUCTS =
    {
        new Struct(SockaddrInDescriptor.class, "struct sockaddr_in", "FAMILY", "sin_family", "PORT", "sin_port", "ADDR", "sin_addr", "ZERO", "sin_zero"),
        new Struct(SockaddrIn6Descriptor.class, "struct sockaddr_in6", "FAMILY", "sin6_family", "PORT", "sin6_port", "FLOWINFO", "sin6_flowinfo", "ADDR", "sin6_addr", "SCOPE_ID", "sin6_scope_id"),
        new Struct(SockaddrLlDescriptor.class, "struct sockaddr_ll", "FAMILY", "sll_family", "PROTOCOL", "sll_protocol", "IFINDEX", "sll_ifindex", "HATYPE", "sll_hatype", "PKTTYPE", "sll_pkttype", "HALEN", "sll_halen", "ADDR", "sll_addr"),
        new Struct(IovecDescriptor.class, "struct iovec", "BASE", "iov_base", "LEN", "iov_len"),
        new Struct(MsghdrDescriptor.class, "struct msghdr", "NAME", "msg_name", "NAMELEN", "msg_namelen", "IOV", "msg_iov", "IOVLEN", "msg_iovlen", "CONTROL", "msg_control", "CONTROLLEN", "msg_controllen", "FLAGS", "msg_flags"),
        new Struct(MmsghdrDescriptor.class, "struct mmsghdr", "HDR", "msg_hdr", "LEN", "msg_len"),
        new Struct(CmsghdrDescriptor.class, "struct cmsghdr", "LEN", "cmsg_len", "LEVEL", "cmsg_level", "TYPE", "cmsg_type"),
        new Struct(SockFilterDescriptor.class, "struct sock_filter", "CODE", "code", "JT", "jt", "JF", "jf", "K", "k"),
        new Struct(SockFprogDescriptor.class, "struct sock_fprog", "LEN", "len", "FILTER", "filter"),
        new Struct(TpacketReqDescriptor.class, "struct tpacket_req", "BLOCK_SIZE", "tp_block_size", "BLOCK_NR", "tp_block_nr", "FRAME_SIZE", "tp_frame_size", "FRAME_NR", "tp_frame_nr"),
        new Struct(Tpacket2HdrDescriptor.class, "struct tpacket2_hdr", "STATUS", "tp_status", "LEN", "tp_len", "SNAPLEN", "tp_snaplen", "MAC", "tp_mac", "NET", "tp_net", "SEC", "tp_sec", "NSEC", "tp_nsec", "VLAN_TCI", "tp_vlan_tci", "VLAN_TPID", "tp_vlan_tpid", "PADDING", "tp_padding"),
        new Struct(TpacketStatsDescriptor.class, "struct tpacket_stats", "PACKETS", "tp_packets", "DROPS", "tp_drops"),
        new Struct(PacketMreqDescriptor.class, "struct packet_mreq", "IFINDEX", "mr_ifindex", "TYPE", "mr_type", "ALEN", "mr_alen", "ADDRESS", "mr_address"),
        new Struct(IfreqDescriptor.class, "struct ifreq", "NAME", "ifr_name", "IFINDEX", "ifr_ifindex", "HWADDR_FAMILY", "ifr_hwaddr.sa_family", "HWADDR_DATA", "ifr_hwaddr.sa_data", "MTU", "ifr_mtu", "FLAGS", "ifr_flags"),
        new Struct(PollfdDescriptor.class, "struct pollfd", "FD", "fd", "EVENTS", "events", "REVENTS", "revents"),
        new Struct(EpollEventDescriptor.class, "struct epoll_event", "EVENTS", "events", "DATA", "data"),
        new Struct(SockExtendedErrDescriptor.class, "struct sock_extended_err", "ERRNO", "ee_errno", "ORIGIN", "ee_origin", "TYPE", "ee_type", "CODE", "ee_code", "PAD", "ee_pad", "INFO", "ee_info", "DATA", "ee_data"),
        new Struct(TimespecDescriptor.class, "struct timespec", "SEC", "tv_sec", "NSEC", "tv_nsec")
    };

    private static Map<String, Long> compiled;

    record Struct(Class<?> descriptor, String cName, String... constAndField)
    {
    }

    @BeforeAll
    static void compileAndRun(@TempDir final Path dir) throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")) || Files.isExecutable(Path.of("/usr/local/bin/gcc")),
            "gcc not found: cannot check layouts against the C compiler");
        final StringBuilder c = new StringBuilder(HEADERS);
        c.append("#define P(name, expr) printf(\"%s %lld\\n\", name, (long long)(expr))\n");
        c.append("int main(void)\n{\n");
        for (final Struct struct : STRUCTS)
        {
            c.append("    P(\"sizeof ").append(struct.cName()).append("\", sizeof(").append(struct.cName()).append("));\n");
            for (int i = 0; i < struct.constAndField().length; i += 2)
            {
                final String field = struct.constAndField()[i + 1];
                c.append("    P(\"offsetof ").append(struct.cName()).append(' ').append(field)
                    .append("\", offsetof(").append(struct.cName()).append(", ").append(field).append("));\n");
            }
        }
        for (final String macro : macroNames())
        {
            c.append("#ifdef ").append(macro).append("\n    P(\"macro ").append(macro).append("\", (int)(")
                .append(macro).append("));\n#endif\n");
        }
        c.append("    return 0;\n}\n");

        final Path source = dir.resolve("layouts.c");
        final Path binary = dir.resolve("layouts");
        Files.writeString(source, c.toString());
        run(List.of("gcc", "-O0", "-o", binary.toString(), source.toString()));
        final String output = run(List.of(binary.toString()));
        compiled = new HashMap<>();
        for (final String line : output.split("\n"))
        {
            final int space = line.lastIndexOf(' ');
            compiled.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
    }

    @Test
    void shouldMatchCompilerSizesAndOffsetsWhenStructsAreCompiled() throws Exception
    {
        int checked = 0;
        for (final Struct struct : STRUCTS)
        {
            assertEquals(compiled.get("sizeof " + struct.cName()), value(struct.descriptor(), "LENGTH"),
                struct.descriptor().getSimpleName() + ".LENGTH vs sizeof(" + struct.cName() + ")");
            for (int i = 0; i < struct.constAndField().length; i += 2)
            {
                final String constant = struct.constAndField()[i] + "_OFFSET";
                final String field = struct.constAndField()[i + 1];
                assertEquals(compiled.get("offsetof " + struct.cName() + " " + field), value(struct.descriptor(), constant),
                    struct.descriptor().getSimpleName() + "." + constant + " vs offsetof(" + struct.cName() + ", " + field + ")");
                checked++;
            }
        }
        assertTrue(checked > 60, "checked=" + checked);
    }

    @Test
    void shouldMatchHeaderMacrosWhenConstantsShareTheirName() throws Exception
    {
        int checked = 0;
        for (final Class<?> holder : constantHolders())
        {
            for (final Field field : holder.getFields())
            {
                final Long c = compiled.get("macro " + field.getName());
                if (isIntConstant(field) && null != c)
                {
                    assertEquals(c.longValue(), (long)(int)((Number)field.get(null)).intValue(),
                        holder.getSimpleName() + "." + field.getName());
                    checked++;
                }
            }
        }
        // Most names are the headers' own; the few that are oobnet's (SOCK_OOB, AF_OOB) have no macro.
        assertTrue(checked > 250, "checked=" + checked);
    }

    private static List<Class<?>> constantHolders()
    {
        return List.of(SocketConstants.class, SysConstants.class, Errno.class, Tpacket2HdrDescriptor.class,
            TpacketReqDescriptor.class, IfreqDescriptor.class, SockFilterDescriptor.class);
    }

    private static List<String> macroNames()
    {
        final List<String> names = new ArrayList<>();
        for (final Class<?> holder : constantHolders())
        {
            for (final Field field : holder.getFields())
            {
                if (isIntConstant(field) && !field.getName().endsWith("_OFFSET") && !field.getName().equals("LENGTH"))
                {
                    names.add(field.getName());
                }
            }
        }
        return names;
    }

    private static boolean isIntConstant(final Field field)
    {
        final int modifiers = field.getModifiers();
        return Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) &&
            (field.getType() == int.class || field.getType() == short.class);
    }

    private static Long value(final Class<?> holder, final String name) throws ReflectiveOperationException
    {
        return ((Number)holder.getField(name).get(null)).longValue();
    }

    private static String run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, process.exitValue(), command + " failed: " + output);
        return output;
    }
}
