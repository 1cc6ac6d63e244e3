package org.oobnet.core.counters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The runtime's memory-mapped counters file: counters through Agrona's {@link CountersManager} and the stage's
 * {@link DistinctErrorLog}, laid out as {@link CountersFileDescriptor} says, readable by {@code oobnet stat} from
 * another process.
 * <p>
 * The directory is created owner-only (0700) and the file 0600: counters and error texts may say more about a
 * process than other users should see. The mapping is never unmapped explicitly: the collector unmaps it once
 * nothing refers to it, so a thread racing close can never write to unmapped memory. {@link #close()} deletes
 * the file.
 * <b>Note:</b> {@link #countersManager()} allocation and freeing must be serialised by the caller (in-band, under
 * the runtime's lock); counter values are written by their single owner.
 */
public final class CountersFile implements AutoCloseable
{
    /**
     * How long Agrona keeps a freed counter unused: none. Socket counters (oob-core's and protocols') are freed only
     * when their socket is destroyed, after its last reference: the stage let go at release, in-band calls hold the
     * {@code KSocket}, and application threads count under {@code OobSocket.hold()}; no late writer is left, so a slot
     * is reused at once and a thousand sockets opened and closed take no more slots than one.
     */
    public static final long FREE_TO_REUSE_TIMEOUT_MS = 0L;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersManager countersManager;
    private final DistinctErrorLog errorLog;

    private CountersFile(
        final Path path,
        final MappedByteBuffer mapped,
        final UnsafeBuffer header,
        final CountersManager countersManager,
        final DistinctErrorLog errorLog)
    {
        this.path = path;
        this.mapped = mapped;
        this.header = header;
        this.countersManager = countersManager;
        this.errorLog = errorLog;
    }

    /**
     * In-band: creates (or takes over from a dead owner) {@code <dir>/counters.dat} and maps it.
     *
     * @param dir            the counters directory, created 0700 when missing.
     * @param valuesLength   the values region length (a power of two, multiple of the counter length).
     * @param errorLogLength the error log length.
     * @return the mapped file.
     * @throws IllegalStateException when a live process owns the file.
     * @throws UncheckedIOException  when the file cannot be made.
     */
    public static CountersFile create(final Path dir, final int valuesLength, final int errorLogLength)
    {
        final int metadataLength = valuesLength * (CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH);
        final long length = CountersFileDescriptor.fileLength(metadataLength, valuesLength, errorLogLength);
        final Path path = dir.resolve(CountersFileDescriptor.FILE_NAME);
        try
        {
            createOwnerOnlyDirectory(dir);
            checkNotInUse(path);
            final MappedByteBuffer mapped = OwnerOnlyMapping.create(path, length);
            final UnsafeBuffer all = new UnsafeBuffer(mapped);
            final UnsafeBuffer header = new UnsafeBuffer(all, 0, CountersFileDescriptor.HEADER_LENGTH);
            final int metaOffset = CountersFileDescriptor.HEADER_LENGTH;
            final int valuesOffset = metaOffset + metadataLength;
            final int errorOffset = valuesOffset + valuesLength;
            final UnsafeBuffer metadata = new UnsafeBuffer(all, metaOffset, metadataLength);
            final UnsafeBuffer values = new UnsafeBuffer(all, valuesOffset, valuesLength);
            final UnsafeBuffer errors = new UnsafeBuffer(all, errorOffset, errorLogLength);

            header.putInt(CountersFileDescriptor.VERSION_OFFSET, CountersFileDescriptor.VERSION);
            header.putLong(CountersFileDescriptor.PID_OFFSET, ProcessHandle.current().pid());
            header.putLong(CountersFileDescriptor.START_TIME_OFFSET, System.currentTimeMillis());
            header.putInt(CountersFileDescriptor.METADATA_LENGTH_OFFSET, metadataLength);
            header.putInt(CountersFileDescriptor.VALUES_LENGTH_OFFSET, valuesLength);
            header.putInt(CountersFileDescriptor.ERROR_LOG_LENGTH_OFFSET, errorLogLength);
            header.putInt(CountersFileDescriptor.STAGE_CPU_OFFSET, -1);
            // release: the header is complete before a reader sees the magic; pairs with check()'s volatile read
            header.putIntRelease(CountersFileDescriptor.MAGIC_OFFSET, CountersFileDescriptor.MAGIC);

            final CountersManager manager = new CountersManager(
                metadata, values, java.nio.charset.StandardCharsets.UTF_8, SystemEpochClock.INSTANCE,
                FREE_TO_REUSE_TIMEOUT_MS);
            final DistinctErrorLog errorLog = new DistinctErrorLog(errors, SystemEpochClock.INSTANCE);
            return new CountersFile(path, mapped, header, manager, errorLog);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("countersDir=" + dir + ": cannot create " + path + ": " + ex, ex);
        }
    }

    private static void createOwnerOnlyDirectory(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            try
            {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            }
            catch (final FileAlreadyExistsException ignore)
            {
                // made concurrently by another runtime: fine
            }
        }
    }

    private static void checkNotInUse(final Path path)
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (CountersFileReader reader = CountersFileReader.open(path))
        {
            final long pid = reader.pid();
            if (pid != ProcessHandle.current().pid() && reader.isOwnerAlive())
            {
                throw new IllegalStateException(
                    "countersFile=" + path + " is in use by the live runtime of pid=" + pid +
                    ": give this runtime another countersDir");
            }
        }
        catch (final IllegalArgumentException | UncheckedIOException ex)
        {
            // not a valid counters file: it is replaced
        }
    }

    /**
     * Records where the stage runs, for readers.
     *
     * @param cpu      the stage CPU, or -1.
     * @param isolated true when that CPU is isolated.
     */
    public void stageCpu(final int cpu, final boolean isolated)
    {
        header.putIntVolatile(CountersFileDescriptor.STAGE_CPU_OFFSET, cpu);
        header.putIntVolatile(CountersFileDescriptor.ISOLATED_OFFSET, isolated ? 1 : 0);
    }

    /** @return the file's path. */
    public Path path()
    {
        return path;
    }

    /** @return the counters manager over the file. */
    public CountersManager countersManager()
    {
        return countersManager;
    }

    /** @return the distinct error log in the file. */
    public DistinctErrorLog errorLog()
    {
        return errorLog;
    }

    /**
     * Deletes the file; the mapping stays valid until the collector drops it (see the class comment).
     */
    @Override
    public void close()
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete countersFile=" + path, ex);
        }
        // keep 'mapped' reachable until here: the buffers over it hold the address only
        java.lang.ref.Reference.reachabilityFence(mapped);
    }
}
