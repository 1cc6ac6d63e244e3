package org.oobnet.udp.frag;

/**
 * {@code IP_MTU_DISCOVER} on OOB UDP sockets (packet transport), as Linux's UDP applies it to a datagram larger
 * than the path MTU (the MTU of the route's interface, from the route cache):
 * <ul>
 *   <li>{@link #IP_PMTUDISC_DO}, {@link #IP_PMTUDISC_PROBE}: DF on every datagram; a larger one fails with
 *       {@code EMSGSIZE}.</li>
 *   <li>{@link #IP_PMTUDISC_WANT} (Linux's default for UDP): DF on datagrams that fit; a larger one is cut into
 *       fragments (no DF).</li>
 *   <li>{@link #IP_PMTUDISC_DONT}, {@link #IP_PMTUDISC_INTERFACE}, {@link #IP_PMTUDISC_OMIT}: no DF; a larger
 *       datagram is cut into fragments.</li>
 * </ul>
 * The kernel socket gets the option too (the in-band path follows the same rule). The stage learns no path MTU
 * from ICMP "fragmentation needed": the path MTU is the interface's.
 * <p>
 * <b>Note:</b> constants and pure functions, thread safe.
 */
public final class MtuDiscovery
{
    /** Never set DF; fragment. */
    public static final int IP_PMTUDISC_DONT = 0;
    /** DF when the datagram fits; fragment otherwise (the default). */
    public static final int IP_PMTUDISC_WANT = 1;
    /** Always DF; {@code EMSGSIZE} past the path MTU. */
    public static final int IP_PMTUDISC_DO = 2;
    /** Always DF; {@code EMSGSIZE} past the interface MTU. */
    public static final int IP_PMTUDISC_PROBE = 3;
    /** No DF; fragment by the interface MTU. */
    public static final int IP_PMTUDISC_INTERFACE = 4;
    /** No DF; fragment by the interface MTU. */
    public static final int IP_PMTUDISC_OMIT = 5;

    private MtuDiscovery()
    {
    }

    /**
     * @param mode an {@code IP_PMTUDISC_*} value.
     * @return whether it is one.
     */
    public static boolean isValid(final int mode)
    {
        return mode >= IP_PMTUDISC_DONT && mode <= IP_PMTUDISC_OMIT;
    }

    /**
     * @param mode the socket's mode.
     * @return whether a datagram larger than the path MTU is fragmented (else {@code EMSGSIZE}).
     */
    public static boolean fragments(final int mode)
    {
        return IP_PMTUDISC_DO != mode && IP_PMTUDISC_PROBE != mode;
    }

    /**
     * @param mode the socket's mode.
     * @return whether a datagram that fits the path MTU carries DF.
     */
    public static boolean dontFragment(final int mode)
    {
        return IP_PMTUDISC_WANT == mode || IP_PMTUDISC_DO == mode || IP_PMTUDISC_PROBE == mode;
    }
}
