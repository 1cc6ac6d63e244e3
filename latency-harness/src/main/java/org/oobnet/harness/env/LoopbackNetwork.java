package org.oobnet.harness.env;

import java.util.List;

/**
 * Both sides on this host's loopback: what runs without privileges (kernel socket transports only).
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class LoopbackNetwork implements RunNetwork
{
    @Override
    public String kind()
    {
        return "loopback";
    }

    @Override
    public String reflectorAddress()
    {
        return "127.0.0.1";
    }

    @Override
    public List<String> prefix(final boolean reflectorSide)
    {
        return List.of();
    }

    @Override
    public String interfaceName(final boolean reflectorSide)
    {
        return "lo";
    }

    @Override
    public void close()
    {
    }
}
