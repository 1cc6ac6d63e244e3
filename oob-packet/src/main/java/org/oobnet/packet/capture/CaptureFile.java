package org.oobnet.packet.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.oobnet.core.counters.OwnerOnlyMapping;

import static org.oobnet.packet.capture.CaptureFileDescriptor.*;

/**
 * The mapped {@code capture.dat} ({@link CaptureFileDescriptor}): made by the runtime's process
 * ({@link #create}), opened by a capture's consumer ({@link #open}) in the same or another process.
 * <p>
 * The stage reads the session block through {@link #lvGeneration()} once per batch and writes records into
 * {@link #ring()}; the consumer writes the session block under the generation seqlock and reads the ring; the
 * runtime's in-band code writes the interface table under its own sequence.
 * <p>
 * <b>Note:</b> the accessors are thread safe as their memory modes say; the mapping stays until collected.
 */
public final class CaptureFile
{
    private final Path path;
    private final UnsafeBuffer control;
    private final ManyToOneRingBuffer ring;

    private CaptureFile(final Path path, final MappedByteBuffer mapped, final int ringCapacity)
    {
        this.path = path;
        this.control = new UnsafeBuffer(mapped, 0, RING_OFFSET);
        this.ring = new ManyToOneRingBuffer(
            new UnsafeBuffer(mapped, RING_OFFSET, ringCapacity + RingBufferDescriptor.TRAILER_LENGTH));
    }

    /**
     * In-band, in the runtime's process: (re)creates {@code <dir>/capture.dat}, owner-only, capture off.
     *
     * @param dir          the runtime's counters directory (it exists: the counters file is there).
     * @param ringCapacity the record ring's capacity, a power of two.
     * @return the mapped file.
     * @throws UncheckedIOException naming the file when it cannot be made.
     */
    public static CaptureFile create(final Path dir, final int ringCapacity)
    {
        checkRingCapacity(ringCapacity);
        final Path path = dir.resolve(FILE_NAME);
        final long length = fileLength(ringCapacity);
        try
        {
            final CaptureFile file = new CaptureFile(path, OwnerOnlyMapping.create(path, length), ringCapacity);
            final UnsafeBuffer control = file.control;
            control.putInt(VERSION_OFFSET, VERSION);
            control.putLong(PID_OFFSET, ProcessHandle.current().pid());
            control.putInt(RING_CAPACITY_OFFSET, ringCapacity);
            // release: the header is complete before a consumer sees the magic; pairs with open()'s volatile read
            control.putIntRelease(MAGIC_OFFSET, MAGIC);
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + path + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * In-band, in a consumer: maps a running runtime's {@code <dir>/capture.dat}.
     *
     * @param dir the runtime's counters directory.
     * @return the mapped file.
     * @throws IllegalStateException naming the directory when no running runtime made one there.
     */
    public static CaptureFile open(final Path dir)
    {
        final Path path = dir.resolve(FILE_NAME);
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long length = channel.size();
            if (length < RING_OFFSET)
            {
                throw new IllegalStateException("no running runtime: " + path + " is " + length + " bytes, not a " +
                    "capture file");
            }
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalStateException("no running runtime with OOB packet sockets or ports: no " + path +
                " (start the application first, or name its counters directory with --dir)");
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot open " + path + ": " + ex.getMessage());
        }
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, RING_OFFSET);
        // acquire: pairs with create()'s release of the magic
        if (header.getIntVolatile(MAGIC_OFFSET) != MAGIC || header.getInt(VERSION_OFFSET) != VERSION)
        {
            throw new IllegalStateException("no running runtime: " + path + " has no capture header of version " +
                VERSION);
        }
        final long pid = header.getLong(PID_OFFSET);
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        {
            throw new IllegalStateException("no running runtime: the process that made " + path + " (pid " + pid +
                ") has ended");
        }
        final int capacity = header.getInt(RING_CAPACITY_OFFSET);
        if (fileLength(capacity) > mapped.capacity())
        {
            throw new IllegalStateException(path + ": ringCapacity=" + capacity + " beyond the file's " +
                mapped.capacity() + " bytes");
        }
        return new CaptureFile(path, mapped, capacity);
    }

    /** @return the file. */
    public Path path()
    {
        return path;
    }

    /** @return the runtime's process id. */
    public long pid()
    {
        return control.getLong(PID_OFFSET);
    }

    /**
     * Stage: the session generation; acquire, pairs with the consumer's release in {@link #endWrite}.
     *
     * @return odd while the consumer writes the session block, 0 before any session.
     */
    public long lvGeneration()
    {
        return control.getLongVolatile(GENERATION_OFFSET);
    }

    /**
     * Stage: the consumer's last sign of life; pairs with {@link #heartbeat()}'s release.
     *
     * @return its {@code System.nanoTime()} at its last poll.
     */
    public long lvHeartbeatNs()
    {
        return control.getLongVolatile(HEARTBEAT_OFFSET);
    }

