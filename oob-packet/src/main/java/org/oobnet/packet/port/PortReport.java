package org.oobnet.packet.port;

import org.agrona.concurrent.status.CountersReader;
import org.oobnet.core.counters.StageSummary;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketSocketState;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.packet.ring.RingGeometry;
import org.oobnet.packet.stats.PacketCounter;

import java.io.PrintWriter;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@code oobnet net query} prints, like EVL's {@code evl net -Q}: for each interface of the calling thread's
 * network namespace, its kernel state, whether OOB traffic is enabled on it, the ring geometry its packet
 * sockets get, then the OOB packet sockets bound to it: those of this process (port state and packet counters)
 * and, from a running runtime's counters file, the counters of its packet sockets (oob-core's socket counters and
 * the {@link PacketCounter}s), which is how another process sees them.
 * <p>
 * <b>Note:</b> in-band only.
 */
public final class PortReport
{
    private final PacketConfig config;
    private final CountersReader runtimeCounters;
    private final PacketPorts ports;

    /**
     * A report of another process's runtime (this process has no packet sockets of its own to list).
     *
     * @param config          the packet configuration (enabled interfaces, geometry, options).
     * @param runtimeCounters a running runtime's counters, or null.
     */
    public PortReport(final PacketConfig config, final CountersReader runtimeCounters)
    {
        this(config, runtimeCounters, new PacketPorts());
    }

    /**
     * A report that also lists the sockets of a protocol of this process.
     *
     * @param config          the packet configuration (enabled interfaces, geometry, options).
     * @param runtimeCounters a running runtime's counters, or null.
     * @param ports           the protocol's bound sockets ({@code PacketProtocol.ports()}).
     */
    public PortReport(final PacketConfig config, final CountersReader runtimeCounters, final PacketPorts ports)
    {
        this.config = config;
        this.runtimeCounters = runtimeCounters;
        this.ports = ports;
    }

    /**
     * Print the report.
     *
     * @param out           where.
     * @param interfaceName only this interface, or null for all.
     * @return 0, or 1 when the named interface does not exist (said on {@code out}).
     * @throws SocketException when the kernel cannot list interfaces.
     */
    public int print(final PrintWriter out, final String interfaceName) throws SocketException
    {
        final List<NetworkInterface> interfaces = new ArrayList<>();
        if (null != interfaceName)
        {
            final NetworkInterface one = NetworkInterface.getByName(interfaceName);
            if (null == one)
            {
                out.println("interface=" + interfaceName + ": no such interface in this network namespace");
                return 1;
            }
            interfaces.add(one);
        }
        else
        {
            interfaces.addAll(Collections.list(NetworkInterface.getNetworkInterfaces()));
            interfaces.sort((x, y) -> Integer.compare(x.getIndex(), y.getIndex()));
        }

        for (final NetworkInterface nif : interfaces)
        {
            final byte[] hw = nif.getHardwareAddress();
            long mac = 0;
            if (null != hw)
            {
                for (final byte b : hw)
                {
                    mac = (mac << 8) | (b & 0xff);
                }
            }
            final boolean enabled = config.isEnabled(nif.getName());
            out.printf("%s: ifindex=%d state=%s mtu=%d mac=%s oob=%s%n", nif.getName(), nif.getIndex(),
                nif.isUp() ? "up" : "down", nif.getMTU(), EthernetHeaderFlyweight.macToString(mac),
                enabled ? "enabled" : "disabled");
            if (!enabled)
            {
                continue;
            }
            out.printf("  rx ring: %s%n", describe(config.rxGeometry()));
            out.printf("  tx ring: %s%n", null == config.txGeometry() ? "none" : describe(config.txGeometry()));
            out.printf("  options: qdisc-bypass=%s ignore-outgoing=%s promiscuous=%s verify-filter=%s groups=%d%n",
                config.qdiscBypass(), config.ignoreOutgoing(), config.promiscuous(), config.verifyFilter(),
                config.multicastGroups().size());
            for (final PacketSocketState state : ports.snapshot(nif.getName()))
            {
                out.printf("  socket fd=%d state=%s%s%n", state.socket().ksocket().fd(), state.portState(),
                    0 == state.lastSocketErrno() ? "" : " lastErrno=" + org.oobnet.inband.Errno.name(state.lastSocketErrno()));
                final StringBuilder line = new StringBuilder("   ");
                for (final PacketCounter counter : PacketCounter.values())
                {
                    line.append(' ').append(counter.label().replace(' ', '-')).append('=')
                        .append(state.counters().get(counter));
                }
                out.println(line);
            }
        }

        if (null != runtimeCounters)
        {
            out.println("runtime packet sockets (counters file):");
            final int[] found = { 0 };
            runtimeCounters.forEach((value, counterId, label) ->
            {
                if (label.contains(": packet fd="))
                {
                    out.printf("  %-60s %d%n", label, value);
                    found[0]++;
                }
            });
            if (0 == found[0])
            {
                out.println("  none");
            }
            // each stage (name, CPU, cycles, stalls, allocation) and the devices under it, as oobnet stat shows them
            out.println("runtime stages and devices (counters file):");
            StageSummary.print(out, runtimeCounters, -1, false, "  ");
        }
        return 0;
    }

    private static String describe(final RingGeometry geometry)
    {
        return "frames=" + geometry.frameCount() + " frameSize=" + geometry.frameSize() + " blocks=" +
            geometry.blockCount() + " blockSize=" + geometry.blockSize() + " bytes=" + geometry.ringBytes() +
            " maxFrame=" + geometry.maxRxFrameBytes();
    }
}
