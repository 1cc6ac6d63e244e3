package org.oobnet.harness.arch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness's main sources as the architecture tests read them: which classes a file names (an import, a static
 * import or a fully qualified name in code; not a comment's or a string's mention: a child JVM's main class given by
 * name is no dependency).
 * <p>
 * <b>Note:</b> stateless.
 */
final class SourceScan
{
    /** The harness's main sources, relative to the module (surefire runs there). */
    static final Path MAIN = Path.of("src/main/java");

    private static final Pattern NAME = Pattern.compile("\\b([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+)\\.([A-Z]\\w*)");

    private SourceScan()
    {
    }

    /**
     * @param under    a folder under {@link #MAIN}, e.g. {@code org/oobnet/harness/bench}.
     * @param packages which packages count.
     * @return per file (relative to {@link #MAIN}, sorted) the classes it names of those packages; files naming none
     *         are left out.
     * @throws IOException when a file cannot be read.
     */
    static Map<String, List<String>> namesIn(final String under, final Predicate<String> packages) throws IOException
    {
        final Path root = MAIN.resolve(under);
        assertTrue(Files.isDirectory(root), "run from the module: " + root.toAbsolutePath());
        final Map<String, List<String>> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList())
            {
                final List<String> hits = names(Files.readString(file), packages);
                if (!hits.isEmpty())
                {
                    found.put(MAIN.relativize(file).toString().replace('\\', '/'), hits);
                }
            }
        }
        return found;
    }

    /**
     * @param source   a Java source.
     * @param packages which packages count.
     * @return the classes of those packages it names, as {@code package.Class}.
     */
    static List<String> names(final String source, final Predicate<String> packages)
    {
        final List<String> hits = new ArrayList<>();
        final Matcher m = NAME.matcher(withoutComments(source));
        while (m.find())
        {
            if (packages.test(m.group(1)))
            {
                hits.add(m.group(1) + "." + m.group(2));
            }
        }
        return hits;
    }

    // comments may name anything (e.g. to say why not), strings too (a class name there is data); a string is taken
    // out before the comments so that "//" inside one does not end the line's code
    private static String withoutComments(final String source)
    {
        return source.replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"")
            .replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }
}
