package org.oobnet.packet.capture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.oobnet.packet.bpf.BpfProgram;

/**
 * The process' taps: one per ring of an open packet ring socket ({@code PacketRingSocket} registers and unregisters
 * them),
 * and the capture file of the runtime whose sockets they serve, made on the first {@link #serve} and pointed at by
 * every tap. The file lists the interfaces that have a tap, so that a consumer can say when an interface is not
 * served by an OOB port.
 * <p>
 * Capture once per interface: of the RX taps whose rings receive the same frames (an equal {@link ReceiveView}: two
 * stages' ports on one interface), the first registered records and the others are duplicates; when it goes, the
 * next one takes over. A frame the stage polls while the recording tap changes may be recorded twice or not at
 * all; a ring with no view (its EtherType or filter unknown here) always records.
 * <p>
 * One per process, as the in-band stack holds one set of hooks (one running runtime at a time).
 * FIXME(issue 19): the runtime's context should own the taps and the file, but a {@code PacketRingSocket} knows no
 * runtime (the harness and seqmsg open ring sockets without one): moving them needs the opener to take a context.
 * <p>
 * <b>Note:</b> in-band, thread safe.
 */
public final class CaptureTaps
{
    /**
     * System property: the capture ring's capacity in bytes (a power of two, at least 64 KiB), read when a runtime
     * makes its capture file; default {@link CaptureFileDescriptor#DEFAULT_RING_CAPACITY}.
     */
    public static final String RING_CAPACITY_PROPERTY = "oobnet.capture.ringBytes";

    private static final List<CaptureTap> TAPS = new ArrayList<>();
    private static CaptureFile file;
    private static Path directory;

    private CaptureTaps()
    {
    }

    /**
     * In-band, when a packet ring socket opens: its tap.
     *
     * @param interfaceName the interface it is bound to.
     * @return the tap, pointed at the current capture file.
     */
    public static synchronized CaptureTap register(final String interfaceName)
    {
        return register(interfaceName, null);
    }

    /**
     * In-band, when a packet ring socket opens: the tap of its RX ring, a duplicate when a live tap has the same
     * view (it records those frames already).
     *
     * @param interfaceName the interface it is bound to.
     * @param view          what the ring receives, or null when not known (the tap always records).
     * @return the tap, pointed at the current capture file.
     */
    public static synchronized CaptureTap register(final String interfaceName, final ReceiveView view)
    {
        final CaptureTap tap = new CaptureTap(interfaceName, view);
        tap.file(file);
        tap.duplicate(null != view && null != recorderOf(view));
        TAPS.add(tap);
        publish();
        return tap;
    }

    /**
     * In-band, when the socket's rings are unmapped.
     *
     * @param tap the socket's tap.
     */
    public static synchronized void unregister(final CaptureTap tap)
    {
        if (TAPS.remove(tap))
        {
            final ReceiveView view = tap.view();
            if (null != view && !tap.isDuplicate())
            {
                // it recorded its view's frames: the next tap of the same view does now
                for (final CaptureTap other : TAPS)
                {
                    if (view.equals(other.view()))
                    {
                        other.duplicate(false);
                        break;
                    }
                }
            }
            publish();
            if (TAPS.isEmpty() && null != file)
            {
                // the last ring of the runtime closed: leave its counters directory as it found it
                file.delete();
                file = null;
                directory = null;
            }
        }
    }

    /**
     * In-band, from a protocol's attach hook: makes {@code <countersDir>/capture.dat} for the runtime the socket
     * belongs to, unless it exists already, and points every tap at it.
     *
     * A file that cannot be made leaves capture off (a socket's attach does not fail for it); the consumer then
     * finds no capture file and says so.
     *
     * @param countersDir the runtime's counters directory.
     * @return the capture file, or null when it could not be made.
     */
    public static synchronized CaptureFile serve(final Path countersDir)
    {
        final Path dir = countersDir.toAbsolutePath().normalize();
        if (null == file || !dir.equals(directory))
        {
            try
            {
                file = CaptureFile.create(dir, Integer.getInteger(RING_CAPACITY_PROPERTY,
                    CaptureFileDescriptor.DEFAULT_RING_CAPACITY));
            }
            catch (final java.io.UncheckedIOException | IllegalArgumentException ex)
            {
                return null;
            }
            directory = dir;
            for (final CaptureTap tap : TAPS)
            {
                tap.file(file);
            }
            publish();
        }
        return file;
    }

    /**
     * The interfaces that have a tap now.
     *
     * @return sorted names.
     */
    public static synchronized List<String> interfaces()
    {
        final TreeSet<String> names = new TreeSet<>();
        for (final CaptureTap tap : TAPS)
        {
            names.add(tap.interfaceName());
        }
        return List.copyOf(names);
    }

    // under the lock: the live tap that records the frames of this view, or null
    private static CaptureTap recorderOf(final ReceiveView view)
    {
        for (final CaptureTap tap : TAPS)
        {
            if (view.equals(tap.view()) && !tap.isDuplicate())
            {
                return tap;
            }
        }
        return null;
    }

    /**
     * What an RX ring receives: rings with equal views get the same frames from the kernel.
     *
     * @param networkNamespace the network namespace the socket was made in (e.g. {@code net:[4026531840]}).
     * @param interfaceName    the interface it is bound to.
     * @param etherType        the EtherType it is bound to.
     * @param filter           its socket filter, or null for none.
     * @param ignoreOutgoing   whether it ignores the host's outgoing frames ({@code PACKET_IGNORE_OUTGOING}).
     * @param promiscuous      whether it put the interface in promiscuous mode (it then keeps other hosts' frames).
     */
    public record ReceiveView(
        String networkNamespace, String interfaceName, int etherType, BpfProgram filter, boolean ignoreOutgoing,
        boolean promiscuous)
    {
    }

    private static void publish()
    {
        if (null != file)
        {
            file.interfaces(interfaces());
        }
    }
}
