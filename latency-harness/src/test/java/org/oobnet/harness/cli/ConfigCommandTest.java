package org.oobnet.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.config.CpuTopology;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.*;

class ConfigCommandTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(final String... args)
    {
        final CommandLine cli = OobnetCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void shouldPrintValuesWithSourcesWhenFileGiven() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("oobnet.toml"),
            "[stage]\nidle_strategy = \"yield\"\n\n[interfaces.veth0]\nframe_size = 4096\n");

        final int status = execute("config", "--print", "--config", file.toString());

        assertEquals(0, status, err.toString());
        final String text = out.toString();
        assertTrue(text.startsWith("# oobnet effective configuration; precedence: default < file < OOBNET_* env < " +
            "-Doobnet.* property\n# file: " + file + "\n"), text);
        assertLine(text, "stage.idle_strategy", "\"yield\"", file + ":2");
        assertLine(text, "interfaces.veth0.frame_size", "4096", file + ":5");
        assertLine(text, "rings.control_queue_capacity", "1024", "default");
        final CpuTopology topology = CpuTopology.read();
        final int auto = topology.autoCpu();
        assertLine(text, "stage.cpu", "\"auto\"", "default; auto picks CPU " + auto +
            (topology.isolated().contains(auto) ? " (isolated)" : " (noisol)"));
    }

    /** One line of the print, its columns aligned with spaces: {@code key   = value   # source}. */
    private static void assertLine(final String text, final String key, final String value, final String source)
    {
        final String line = "(?m)^" + Pattern.quote(key) + " +" + Pattern.quote("= " + value) + " +" +
            Pattern.quote("# " + source) + "$";
        assertTrue(Pattern.compile(line).matcher(text).find(), "no line " + key + " = " + value + " # " + source +
            " in\n" + text);
    }

    @Test
    void shouldListEveryProblemAndExitTwoWhenInvalid() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("bad.toml"),
            "[stage]\ncpu = 100000\n[rings]\nsend_ring_bytes = 5000\n[udp]\ntransprot = \"kernel\"\n");

        final int status = execute("config", "--config", file.toString());

        assertEquals(2, status);
        assertEquals("", out.toString());
        assertEquals("""
            oobnet: invalid oobnet configuration (3 problems):
              udp.transprot="kernel": unknown key, did you mean udp.transport? [%1$s:6]
              stage.cpu=100000: no such CPU (this machine has CPUs %2$s) [%1$s:2]
              rings.send_ring_bytes=5000: not a power of two (nearest: 4096 or 8192) [%1$s:4]
            """.formatted(file, CpuTopology.read().online()), err.toString());
    }

    @Test
    void shouldListDoctorAndConfigWhenHelpAsked()
    {
        assertEquals(0, execute("--help"));

        // the column width follows the longest subcommand name (e.g. `latency`): match any run of spaces
        assertTrue(out.toString().matches("(?s).*\n  doctor +Preflight this machine for the OOB path \\(exit 1 when not ready\\)\\.\n.*"), out.toString());
        assertTrue(out.toString().matches("(?s).*\n  config +Print the effective configuration and where each value came from\\.\n.*"), out.toString());
    }
}
