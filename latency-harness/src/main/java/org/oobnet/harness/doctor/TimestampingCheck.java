package org.oobnet.harness.doctor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.IfreqDescriptor;
import org.oobnet.inband.sys.LibC;

/**
 * Each interface's timestamping capabilities ({@code ETHTOOL_GET_TS_INFO}): whether the NIC stamps received frames
 * in hardware ({@code SOF_TIMESTAMPING_RAW_HARDWARE}, what {@code UdpSockets.rxTimestampSource} then reports as
 * hardware) and its PTP clock, or only the kernel's software stamps. Informational: software timestamps always
 * work, so the check is OK either way and names which interfaces could give hardware ones.
 * <p>
 * <b>Note:</b> stateless; in the calling thread's network namespace.
 */
final class TimestampingCheck implements Check
{
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GET_TS_INFO = 0x41;
    // struct ethtool_ts_info: cmd, so_timestamping, phc_index, tx_types, tx_reserved[3], rx_filters, rx_reserved[3]
    private static final int TS_INFO_LENGTH = 44;
    private static final int SO_TIMESTAMPING_OFFSET = 4;
    private static final int PHC_INDEX_OFFSET = 8;
    private static final int SOF_TIMESTAMPING_RX_SOFTWARE = SocketConstants.SOF_TIMESTAMPING_RX_SOFTWARE;
    private static final int SOF_TIMESTAMPING_RX_HARDWARE = SocketConstants.SOF_TIMESTAMPING_RX_HARDWARE;
    private static final int SOF_TIMESTAMPING_RAW_HARDWARE = SocketConstants.SOF_TIMESTAMPING_RAW_HARDWARE;

    @Override
    public String name()
    {
        return "timestamping";
    }

    @Override
    public CheckResult run()
    {
        // the calling thread's namespace: /proc/thread-self (NetworkInterface lists the process's namespace)
        final List<String> interfaces = new ArrayList<>();
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/thread-self/net/dev")))
            {
                final int colon = line.indexOf(':');
                final String name = colon < 0 ? "" : line.substring(0, colon).strip();
                if (!name.isEmpty() && !"lo".equals(name))
                {
                    interfaces.add(name);
                }
            }
        }
        catch (final IOException ex)
        {
            return CheckResult.warn(name(), "cannot list interfaces: " + ex.getMessage(),
                "run `ethtool -T IF` by hand to see an interface's timestamping");
        }
        if (interfaces.isEmpty())
        {
            return CheckResult.ok(name(), "no interface but loopback: software RX timestamps only");
        }
        final ErrnoCapture errno = ErrnoCapture.current();
        final int fd = LibC.socket(errno, SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        if (fd < 0)
        {
            return CheckResult.warn(name(), "socket(AF_INET, SOCK_DGRAM) failed: errno " + -fd,
                "run `ethtool -T IF` by hand to see an interface's timestamping");
        }
        final List<String> found = new ArrayList<>();
        try (Arena arena = Arena.ofConfined())
        {
            for (final String name : interfaces)
            {
                found.add(name + ": " + describe(arena, errno, fd, name));
            }
        }
        finally
        {
            LibC.close(errno, fd);
        }
        return CheckResult.ok(name(), String.join("; ", found));
    }

    private static String describe(final Arena arena, final ErrnoCapture errno, final int fd, final String name)
    {
        final MemorySegment info = arena.allocate(TS_INFO_LENGTH, 4);
        info.set(ValueLayout.JAVA_INT, 0, ETHTOOL_GET_TS_INFO);
        final MemorySegment ifreq = arena.allocate(IfreqDescriptor.LENGTH, 8);
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, IfreqDescriptor.NAME_OFFSET,
            Math.min(bytes.length, IfreqDescriptor.IFNAMSIZ - 1));
        // ifr_data: the union after the name holds the pointer to the ethtool request
        ifreq.set(ValueLayout.ADDRESS, IfreqDescriptor.IFINDEX_OFFSET, info);
        final int rc = LibC.ioctl(errno, fd, SIOCETHTOOL, ifreq);
        if (rc < 0)
        {
            return "unknown (ETHTOOL_GET_TS_INFO errno " + -rc + ")";
        }
        final int flags = info.get(ValueLayout.JAVA_INT, SO_TIMESTAMPING_OFFSET);
        final int phc = info.get(ValueLayout.JAVA_INT, PHC_INDEX_OFFSET);
        final boolean hardware = 0 != (flags & SOF_TIMESTAMPING_RX_HARDWARE) &&
            0 != (flags & SOF_TIMESTAMPING_RAW_HARDWARE);
        final boolean software = 0 != (flags & SOF_TIMESTAMPING_RX_SOFTWARE);
        return (hardware ? "hardware RX" + (phc >= 0 ? " (PTP clock /dev/ptp" + phc + ")" : "") :
            software ? "software RX only" : "no RX timestamping reported (the kernel's software stamps still apply)") +
            String.format(" so_timestamping=0x%x", flags);
    }
}
