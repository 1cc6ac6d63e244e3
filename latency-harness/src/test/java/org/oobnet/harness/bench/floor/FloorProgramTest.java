package org.oobnet.harness.bench.floor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloorProgramTest
{
    @TempDir
    Path cache;

    @Test
    void shouldBeUnavailableWithTheReasonWhenNoCompilerExists()
    {
        final FloorProgram program = FloorProgram.build("oobnet-no-such-cc", cache);
        assertFalse(program.isAvailable());
        assertNull(program.binary());
        assertTrue(program.unavailableReason().startsWith("no C compiler: oobnet-no-such-cc not found"),
            program.unavailableReason());
    }

    @Test
    void shouldBuildWithoutWarningsOnceAndReuseTheCachedBinary() throws Exception
    {
        final FloorProgram first = FloorProgram.build("cc", cache);
        assertTrue(first.isAvailable(), String.valueOf(first.unavailableReason()));
        assertTrue(Files.isExecutable(first.binary()));
        final long built = Files.getLastModifiedTime(first.binary()).toMillis();
        // cached: found again without a compiler
        final FloorProgram again = FloorProgram.build("oobnet-no-such-cc", cache);
        assertEquals(first.binary(), again.binary());
        assertEquals(built, Files.getLastModifiedTime(again.binary()).toMillis());
        try (var files = Files.list(cache))
        {
            assertEquals(1, files.count(), "only the binary is left in the cache");
        }
    }

    @Test
    void shouldReportTheCompilersErrorWhenItFails() throws Exception
    {
        // a "compiler" that fails like one: the row is skipped with its output, not with a stack trace
        final Path fake = cache.resolve("fake-cc");
        Files.writeString(fake, "#!/bin/sh\necho 'floor.c:1: error: broken' >&2\nexit 1\n");
        assertTrue(fake.toFile().setExecutable(true));
        final FloorProgram program = FloorProgram.build(fake.toString(), cache.resolve("c"));
        assertFalse(program.isAvailable());
        assertTrue(program.unavailableReason().contains("failed (exit 1)") &&
            program.unavailableReason().contains("error: broken"), program.unavailableReason());
    }
}
