package org.oobnet.core.counters;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Layout of the counters file ({@code <countersDir>/counters.dat}), mapped by the runtime and read by
 * {@code oobnet stat} from another process.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    magic 'OOBC' (0x4342_4F4F)                 |  0
 *  |                    version                                    |  4
 *  |                    pid (64 bits)                              |  8
 *  |                    start time, epoch ms (64 bits)             | 16
 *  |                    metadata region length                     | 24
 *  |                    values region length                       | 28
 *  |                    error log region length                    | 32
 *  |                    stage cpu (-1 unpinned)                    | 36
 *  |                    isolated cpu (1) or not (0)                | 40
 *  |                    padding to 128                             |
 *  +---------------------------------------------------------------+
 *  |  counters metadata (CountersManager)                          | 128
 *  |  counters values                                              |
 *  |  distinct error log                                           |
 *  +---------------------------------------------------------------+
 * </pre>
 * The magic is written last (release) so that a reader never sees a half-written header.
 * <b>Note:</b> constants and static checks only.
 */
public final class CountersFileDescriptor
{
    /** "OOBC" in little-endian. */
    public static final int MAGIC = 0x4342_4F4F;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the owner's pid. */
    public static final int PID_OFFSET = 8;
    /** Offset of the start time. */
    public static final int START_TIME_OFFSET = 16;
    /** Offset of the metadata length. */
    public static final int METADATA_LENGTH_OFFSET = 24;
    /** Offset of the values length. */
    public static final int VALUES_LENGTH_OFFSET = 28;
    /** Offset of the error log length. */
    public static final int ERROR_LOG_LENGTH_OFFSET = 32;
    /** Offset of the stage CPU. */
    public static final int STAGE_CPU_OFFSET = 36;
    /** Offset of the isolated flag. */
    public static final int ISOLATED_OFFSET = 40;
    /** Length of the header. */
    public static final int HEADER_LENGTH = 128;
    /** File name inside the counters directory. */
    public static final String FILE_NAME = "counters.dat";

    private CountersFileDescriptor()
    {
    }

    /**
     * @param metadataLength metadata region length.
     * @param valuesLength   values region length.
     * @param errorLogLength error log length.
     * @return the file's length.
     */
    public static long fileLength(final int metadataLength, final int valuesLength, final int errorLogLength)
    {
        return (long)HEADER_LENGTH + metadataLength + valuesLength + errorLogLength;
    }

    /**
     * Checks a header read from a file.
     *
     * @param header     the header bytes.
     * @param fileLength the file's length.
     * @return null when valid, else what is wrong ({@code name=value}).
     */
    public static String check(final AtomicBuffer header, final long fileLength)
    {
        if (fileLength < HEADER_LENGTH)
        {
            return "fileLength=" + fileLength + " is shorter than the header (" + HEADER_LENGTH + ")";
        }
        final int magic = header.getIntVolatile(MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            return "magic=0x" + Integer.toHexString(magic) + " is not 0x" + Integer.toHexString(MAGIC) +
                " (not an oobnet counters file, or not yet initialised)";
        }
        final int version = header.getInt(VERSION_OFFSET);
        if (version != VERSION)
        {
            return "version=" + version + " is not supported (expected " + VERSION + ")";
        }
        final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
        final int errorLogLength = header.getInt(ERROR_LOG_LENGTH_OFFSET);
        // the regions are read with bounds derived from these lengths: each must be sane on its own, not only
        // their sum (found by fuzzing: negative or mismatched lengths made CountersReader read out of bounds)
        if (valuesLength < 0 || 0 != valuesLength % CountersReader.COUNTER_LENGTH)
        {
            return "valuesLength=" + valuesLength + " is not a non-negative multiple of " +
                CountersReader.COUNTER_LENGTH;
        }
        final long expectedMetadata = (long)valuesLength * (CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH);
        if (metadataLength != expectedMetadata)
        {
            return "metadataLength=" + metadataLength + " does not match valuesLength=" + valuesLength +
                " (expected " + expectedMetadata + ")";
        }
        if (errorLogLength < 0)
        {
            return "errorLogLength=" + errorLogLength + " is negative";
        }
        final long expected = fileLength(metadataLength, valuesLength, errorLogLength);
        if (expected != fileLength)
        {
            return "fileLength=" + fileLength + " does not match the header's regions (" + expected + ")";
        }
        return null;
    }

    /**
     * Checks the counters metadata a reader is about to walk: every allocated record's label length within
     * {@link CountersReader#MAX_LABEL_LENGTH}, so that {@link CountersReader#forEach} stays inside its record.
     *
     * @param metadata the metadata region.
     * @return null when valid, else what is wrong ({@code name=value}).
     */
    public static String checkMetadata(final AtomicBuffer metadata)
    {
        final int records = metadata.capacity() / CountersReader.METADATA_LENGTH;
        for (int id = 0; id < records; id++)
        {
            final int offset = id * CountersReader.METADATA_LENGTH;
            final int state = metadata.getIntVolatile(offset);
            if (CountersReader.RECORD_UNUSED == state)
            {
                break;
            }
            final int labelLength = metadata.getInt(offset + CountersReader.LABEL_OFFSET);
            if (CountersReader.RECORD_ALLOCATED == state &&
                (labelLength < 0 || labelLength > CountersReader.MAX_LABEL_LENGTH))
            {
                return "counterId=" + id + " labelLength=" + labelLength + " is outside 0.." +
                    CountersReader.MAX_LABEL_LENGTH;
            }
        }
        return null;
    }
}
