package org.oobnet.config;

/**
 * How oob-udp moves datagrams, named as in the configuration file.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 */
public enum UdpTransport
{
    /** UDP/IPv4 framed by the OOB stage over AF_PACKET rings (the OOB path; the default). */
    PACKET("packet"),
    /** A kernel UDP socket polled with {@code recv(MSG_DONTWAIT)} by the stage (the comparison path). */
    KERNEL("kernel");

    private final String text;

    UdpTransport(final String text)
    {
        this.text = text;
    }

    /**
     * The name used in configuration.
     *
     * @return such as {@code "packet"}.
     */
    public String text()
    {
        return text;
    }
}
