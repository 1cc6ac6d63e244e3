package org.oobnet.harness.arch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The harness is the project's most-read example of the runtime, so its main code uses the runtime's public API
 * only: this scan of {@code src/main/java} fails the build when a source file names a class of an internal package
 * (an import, a static import or a fully qualified name). A file that still does is on {@link #ALLOWED}, which may
 * only shrink: an entry whose file no longer reaches in fails the test too, so that it is taken off.
 */
class PublicApiOnlyTest
{
    /** The runtime's packages that are not API: the FFM downcalls and native layouts. */
    private static final List<String> INTERNAL = List.of("org.oobnet.inband.sys");

    // empty, and kept so: what the harness needs becomes public API (e.g. DatagramBatch, InterfaceTimestamping)
    private static final Set<String> ALLOWED = Set.of();

    @Test
    void shouldUseOnlyThePublicApiOfTheRuntime() throws IOException
    {
        final Map<String, List<String>> reaching = SourceScan.namesIn("org/oobnet/harness", INTERNAL::contains);
        final List<String> offences = new ArrayList<>();
        reaching.forEach((name, hits) ->
        {
            if (!ALLOWED.contains(name))
            {
                offences.add(name + " uses " + hits);
            }
        });
        assertEquals("", String.join("\n", offences),
            "harness main code reaches into the runtime's internal packages " + INTERNAL +
            ": use the public API (KSocket, OobSocket, the protocols' public classes), or make what is needed API");
        final Set<String> stale = new TreeSet<>(ALLOWED);
        stale.removeAll(reaching.keySet());
        assertEquals(Set.of(), stale, "no longer reach in: take them off ALLOWED");
    }

    @Test
    void shouldFindAnInternalNameWhereverItIsWritten()
    {
        // the scan itself: an import, a static import, a qualified name in code; not a comment's mention
        assertEquals(List.of("org.oobnet.inband.sys.LibC"), internalNames("import org.oobnet.inband.sys.LibC;"));
        assertEquals(List.of("org.oobnet.inband.sys.SysConstants"),
            internalNames("import static org.oobnet.inband.sys.SysConstants.SIOCSHWTSTAMP;"));
        assertEquals(List.of("org.oobnet.inband.sys.LibC"), internalNames("long r = org.oobnet.inband.sys.LibC.x();"));
        assertEquals(List.of(), internalNames("import org.oobnet.inband.KSocket; // not org.oobnet.inband.sys.LibC"));
        assertEquals(List.of(), internalNames("/** see {@code org.oobnet.inband.sys.LibC} */ class A {}"));
    }

    private static List<String> internalNames(final String source)
    {
        return SourceScan.names(source, INTERNAL::contains);
    }
}
