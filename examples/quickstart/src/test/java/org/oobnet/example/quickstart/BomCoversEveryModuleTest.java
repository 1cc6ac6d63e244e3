package org.oobnet.example.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The BOM this project imports manages every module oobnet installs, at the parent's version: the BOM has no
 * parent (so that it brings only oobnet's versions), and this is what keeps the two in step.
 */
class BomCoversEveryModuleTest
{
    // modules that hold tests only: installed, but nothing to depend on
    private static final List<String> NOT_IN_BOM = List.of("reliability", "oobnet-bom");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern MANAGED = Pattern.compile(
        "<groupId>org\\.oobnet</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>\\$\\{project\\.version}");

    @Test
    void shouldManageEveryModuleAtTheParentsVersion() throws IOException
    {
        final Path root = Path.of("../..").toAbsolutePath().normalize();
        final String parent = Files.readString(root.resolve("pom.xml"));
        final TreeSet<String> modules = new TreeSet<>();
        final Matcher module = MODULE.matcher(parent);
        while (module.find())
        {
            final String artifactId = ownArtifactId(Files.readString(root.resolve(module.group(1)).resolve("pom.xml")));
            if (!NOT_IN_BOM.contains(artifactId))
            {
                modules.add(artifactId);
            }
        }
        final String bom = Files.readString(root.resolve("bom/pom.xml"));
        final TreeSet<String> managed = new TreeSet<>();
        final Matcher entry = MANAGED.matcher(bom);
        while (entry.find())
        {
            managed.add(entry.group(1));
        }
        assertTrue(modules.contains("oob-core") && modules.size() >= 7, "modules found: " + modules);
        assertEquals(modules, managed, "bom/pom.xml's dependencyManagement against the parent's modules");
        assertEquals(version(parent), version(bom), "bom/pom.xml's version against the parent's");
    }

    // the first artifactId after the parent block (or the first, without one)
    private static String ownArtifactId(final String pom)
    {
        final int afterParent = pom.contains("</parent>") ? pom.indexOf("</parent>") : 0;
        final Matcher matcher = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(pom);
        return matcher.find(afterParent) ? matcher.group(1) : "";
    }

    private static String version(final String pom)
    {
        final int afterParent = pom.contains("</parent>") ? pom.indexOf("</parent>") : 0;
        final Matcher matcher = Pattern.compile("<version>([^<]+)</version>").matcher(pom);
        final List<String> found = new ArrayList<>();
        if (matcher.find(afterParent))
        {
            found.add(matcher.group(1));
        }
        return found.isEmpty() ? "" : found.get(0);
    }
}
