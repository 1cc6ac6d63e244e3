package org.oobnet.core.counters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The files a runtime shares with tools in other processes ({@code counters.dat}, oob-packet's {@code capture.dat}):
 * made afresh, readable and writable by their owner only, their whole length allocated, mapped read-write.
 * <p>
 * <b>Note:</b> in-band; stateless.
 */
public final class OwnerOnlyMapping
{
    private OwnerOnlyMapping()
    {
    }

    /**
     * In-band: replaces {@code path} with a zeroed file of {@code length} bytes, mode 0600, and maps it.
     *
     * @param path   the file.
     * @param length its length.
     * @return the mapping.
     * @throws IOException when the file cannot be made or mapped.
     */
    public static MappedByteBuffer create(final Path path, final long length) throws IOException
    {
        Files.deleteIfExists(path);
        final Set<PosixFilePermission> ownerOnly = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Files.createFile(path, PosixFilePermissions.asFileAttribute(ownerOnly));
        // createFile applies the umask on top of the attribute; set it again to be exact
        Files.setPosixFilePermissions(path, ownerOnly);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
            channel.position(length - 1).write(ByteBuffer.wrap(new byte[1]));
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
    }
}
