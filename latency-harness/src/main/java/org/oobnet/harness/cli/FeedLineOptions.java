package org.oobnet.harness.cli;

import java.net.InetSocketAddress;

import picocli.CommandLine.Option;

/**
 * {@code --line-a GROUP:PORT}, {@code --line-b GROUP:PORT} and {@code --request ADDR:PORT}: a MoldUDP64 feed's
 * lines and request server, as both ends name them ({@code oobnet feed moldudp64} receives there,
 * {@code oobnet feed publish} sends there and listens for requests). Checked with errors that name the option.
 * <p>
 * <b>Note:</b> a picocli mixin; in-band.
 */
final class FeedLineOptions
{
    @Option(names = "--line-a", required = true, paramLabel = "GROUP:PORT",
        description = "Line A: a multicast group (or a unicast address) and port.")
    String lineA;

    @Option(names = "--line-b", paramLabel = "GROUP:PORT",
        description = "Line B, carrying the same packets: another group (the same port is fine, as Nasdaq runs " +
            "A and B) or another port (default: line A only).")
    String lineB;

    @Option(names = "--request", required = true, paramLabel = "ADDR:PORT",
        description = "The request server: where the publisher listens (its host's address, or 0.0.0.0 there), " +
            "where the receiver sends its requests.")
    String request;

    /** @return line A, checked. */
    InetSocketAddress lineA()
    {
        return FeedOptions.ipv4("--line-a", lineA);
    }

    /** @return line B, checked (not line A again), or null without one. */
    InetSocketAddress lineB()
    {
        if (null == lineB)
        {
            return null;
        }
        final InetSocketAddress b = FeedOptions.ipv4("--line-b", lineB);
        if (b.equals(lineA()))
        {
            throw new IllegalArgumentException("--line-b=" + lineB + " is line A again: A and B need different " +
                "groups or ports");
        }
        return b;
    }

    /**
     * For a receiver: line B may share line A's port only when both are multicast groups (each line socket then
     * gets its own group's packets; a unicast datagram would go to one socket of the port).
     *
     * @throws IllegalArgumentException naming {@code --line-b}.
     */
    void checkReceivable()
    {
        final InetSocketAddress b = lineB();
        final InetSocketAddress a = lineA();
        if (null != b && a.getPort() == b.getPort() &&
            !(a.getAddress().isMulticastAddress() && b.getAddress().isMulticastAddress()))
        {
            throw new IllegalArgumentException("--line-b=" + lineB + " shares line A's port: only two multicast " +
                "groups may share a port, give a unicast line its own");
        }
    }

    /** @return the request server's address, checked. */
    InetSocketAddress request()
    {
        return FeedOptions.ipv4("--request", request);
    }

    /** @return the lines as given, for messages: {@code A} or {@code A and B}. */
    String describeLines()
    {
        return lineA + (null == lineB ? "" : " and " + lineB);
    }
}
