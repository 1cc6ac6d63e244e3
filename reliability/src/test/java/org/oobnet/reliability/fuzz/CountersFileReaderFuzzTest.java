package org.oobnet.reliability.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.oobnet.core.counters.CountersFile;
import org.oobnet.core.counters.CountersFileDescriptor;
import org.oobnet.core.counters.CountersFileReader;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@link CountersFileReader} (what {@code oobnet stat} runs on a file another process wrote): a real
 * counters file with live counters and a logged error, then edited at fuzzed offsets (header fields, metadata,
 * values, error log) and cut at fuzzed lengths. Opening names what is wrong ({@code IllegalArgumentException}
 * beginning with {@code countersFile=}), or the reader walks every counter and every error; nothing else is
 * thrown and nothing hangs.
 */
class CountersFileReaderFuzzTest
{
    private static Path dir;
    private static Path file;
    private static byte[] base;

    @BeforeAll
    static void createBaseFile() throws IOException
    {
        dir = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp"),
            "oobnet-fuzz-counters-");
        final Path baseDir = dir.resolve("base");
        try (CountersFile counters = CountersFile.create(baseDir, 1024, 4096))
        {
            counters.countersManager().newCounter("stage cycles").setRelease(123_456);
            counters.countersManager().newCounter("socket 7 frames in").setRelease(42);
            final int freed = counters.countersManager().allocate("freed");
            counters.countersManager().free(freed);
            counters.errorLog().record(new IllegalStateException("seeded error"));
            base = Files.readAllBytes(counters.path());
        }
        Files.deleteIfExists(baseDir);
        file = dir.resolve(CountersFileDescriptor.FILE_NAME);
    }

    @AfterAll
    static void deleteFile() throws IOException
    {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = FuzzBudget.ON_DEMAND)
    void shouldNameTheProblemOrReadEverythingWhenFileIsCorrupted(final FuzzedDataProvider data) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(base.clone()).order(ByteOrder.LITTLE_ENDIAN);
        final int edits = data.consumeInt(0, 8);
        for (int i = 0; i < edits; i++)
        {
            if (data.consumeBoolean())
            {
                // a header field: the lengths, magic, version, pid
                bytes.putInt(4 * data.consumeInt(0, CountersFileDescriptor.HEADER_LENGTH / 4 - 1), data.consumeInt());
            }
            else
            {
                bytes.putInt(data.consumeInt(0, base.length - 4), data.consumeInt());
            }
        }
        final int length = data.consumeBoolean() ? data.consumeInt(0, base.length) : base.length;
        final byte[] tail = data.consumeRemainingAsBytes();
        final byte[] content = new byte[length + tail.length];
        System.arraycopy(bytes.array(), 0, content, 0, length);
        System.arraycopy(tail, 0, content, length, tail.length);
        Files.write(file, content);

        final CountersFileReader reader;
        try
        {
            reader = CountersFileReader.open(file);
        }
        catch (final IllegalArgumentException refused)
        {
            assertTrue(refused.getMessage().startsWith("countersFile=" + file + ": "), refused.getMessage());
            return;
        }
        catch (final UncheckedIOException cannotOpen)
        {
            throw new AssertionError("a file that exists and is readable", cannotOpen);
        }
        try (reader)
        {
            reader.pid();
            reader.isOwnerAlive();
            reader.startTimeMs();
            reader.stageCpu();
            reader.isIsolated();
            final CountersReader counters = reader.counters();
            final long[] seen = new long[1];
            counters.forEach((counterId, typeId, keyBuffer, label) -> seen[0] += label.length());
            counters.forEach((value, counterId, label) -> seen[0] += value);
            reader.readErrors((count, first, last, text) -> seen[0] += text.length());
        }
    }
}
