package org.oobnet.harness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What the feed commands share: addresses and interfaces checked with errors that name the option, and the
 * summary printed and written as JSON.
 * <p>
 * <b>Note:</b> stateless.
 */
final class FeedOptions
{
    private FeedOptions()
    {
    }

    /**
     * @param option the option, for the error.
     * @param text   {@code ADDR:PORT}.
     * @return the IPv4 address and a port of 1..65535.
     * @throws IllegalArgumentException naming the option.
     */
    static InetSocketAddress ipv4(final String option, final String text)
    {
        final InetSocketAddress address = UdpCommand.parseAddress(option, text);
        if (address.isUnresolved() || !(address.getAddress() instanceof Inet4Address))
        {
            throw new IllegalArgumentException(option + "=" + text + " is not an IPv4 ADDR:PORT (MoldUDP64 here is " +
                "UDP over IPv4)");
        }
        if (0 == address.getPort())
        {
            throw new IllegalArgumentException(option + "=" + text + ": port 0 is not a feed's port");
        }
        return address;
    }

    /**
     * @param interfaceName the interface.
     * @return its first IPv4 address.
     * @throws IllegalArgumentException when it does not exist or has none.
     */
    static InetAddress interfaceAddress(final String interfaceName)
    {
        try
        {
            final NetworkInterface nif = NetworkInterface.getByName(interfaceName);
            if (null == nif)
            {
                throw new IllegalArgumentException("interface=" + interfaceName + " does not exist (ip link lists them)");
            }
            return nif.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst().orElseThrow(() ->
                new IllegalArgumentException("interface=" + interfaceName + " has no IPv4 address (ip -4 addr)"));
        }
        catch (final SocketException ex)
        {
            throw new IllegalArgumentException("interface=" + interfaceName + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Prints the summary as {@code key: value} lines and writes it as JSON when asked.
     *
     * @param command the command's name.
     * @param summary the summary.
     * @param json    the file, or null.
     * @param out     where to print.
     * @throws IOException when the file cannot be written.
     */
    static void report(final String command, final Map<String, Object> summary, final Path json, final PrintStream out)
        throws IOException
    {
        out.println(command + ":");
        summary.forEach((key, value) -> out.println("  " + key + ": " + value));
        if (null != json)
        {
            final Path parent = json.toAbsolutePath().getParent();
            if (null != parent)
            {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), summary);
            out.println("  json: " + json);
        }
    }
}
