package org.oobnet.core.counters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersReader;

/**
 * Reads a runtime's counters file from any process: header, counters and the distinct error log.
 * <p>
 * <b>Note:</b> not thread safe; values are read with volatile semantics while the owner writes them.
 */
public final class CountersFileReader implements AutoCloseable
{
    /** Clock slack when comparing the owner's start with the file's: wall-clock steps, rounding. */
    private static final long OWNER_START_SLACK_MS = 1_000L;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersReader counters;
    private final UnsafeBuffer errorLog;

    private CountersFileReader(
        final Path path,
        final MappedByteBuffer mapped,
        final UnsafeBuffer header,
        final CountersReader counters,
        final UnsafeBuffer errorLog)
    {
        this.path = path;
        this.mapped = mapped;
        this.header = header;
        this.counters = counters;
        this.errorLog = errorLog;
    }

    /**
     * Maps a counters file read-only.
     *
     * @param path the file ({@code <countersDir>/counters.dat}).
     * @return the reader.
     * @throws IllegalArgumentException naming what is wrong with the file.
     * @throws UncheckedIOException     when it cannot be opened.
     */
    public static CountersFileReader open(final Path path)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long length = channel.size();
            if (length < CountersFileDescriptor.HEADER_LENGTH || length > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("countersFile=" + path + ": fileLength=" + length +
                    " is not a counters file's length");
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
            final UnsafeBuffer all = new UnsafeBuffer(mapped);
            final UnsafeBuffer header = new UnsafeBuffer(all, 0, CountersFileDescriptor.HEADER_LENGTH);
            final String problem = CountersFileDescriptor.check(header, length);
            if (null != problem)
            {
                throw new IllegalArgumentException("countersFile=" + path + ": " + problem);
            }
            final int metadataLength = header.getInt(CountersFileDescriptor.METADATA_LENGTH_OFFSET);
            final int valuesLength = header.getInt(CountersFileDescriptor.VALUES_LENGTH_OFFSET);
            final int errorLength = header.getInt(CountersFileDescriptor.ERROR_LOG_LENGTH_OFFSET);
            final int metaOffset = CountersFileDescriptor.HEADER_LENGTH;
            final UnsafeBuffer metadata = new UnsafeBuffer(all, metaOffset, metadataLength);
            final UnsafeBuffer values = new UnsafeBuffer(all, metaOffset + metadataLength, valuesLength);
            final UnsafeBuffer errors = new UnsafeBuffer(all, metaOffset + metadataLength + valuesLength, errorLength);
            final String metadataProblem = CountersFileDescriptor.checkMetadata(metadata);
            if (null != metadataProblem)
            {
                throw new IllegalArgumentException("countersFile=" + path + ": " + metadataProblem);
            }
            return new CountersFileReader(
                path, mapped, header, new CountersReader(metadata, values, java.nio.charset.StandardCharsets.UTF_8),
                errors);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("countersFile=" + path + ": cannot open: " + ex, ex);
        }
    }

    /** @return the file's path. */
    public Path path()
    {
        return path;
    }

    /** @return the owner's pid. */
    public long pid()
    {
        return header.getLong(CountersFileDescriptor.PID_OFFSET);
    }

    /**
     * Whether the process that wrote the file still runs: its pid is alive and that process started before the
     * file was made. A runtime killed with SIGKILL leaves its file behind; a later process that got the same pid
     * started after the file's start time, so it is not mistaken for the owner.
     *
     * @return true when the owner process is alive.
     */
    public boolean isOwnerAlive()
    {
        final long startTimeMs = startTimeMs();
        return ProcessHandle.of(pid())
            .filter(ProcessHandle::isAlive)
            // /proc gives a start time rounded down (boot time in whole seconds): never later than the real one
            .map(owner -> owner.info().startInstant()
                .map(started -> started.toEpochMilli() <= startTimeMs + OWNER_START_SLACK_MS)
                .orElse(true))
            .orElse(false);
    }

    /** @return when the owner started, epoch ms. */
    public long startTimeMs()
    {
        return header.getLong(CountersFileDescriptor.START_TIME_OFFSET);
    }

    /** @return the stage CPU, -1 when not pinned. */
    public int stageCpu()
    {
        return header.getIntVolatile(CountersFileDescriptor.STAGE_CPU_OFFSET);
    }

    /** @return true when the stage CPU is isolated. */
    public boolean isIsolated()
    {
        return header.getIntVolatile(CountersFileDescriptor.ISOLATED_OFFSET) == 1;
    }

    /** @return the counters. */
    public CountersReader counters()
    {
        return counters;
    }

    /**
     * Reads the distinct error log.
     *
     * @param consumer takes each distinct error.
     * @return the number of distinct errors.
     */
    public int readErrors(final ErrorConsumer consumer)
    {
        return ErrorLogReader.read(errorLog, consumer);
    }

    @Override
    public void close()
    {
        // no explicit unmap: the collector unmaps once the buffers are unreachable
        java.lang.ref.Reference.reachabilityFence(mapped);
    }
}
