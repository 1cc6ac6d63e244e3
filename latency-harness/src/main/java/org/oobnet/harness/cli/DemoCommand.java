package org.oobnet.harness.cli;

import java.io.IOException;
import java.util.concurrent.Callable;

import org.oobnet.harness.bench.demo.DemoRun;
import picocli.CommandLine.Command;

/**
 * {@code oobnet demo}: the short UDP round-trip comparison the README starts with; no arguments.
 * <p>
 * <b>Note:</b> in-band command.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "A ~20 s UDP round-trip comparison between two network namespaces: table, plot, result files.")
public final class DemoCommand implements Callable<Integer>
{
    @Override
    public Integer call() throws IOException
    {
        return DemoRun.run(System.out);
    }
}
