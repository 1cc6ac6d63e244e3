package org.oobnet.harness.bench.packet;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketProtocol;
import org.oobnet.packet.port.InterfaceInfo;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;

/**
 * What both sides of the OOB raw-frame ping-pong share: the EtherType, the frame layout (Ethernet header, then the
 * sockperf message), and the in-band set-up of a runtime with oob-packet's protocol and an
 * {@code AF_PACKET}/{@code SOCK_RAW | SOCK_OOB} socket bound to one interface.
 * <p>
 * Frames are read and written through oob-packet's {@code EthernetHeaderFlyweight}; the measuring side sends to
 * the broadcast MAC, so it need not know the reflector's.
 * <p>
 * <b>Note:</b> in-band only.
 */
public final class OobFrames
{
    /** IEEE 802 local experimental EtherType 1: the kernel's IP stack never sees these frames. */
    public static final int ETHER_TYPE = 0x88B5;

    private OobFrames()
    {
    }

    /**
     * In-band: starts a runtime whose registry serves {@code AF_PACKET} with oob-packet's protocol on one interface.
     *
     * @param interfaceName the interface.
     * @param cpu           the stage's CPU.
     * @param idle          the stage's idle strategy.
     * @return the runtime; close it.
     * @throws IOException when the counters directory cannot be made.
     */
    public static OobRuntime startRuntime(
        final String interfaceName, final int cpu, final OobConfig.IdleStrategyKind idle) throws IOException
    {
        return startRuntime(interfaceName, cpu, idle, Map.of());
    }

    /**
     * In-band: {@link #startRuntime(String, int, OobConfig.IdleStrategyKind)} with more oob-packet settings (e.g.
     * the throughput run's TX ring geometry).
     *
     * @param interfaceName the interface.
     * @param cpu           the stage's CPU.
     * @param idle          the stage's idle strategy.
     * @param packetSettings further {@link PacketConfig} keys and values.
     * @return the runtime; close it.
     * @throws IOException when the counters directory cannot be made.
     */
    public static OobRuntime startRuntime(final String interfaceName, final int cpu,
        final OobConfig.IdleStrategyKind idle, final Map<String, String> packetSettings) throws IOException
    {
        final Map<String, String> settings = new java.util.HashMap<>(packetSettings);
        settings.put(PacketConfig.QDISC_BYPASS_KEY, "true");
        settings.put(PacketConfig.INTERFACES_KEY, interfaceName);
        final PacketConfig packet = PacketConfig.fromProperties(settings);
        final ProtocolRegistry registry =
            new ProtocolRegistry().register(SocketConstants.AF_PACKET, new PacketProtocol(packet));
        return OobRuntime.start(OobConfig.builder()
            .stageCpu(cpu)
            .idleStrategy(idle)
            .countersDir(Files.createTempDirectory("oobnet-latency"))
            .build(), registry);
    }

    /**
     * In-band: opens the OOB packet socket of {@link #ETHER_TYPE} and binds it to the interface.
     *
     * @param interfaceName the interface.
     * @return the socket; close it before the runtime.
     * @throws IOException when the socket cannot be made or bound.
     */
    public static KSocket openSocket(final String interfaceName) throws IOException
    {
        final KSocket socket = KSocket.socket(SocketConstants.AF_PACKET,
            SocketConstants.SOCK_RAW | SocketConstants.SOCK_OOB, SocketConstants.htons(ETHER_TYPE));
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ll =
                SockAddr.encodeLinkLayer(InterfaceInfo.indexOf(interfaceName), ETHER_TYPE, null, arena);
            socket.bind(ll);
            return socket;
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /**
     * In-band: the interface's MAC address.
     *
     * @param interfaceName the interface.
     * @return the address in the low 48 bits.
     * @throws IOException when sysfs cannot be read.
     */
    public static long macOf(final String interfaceName) throws IOException
    {
        final Path file = Path.of("/sys/class/net", interfaceName, "address");
        final String text = Files.readString(file).trim();
        try
        {
            return EthernetHeaderFlyweight.parseMac(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException("address=" + text + " in " + file + " is not a MAC", ex);
        }
    }
}
