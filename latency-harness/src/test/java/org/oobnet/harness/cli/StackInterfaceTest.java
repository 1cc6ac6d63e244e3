package org.oobnet.harness.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.oobnet.netns.testing.NetnsFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI asks the kernel which interface a peer or bind address means, says which it chose, lets
 * {@code --interface} override it, and names the address when there is no answer; on the real kernel, in
 * namespaces whose only routes are their veth's subnet.
 */
class StackInterfaceTest
{
    private final ByteArrayOutputStream notes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(notes, true, StandardCharsets.UTF_8);

    @Test
    void shouldTakeTheRouteToALoopbackPeer()
    {
        assertEquals("lo", StackInterface.forPeer(new InetSocketAddress("127.0.0.1", 9), null, out, "cmd"));
        assertEquals("cmd: interface lo (the kernel's route to 127.0.0.1; --interface overrides)\n", notes());
    }

    @Test
    void shouldTakeTheOverrideWithoutAsking()
    {
        assertEquals("eth9", StackInterface.forPeer(new InetSocketAddress("10.251.201.2", 9), "eth9", out, "cmd"));
        assertEquals("eth9", StackInterface.forBind(new InetSocketAddress("0.0.0.0", 9), "eth9", out, "cmd"));
        assertEquals("", notes());
    }

    @Test
    void shouldRefuseTheWildcardBindAddress()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> StackInterface.forBind(new InetSocketAddress("0.0.0.0", 9), null, out, "cmd"));
        assertEquals("bind address 0.0.0.0 names no interface: bind to the interface's own address, or name the " +
            "interface with --interface IF", ex.getMessage());
    }

    @Test
    void shouldChooseByRouteAndByAddressInANamespace() throws Exception
    {
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host host = net.host(0);
            final String peer = net.host(1).address();
            assertEquals(NetnsFixture.HOST_INTERFACE, net.call(host,
                () -> StackInterface.forPeer(new InetSocketAddress(peer, 9), null, out, "oobnet latency udp")));
            assertEquals(NetnsFixture.HOST_INTERFACE, net.call(host,
                () -> StackInterface.forBind(new InetSocketAddress(host.address(), 9), null, out,
                    "oobnet latency reflect")));
            assertEquals("oobnet latency udp: interface veth0 (the kernel's route to " + peer +
                "; --interface overrides)\noobnet latency reflect: interface veth0 (it holds " + host.address() +
                "; --interface overrides)\n", notes());

            final IllegalArgumentException noRoute = net.call(host, () -> assertThrows(IllegalArgumentException.class,
                () -> StackInterface.forPeer(new InetSocketAddress("10.251.201.2", 9), null, out, "cmd")));
            assertEquals("no route to 10.251.201.2 (RTM_GETROUTE: ENETUNREACH): add a route to it (ip route add), " +
                "or name the interface with --interface IF", noRoute.getMessage());
            final IllegalArgumentException notHeld = net.call(host, () -> assertThrows(IllegalArgumentException.class,
                () -> StackInterface.forBind(new InetSocketAddress(peer, 9), null, out, "cmd")));
            assertEquals("no interface has the address " + peer + " (ip -4 addr shows them): bind to one of them, " +
                "or name the interface with --interface IF", notHeld.getMessage());
        }
    }

    @Test
    void shouldNameTheUnroutedPeerInOneLineFromTheCommandLine() throws Exception
    {
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), OobnetCli.class.getName(),
                "latency", "udp", "--peer", "10.251.201.2:11112", "--peer-kind", "sockperf", "--transport", "packet"));
            final Process process = new ProcessBuilder(net.commandIn(net.host(0), command)).start();
            final String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, process.exitValue(), stdout + stderr);
            assertEquals("oobnet latency udp: no route to 10.251.201.2 (RTM_GETROUTE: ENETUNREACH): add a route to " +
                "it (ip route add), or name the interface with --interface IF\n", stderr);
        }
    }

    private String notes()
    {
        return notes.toString(StandardCharsets.UTF_8);
    }
}