    // consumer: alive now (both processes' System.nanoTime read CLOCK_MONOTONIC)
    void heartbeat()
    {
        control.putLongRelease(HEARTBEAT_OFFSET, System.nanoTime());
    }

    /**
     * The session block and the interface table, for the stage's copy and the consumer's writes.
     *
     * @return the control region.
     */
    UnsafeBuffer control()
    {
        return control;
    }

    /**
     * The record ring: the stage's taps produce, the consumer reads.
     *
     * @return the ring.
     */
    public ManyToOneRingBuffer ring()
    {
        return ring;
    }

    /**
     * Records dropped because the ring was full, since the file was made.
     *
     * @return the count.
     */
    public long dropped()
    {
        return control.getLongVolatile(DROPPED_OFFSET);
    }

    // stage: a record that did not fit; atomic, several stages' taps share the file
    void countDrop()
    {
        control.getAndAddLong(DROPPED_OFFSET, 1);
    }

    // consumer: opens the seqlock; the new generation is odd
    long beginWrite()
    {
        final long next = (control.getLongVolatile(GENERATION_OFFSET) | 1L) + 2L;
        // release: odd before the block changes, so a stage copying it sees the change of generation
        control.putLongRelease(GENERATION_OFFSET, next);
        // full fence: the odd generation is visible before the writes of the block that follow (a store-store
        // ordering the release alone does not give for later stores)
        java.lang.invoke.VarHandle.fullFence();
        return next;
    }

    // consumer: closes the seqlock; the generation becomes even
    long endWrite(final long odd)
    {
        // release: the session block is written before the stage sees an even generation; pairs with lvGeneration
        control.putLongRelease(GENERATION_OFFSET, odd + 1);
        return odd + 1;
    }

    /**
     * In-band, in the runtime's process: publishes the names of the interfaces whose rings have a tap.
     *
     * @param names the interface names, at most {@link CaptureFileDescriptor#INTERFACES_MAX} used.
     */
    synchronized void interfaces(final List<String> names)
    {
        final int sequence = control.getInt(INTERFACES_SEQUENCE_OFFSET) + 1;
        control.putIntRelease(INTERFACES_SEQUENCE_OFFSET, sequence);
        java.lang.invoke.VarHandle.fullFence();
        final int count = Math.min(names.size(), INTERFACES_MAX);
        for (int i = 0; i < count; i++)
        {
            putName(control, INTERFACES_OFFSET + i * INTERFACE_NAME_LENGTH, names.get(i));
        }
        control.putInt(INTERFACE_COUNT_OFFSET, count);
        // release: the table is complete before the sequence turns even; pairs with interfaces()'s acquire
        control.putIntRelease(INTERFACES_SEQUENCE_OFFSET, sequence + 1);
    }

    /**
     * In-band: the interfaces whose rings the runtime can capture, as its process last published them.
     *
     * @return names, sorted as published.
     */
    public List<String> interfaces()
    {
        for (int attempt = 0; attempt < 1_000_000; attempt++)
        {
            final int before = control.getIntVolatile(INTERFACES_SEQUENCE_OFFSET);
            if ((before & 1) == 0)
            {
                final List<String> names = new ArrayList<>();
                final int count = Math.min(control.getInt(INTERFACE_COUNT_OFFSET), INTERFACES_MAX);
                for (int i = 0; i < count; i++)
                {
                    names.add(getName(control, INTERFACES_OFFSET + i * INTERFACE_NAME_LENGTH));
                }
                java.lang.invoke.VarHandle.loadLoadFence();
                if (control.getIntVolatile(INTERFACES_SEQUENCE_OFFSET) == before)
                {
                    return names;
                }
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(path + ": the runtime (pid " + pid() + ") never finished writing its " +
            "interface table");
    }

    static void putName(final UnsafeBuffer buffer, final int offset, final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < INTERFACE_NAME_LENGTH; i++)
        {
            buffer.putByte(offset + i, i < bytes.length && i < INTERFACE_NAME_LENGTH - 1 ? bytes[i] : 0);
        }
    }

    static String getName(final UnsafeBuffer buffer, final int offset)
    {
        int length = 0;
        while (length < INTERFACE_NAME_LENGTH && buffer.getByte(offset + length) != 0)
        {
            length++;
        }
        return buffer.getStringWithoutLengthAscii(offset, length);
    }

    @Override
    public String toString()
    {
        return "CaptureFile{" + path + "}";
    }

    /**
     * In-band, by the process that created it, once no tap refers to it: deletes the file, as the runtime deletes
     * its counters file when it closes. The mapping stays valid for a consumer that still has it open.
     *
     * @return whether it was deleted (false when it was gone already or could not be).
     */
    public boolean delete()
    {
        try
        {
            return java.nio.file.Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            // a leftover is taken over by the next runtime that serves this directory (create() after a dead owner)
            return false;
        }
    }
}
