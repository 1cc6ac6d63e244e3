package org.oobnet.example.seqmsg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guides' code compiles: in docs/sdk.md and docs/getting-started.md each {@code java} or {@code xml} block
 * follows an {@code <!-- include: path#tag -->} marker and equals, line for line, the region between
 * {@code // tag::tag[]} and {@code // end::tag[]} (in XML {@code <!-- tag::tag[] -->} and
 * {@code <!-- end::tag[] -->}) of that source file (which the build compiles and the tests run), with the region's
 * common indentation removed.
 */
class SdkGuideSnippetsTest
{
    private static final Pattern INCLUDE = Pattern.compile(
        "<!-- include: (\\S+)#(\\w+) -->\\n```(?:java|xml)\\n(.*?)```", Pattern.DOTALL);

    @ParameterizedTest
    @CsvSource({"docs/sdk.md, 10", "docs/getting-started.md, 6"})
    void shouldMatchTaggedSourceWhenGuideQuotesExample(final String guideFile, final int minimumBlocks)
        throws IOException
    {
        final Path root = repositoryRoot();
        final String guide = Files.readString(root.resolve(guideFile));
        final Matcher matcher = INCLUDE.matcher(guide);
        int checked = 0;
        while (matcher.find())
        {
            final Path source = root.resolve(matcher.group(1));
            final String tag = matcher.group(2);
            assertTrue(Files.exists(source), guideFile + " includes a missing file: " + source);
            final String expected = region(Files.readString(source), tag, source);
            assertEquals(expected, matcher.group(3), guideFile + " block " + matcher.group(1) + "#" + tag +
                " differs from the source; copy the tagged region again");
            checked++;
        }
        final int codeBlocks = guide.split("```java", -1).length - 1 + guide.split("```xml", -1).length - 1;
        assertEquals(codeBlocks, checked, "every java and xml block of " + guideFile + " is an include of tagged source");
        assertTrue(checked >= minimumBlocks, "the guide quotes the example: " + checked + " blocks");
    }

    private static String region(final String text, final String tag, final Path source)
    {
        final List<String> lines = text.lines().toList();
        final List<String> region = new ArrayList<>();
        boolean inside = false;
        boolean found = false;
        for (final String line : lines)
        {
            final String trimmed = line.trim();
            if (trimmed.equals("// tag::" + tag + "[]") || trimmed.equals("<!-- tag::" + tag + "[] -->"))
            {
                inside = true;
                found = true;
            }
            else if (trimmed.equals("// end::" + tag + "[]") || trimmed.equals("<!-- end::" + tag + "[] -->"))
            {
                inside = false;
            }
            else if (inside)
            {
                region.add(line);
            }
        }
        assertTrue(found, "tag=" + tag + " not found in " + source);
        int indent = Integer.MAX_VALUE;
        for (final String line : region)
        {
            if (!line.isBlank())
            {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        for (final String line : region)
        {
            sb.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return sb.toString();
    }

    private static Path repositoryRoot()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (null != dir && !Files.exists(dir.resolve("docs/sdk.md")))
        {
            dir = dir.getParent();
        }
        assertTrue(null != dir, "docs/sdk.md not found above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
