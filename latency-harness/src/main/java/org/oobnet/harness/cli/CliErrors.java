package org.oobnet.harness.cli;

import java.io.PrintWriter;

import picocli.CommandLine;

/**
 * How the {@code oobnet} command line reports what went wrong: one line on stderr, {@code <command>: <what> ...},
 * exit status 2, never a Java stack trace ({@code OOBNET_DEBUG=1} adds the trace, for bug reports). A bad option
 * or value names the option and points at {@code --help}; an exception out of a command is its message (an
 * {@code ErrnoException}'s names the call and errno; a configuration error lists every problem on the one line).
 * <p>
 * <b>Note:</b> stateless; the handlers run on the thread that executes the command line.
 */
final class CliErrors
{
    /** Exit status of every error a user can cause. */
    static final int EXIT_USAGE = 2;

    private CliErrors()
    {
    }

    /**
     * Installs both handlers.
     *
     * @param cli the root command line.
     * @return {@code cli}.
     */
    static CommandLine install(final CommandLine cli)
    {
        cli.setParameterExceptionHandler((ex, args) ->
        {
            final CommandLine command = ex.getCommandLine();
            final String name = command.getCommandSpec().qualifiedName();
            report(command.getErr(), name + ": " + oneLine(ex.getMessage()) + " (" + name + " --help lists the " +
                "options)", ex);
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, command, parseResult) ->
        {
            report(command.getErr(), command.getCommandSpec().qualifiedName() + ": " + describe(ex), ex);
            return EXIT_USAGE;
        });
        return cli;
    }

    // the message a user can act on: the exception's own, with its type only when the message alone says little
    static String describe(final Throwable ex)
    {
        Throwable cause = ex;
        while ((cause instanceof java.io.UncheckedIOException || cause instanceof java.util.concurrent.ExecutionException ||
            cause instanceof java.lang.reflect.InvocationTargetException) && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        final String message = cause.getMessage();
        if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException ||
            cause instanceof org.oobnet.inband.ErrnoException || cause instanceof org.oobnet.config.ConfigException)
        {
            return oneLine(null == message ? cause.getClass().getSimpleName() : message);
        }
        if (cause instanceof java.nio.file.NoSuchFileException)
        {
            return "no such file: " + message;
        }
        if (cause instanceof java.nio.file.AccessDeniedException)
        {
            return "permission denied: " + message;
        }
        return oneLine(cause.getClass().getSimpleName() + (null == message ? "" : ": " + message));
    }

    private static String oneLine(final String text)
    {
        return text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static void report(final PrintWriter err, final String line, final Throwable ex)
    {
        err.println(line);
        if ("1".equals(System.getenv("OOBNET_DEBUG")))
        {
            ex.printStackTrace(err);
        }
        err.flush();
    }
}
