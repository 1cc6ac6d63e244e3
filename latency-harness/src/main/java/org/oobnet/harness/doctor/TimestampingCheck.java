package org.oobnet.harness.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.InterfaceTimestamping;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;

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
        final KSocket socket;
        try
        {
            socket = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        }
        catch (final ErrnoException ex)
        {
            return CheckResult.warn(name(), "socket(AF_INET, SOCK_DGRAM) failed: errno " + ex.errno(),
                "run `ethtool -T IF` by hand to see an interface's timestamping");
        }
        final List<String> found = new ArrayList<>();
        try
        {
            for (final String name : interfaces)
            {
                found.add(name + ": " + describe(socket, name));
            }
        }
        finally
        {
            closeQuietly(socket);
        }
        return CheckResult.ok(name(), String.join("; ", found));
    }

    private static String describe(final KSocket socket, final String name)
    {
        final InterfaceTimestamping info;
        try
        {
            info = InterfaceTimestamping.query(socket, name);
        }
        catch (final ErrnoException ex)
        {
            return "unknown (ETHTOOL_GET_TS_INFO errno " + ex.errno() + ")";
        }
        final int phc = info.phcIndex();
        return (info.hardwareRx() ? "hardware RX" + (phc >= 0 ? " (PTP clock /dev/ptp" + phc + ")" : "") :
            info.softwareRx() ? "software RX only" :
            "no RX timestamping reported (the kernel's software stamps still apply)") +
            String.format(" so_timestamping=0x%x", info.soTimestamping());
    }

    private static void closeQuietly(final KSocket socket)
    {
        try
        {
            socket.close();
        }
        catch (final ErrnoException ex)
        {
            // a probe socket: nothing else to undo
        }
    }
}
