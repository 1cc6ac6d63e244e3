package org.oobnet.harness.arch;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The harness's layers point one way: {@code cli/} parses and prints and calls the work; the work ({@code bench/},
 * {@code env/}, {@code report/}, {@code soak/}) never names the command line, so that it runs from a test, the demo
 * or another command without picocli's options (a runner takes a settings record the command builds, e.g.
 * {@code RunSettings} from {@code RunOptions}).
 */
class LayersTest
{
    private static final String CLI = "org.oobnet.harness.cli";
    private static final List<String> WORK = List.of("bench", "env", "report", "soak");

    @Test
    void shouldKeepTheWorkFreeOfTheCommandLine() throws IOException
    {
        final Map<String, List<String>> offences = new TreeMap<>();
        for (final String layer : WORK)
        {
            offences.putAll(SourceScan.namesIn("org/oobnet/harness/" + layer, CLI::equals));
        }
        assertEquals(Map.of(), offences, WORK + " must not use " + CLI + ": give the work a settings record the " +
            "command builds, or move the shared piece out of cli");
    }

    @Test
    void shouldFindACommandLineNameWhereverItIsWritten()
    {
        // the scan itself: an import, a qualified name in code; not a comment's mention, not a deeper package
        assertEquals(List.of("org.oobnet.harness.cli.RunOptions"),
            SourceScan.names("import org.oobnet.harness.cli.RunOptions;", CLI::equals));
        assertEquals(List.of("org.oobnet.harness.cli.Durations"),
            SourceScan.names("long t = org.oobnet.harness.cli.Durations.parseNs(\"d\", s);", CLI::equals));
        assertEquals(List.of(), SourceScan.names("/** built by {@code org.oobnet.harness.cli.RunOptions} */",
            CLI::equals));
        assertEquals(List.of(), SourceScan.names("import org.oobnet.harness.client.Thing;", CLI::equals));
        assertEquals(List.of(), SourceScan.names("String MAIN = \"org.oobnet.harness.cli.OobnetCli\";", CLI::equals));
    }
}
