package org.oobnet.core;

import org.oobnet.core.counters.DeviceCounters;

/**
 * What an OOB stage polls: a source and sink of frames shared by the sockets attached to it, EVL's per-device
 * RX/TX work, Aeron's polled transport. An interface's TPACKET_V2 ring pair (oob-udp's packet port, an oob-packet
 * raw socket's rings), a kernel busy-poll UDP socket; a protocol whose sockets each own their rings gets one
 * device per socket ({@link OobProtocol#pollsEachSocket()}).
 * <p>
 * Each duty cycle the stage calls {@link #poll} on every device (received frames are demultiplexed by the device
 * to the sockets attached to it), then serves the sockets that queued sends, then calls {@link #flush} on every
 * device (one TX kick per batch). A cycle's cost grows with the devices and the sockets that have work, never with
 * the number of idle sockets.
 * <p>
 * Added and removed in-band with {@link OobRuntime#addDevice}/{@link OobRuntime#removeDevice} (a stage command;
 * when {@code removeDevice} returns the stage no longer touches the device, so its rings may be unmapped), or on
 * the stage with {@link OobStage#addDevice}/{@link OobStage#removeDevice} from a stage command or a stage hook.
 * A device added in-band gets counters in the runtime's counters file ({@code "device <name>: ..."}: sockets
 * attached, health, and {@link #counterLabels()}), refreshed by the stage, which {@code oobnet stat} shows.
 * <b>Note:</b> {@link #poll} and {@link #flush} are stage only: no allocation, lock, blocking call or logging;
 * a {@code Throwable} escaping them is recorded in the error log and the stage goes on. The getters are read by
 * any thread.
 */
public interface StageDevice extends DeviceCounters.ValueSource
{
    /**
     * @return a short name for {@code oobnet stat}, e.g. {@code "udp port veth0"}.
     */
    String name();

    /**
     * Stage, every cycle: receive work; hand each frame to the socket it is for.
     *
     * @param nowNs the cycle's clock.
     * @return frames taken, 0 when none.
     */
    int poll(long nowNs);

    /**
     * Stage, every cycle, after the sockets' queued sends were served: push what the cycle queued (one kick).
     *
     * @param nowNs the cycle's clock.
     * @return frames pushed, 0 when none.
     */
    int flush(long nowNs);

    /**
     * @return the device's state as the stage last saw it.
     */
    default DeviceHealth health()
    {
        return DeviceHealth.UP;
    }

    /**
     * @return sockets attached to the device (served by it), for {@code oobnet stat}.
     */
    default int attachedSockets()
    {
        return 0;
    }

    /**
     * In-band: the names of the device's own counters (RX/TX frames, drops by reason), fixed for its life; the
     * stage reads their values with {@link #counterValue(int)}.
     *
     * @return the labels, e.g. {@code "rx frames"}, {@code "drops unknown-port"}; none by default.
     */
    default String[] counterLabels()
    {
        return new String[0];
    }

    /**
     * Stage: the current value of one of {@link #counterLabels()}.
     *
     * @param index the counter's index.
     * @return its value.
     */
    @Override
    default long counterValue(final int index)
    {
        return 0;
    }
}
