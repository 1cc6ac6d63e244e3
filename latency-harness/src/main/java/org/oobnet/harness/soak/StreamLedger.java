package org.oobnet.harness.soak;

import java.util.Map;
import java.util.TreeMap;

import org.oobnet.core.counters.SocketCounters;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;

/**
 * One stream's books: what the sender handed over (accepted by the socket), what the receiver got (intact, in
 * order or not, duplicated, corrupt), what the sender was refused, and every drop under its named reason. The
 * invariant: {@code sent == received + sum(drops)} exactly, no corrupt, no duplicate, no reordering where the
 * path promises order.
 * <p>
 * <b>Note:</b> the counts are written by one sender and one receiver thread and read after both stopped.
 */
final class StreamLedger
{
    final String name;
    final boolean ordered;
    volatile long sent;
    volatile long refused;
    volatile long received;
    volatile long corrupt;
    volatile long duplicates;
    volatile long reordered;
    private long highestSequence = -1;
    private final java.util.BitSet seen = new java.util.BitSet();
    final Map<String, Long> drops = new TreeMap<>();
    /** Counts that are not drops but bear on the books (e.g. messages that took the kernel's in-band path). */
    final Map<String, Long> notes = new TreeMap<>();
    /** Each receiver child's missing sequences (oob-udp streams), for diagnosis. */
    final java.util.List<String> childGaps = new java.util.ArrayList<>();

    StreamLedger(final String name, final boolean ordered)
    {
        this.name = name;
        this.ordered = ordered;
    }

    /** Receiver thread. */
    void onReceived(final long sequence, final boolean intact)
    {
        if (!intact)
        {
            corrupt++;
            return;
        }
        if (sequence < 0 || sequence > Integer.MAX_VALUE || seen.get((int)sequence))
        {
            duplicates++;
            return;
        }
        seen.set((int)sequence);
        if (sequence < highestSequence)
        {
            reordered++;
        }
        highestSequence = Math.max(highestSequence, sequence);
        received++;
    }

    void drop(final String reason, final long count)
    {
        if (count != 0)
        {
            drops.merge(reason, count, Long::sum);
        }
    }

    /**
     * A sending socket's drops: no peer, refused on the stage, closed with messages still in its send ring (read
     * after close).
     *
     * @param counters the socket's counters.
     */
    void dropSender(final SocketCounters counters)
    {
        drop("sender: no peer", counters.dropsNoPeer().get());
        drop("sender: protocol refused on stage", counters.dropsProtocol().get());
        drop("sender: closed with messages queued", counters.dropsClosed().get());
    }

    /**
     * A receiving socket's drops: its receive ring full, closed with messages queued.
     *
     * @param counters the socket's counters.
     */
    void dropReceiver(final SocketCounters counters)
    {
        drop("receiver: receive ring full", counters.dropsRingFull().get());
        drop("receiver: closed with messages queued", counters.dropsClosed().get());
    }

    /**
     * A packet TX ring's drops (an oob-packet socket's or an oob-udp port's), read after it closed.
     *
     * @param counters its counters.
     */
    void dropPacketSender(final PacketCounters counters)
    {
        drop("sender: wrong format", counters.get(PacketCounter.WRONG_FORMAT));
        drop("sender: closed with TX ring frames unsent", counters.get(PacketCounter.TX_UNSENT_AT_CLOSE));
    }

    /**
     * A packet RX ring's drops (an oob-packet socket's or an oob-udp port's), read after it closed.
     *
     * @param counters its counters.
     */
    void dropPacketReceiver(final PacketCounters counters)
    {
        drop("receiver: kernel ring drops (PACKET_STATISTICS)", counters.get(PacketCounter.KERNEL_DROPS));
        drop("receiver: filter misses", counters.get(PacketCounter.FILTER_MISSES));
        drop("receiver: runts", counters.get(PacketCounter.RUNTS));
        drop("receiver: truncated", counters.get(PacketCounter.TRUNCATED));
        drop("receiver: closed with RX ring frames unread", counters.get(PacketCounter.RX_UNREAD_AT_CLOSE));
        drop("receiver: stale in the RX ring before its first socket", counters.get(PacketCounter.RX_STALE_DISCARDED));
    }

    void note(final String what, final long count)
    {
        if (count != 0)
        {
            notes.merge(what, count, Long::sum);
        }
    }

    /**
     * Adds one child's books for this stream (the oob-udp streams run in child JVMs, one pair of them per veth
     * incarnation): the sender's side gives sent, refused and its drops, the receiver's side the rest.
     *
     * @param result what the child reported.
     */
    void absorb(final UdpPeerBooks.PeerResult result)
    {
        sent += result.sent();
        refused += result.refused();
        received += result.received();
        corrupt += result.corrupt();
        duplicates += result.duplicates();
        reordered += result.reordered();
        result.drops().forEach(this::drop);
        result.notes().forEach(this::note);
        if (null != result.gaps() && !"none".equals(result.gaps()))
        {
            childGaps.add(result.gaps());
        }
    }

    /**
     * Receiver thread, after it stopped: the sequences missing between the lowest and the highest received, as
     * ranges, for finding where an unaccounted message went (the faults' times are in the soak's output).
     *
     * @param limit most ranges shown.
     * @return e.g. {@code 1200-1234 5000}, or {@code none}.
     */
    String gaps(final int limit)
    {
        final int first = seen.nextSetBit(0);
        if (first < 0)
        {
            return "none";
        }
        final StringBuilder ranges = new StringBuilder();
        int shown = 0;
        for (int from = seen.nextClearBit(first); from < seen.length() && shown < limit; shown++)
        {
            final int to = seen.nextSetBit(from) - 1;
            ranges.append(ranges.isEmpty() ? "" : " ").append(from == to ? Integer.toString(from) : from + "-" + to);
            from = seen.nextClearBit(to + 1);
        }
        return ranges.isEmpty() ? "none" : ranges.toString();
    }

    long dropped()
    {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    long unaccounted()
    {
        return sent - received - dropped();
    }

    /**
     * After both threads stopped: where the missing sequences are (this process's receiver, or the children's).
     *
     * @return ranges.
     */
    String missingSequences()
    {
        return childGaps.isEmpty() ? gaps(8) : String.join(" | ", childGaps);
    }

    boolean holds()
    {
        return unaccounted() == 0 && corrupt == 0 && duplicates == 0 && (!ordered || reordered == 0);
    }
}
