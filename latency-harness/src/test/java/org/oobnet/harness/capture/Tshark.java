package org.oobnet.harness.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.oobnet.netns.testing.Privileges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's {@code tshark} reading a capture back: each frame's fields, one line per frame. Missing tshark skips
 * the test, or fails it under {@code OOBNET_REQUIRE_PRIVILEGED=1} (CI installs it: {@code .ci/prerequisites}).
 */
final class Tshark
{
    private Tshark()
    {
    }

    static void require()
    {
        final boolean present = List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")).stream()
            .anyMatch(dir -> Path.of(dir, "tshark").toFile().canExecute());
        if (!present)
        {
            if (Privileges.isPrivilegeRequired())
            {
                fail("tshark is not installed (apt-get install tshark; .ci/prerequisites does it)");
            }
            Assumptions.abort("tshark is not installed");
        }
    }

    /**
     * {@code tshark -r file -T fields -E separator=, -e f1 -e f2 ...}: one list of values per frame.
     */
    static List<String[]> fields(final Path file, final String... fields) throws IOException, InterruptedException
    {
        require();
        final List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-T", "fields",
            "-E", "separator=,"));
        for (final String field : fields)
        {
            command.add("-e");
            command.add(field);
        }
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("tshark did not finish");
        }
        assertEquals(0, process.exitValue(), "tshark -r " + file + ": " + err);
        final List<String[]> frames = new ArrayList<>();
        for (final String line : out.split("\n"))
        {
            if (!line.isEmpty())
            {
                frames.add(line.split(",", -1));
            }
        }
        return frames;
    }
}
