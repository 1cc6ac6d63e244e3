package org.oobnet.reliability.privilege;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.oobnet.config.CpuTopology;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketProtocol;

/**
 * Run in a child JVM with dropped privileges: starts a runtime, opens and binds an OOB packet socket (its RX and
 * TX rings mapped), and prints one line per step for the parent test to check. Exit 0 when the socket opened,
 * 3 with {@code FAILED errno=NAME message=...} when the kernel refused.
 * <p>
 * Arguments: interface name, counters directory.
 */
public final class PacketSocketProbe
{
    private PacketSocketProbe()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String interfaceName = args[0];
        final Path countersDir = Path.of(args[1]);
        System.out.println("uid=" + new com.sun.security.auth.module.UnixSystem().getUid() + " CapEff=" +
            CpuTopology.readStatusField(CpuTopology.PROC_SELF_STATUS, "CapEff").orElse("?"));
        final PacketConfig config = PacketConfig.fromProperties(Map.of(
            PacketConfig.RX_FRAMES_KEY, "64", PacketConfig.TX_FRAMES_KEY, "64"));
        try (OobRuntime runtime = OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(countersDir)
            .build(), new ProtocolRegistry().register(SocketConstants.AF_PACKET, new PacketProtocol(config))))
        {
            System.out.println("counters " + runtime.countersPath() + " mode=" +
                PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime.countersPath())));
            final KSocket socket;
            try
            {
                socket = KSocket.socket(SocketConstants.AF_PACKET, SocketConstants.SOCK_RAW | SocketConstants.SOCK_OOB,
                    SocketConstants.htons(0x88b7));
            }
            catch (final ErrnoException ex)
            {
                System.out.println("FAILED errno=" + ex.errnoName() + " message=" + ex.getMessage());
                System.exit(3);
                return;
            }
            try (Arena arena = Arena.ofConfined())
            {
                final int ifIndex = LibC.ifNameToIndex(ErrnoCapture.current(), arena.allocateFrom(interfaceName));
                final MemorySegment ll = SockAddr.encodeLinkLayer(ifIndex, 0x88b7, null, arena);
                socket.bind(ll);
                final long mappings = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(line -> line.contains("socket:[")).count();
                System.out.println("OPENED oob=" + (null != OobSocket.of(socket)) + " ringMappings=" + mappings);
            }
            catch (final ErrnoException ex)
            {
                System.out.println("FAILED errno=" + ex.errnoName() + " message=" + ex.getMessage());
                socket.close();
                System.exit(3);
                return;
            }
            socket.close();
        }
        System.out.println("CLOSED");
    }
}
