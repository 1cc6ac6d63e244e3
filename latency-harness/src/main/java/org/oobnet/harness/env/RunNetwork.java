package org.oobnet.harness.env;

import java.io.IOException;
import java.util.List;

/**
 * Where a run's two sides live: two network namespaces joined by a veth pair, or this host's loopback.
 * <p>
 * <b>Note:</b> in-band only; {@link #close()} is idempotent and safe from a shutdown hook.
 */
public interface RunNetwork extends AutoCloseable
{
    /**
     * @return {@code veth} or {@code loopback}, as reported in results.
     */
    String kind();

    /**
     * @return the address the reflector binds to.
     */
    String reflectorAddress();

    /**
     * @param reflectorSide true for the reflector's side, false for the measuring side.
     * @return the command prefix that runs a program on that side (e.g. {@code ip netns exec <ns>}), maybe empty.
     */
    List<String> prefix(boolean reflectorSide);

    /**
     * @param reflectorSide true for the reflector's side.
     * @return that side's interface name.
     */
    String interfaceName(boolean reflectorSide);

    @Override
    void close() throws IOException;
}
