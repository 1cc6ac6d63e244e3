package org.oobnet.harness.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Fits the shared {@link RunOptions} to one command, from its {@code IModelTransformer}: an option that does not
 * apply to the command is refused by name rather than silently ignored, and one that means something else there gets
 * that command's description in its {@code --help}.
 * <p>
 * <b>Note:</b> in-band, while picocli builds the command's model; stateless.
 */
public final class OptionOverrides
{
    private OptionOverrides()
    {
    }

    /**
     * Hides an option from {@code --help} and makes any use of it a usage error (one line, exit status 2 through the
     * CLI's parameter-exception handler): {@code <name> does not apply to <command>: <why>}.
     *
     * @param spec the command's model.
     * @param name the option, e.g. {@code --size}.
     * @param why  why it does not apply, for the user.
     * @return {@code spec}.
     * @throws IllegalArgumentException when the command has no such option (a renamed shared option).
     */
    public static CommandSpec refuse(final CommandSpec spec, final String name, final String why)
    {
        final String message = name + " does not apply to " + spec.name() + ": " + why;
        // no default: picocli applies a default through the consumer, which would refuse every run
        return replace(spec, name, OptionSpec.builder(option(spec, name)).hidden(true).defaultValue(null)
            // consumed before any value is read: a flag and an option with a value are refused alike
            .parameterConsumer((args, arg, command) ->
            {
                throw new ParameterException(command.commandLine(), message);
            }));
    }

    /**
     * Gives an option this command's description in {@code --help} (what it does here).
     *
     * @param spec        the command's model.
     * @param name        the option, e.g. {@code --rate}.
     * @param description its description; {@code ${DEFAULT-VALUE}} is expanded as usual.
     * @return {@code spec}.
     * @throws IllegalArgumentException when the command has no such option.
     */
    public static CommandSpec describe(final CommandSpec spec, final String name, final String description)
    {
        return replace(spec, name, OptionSpec.builder(option(spec, name)).description(description));
    }

    /**
     * Gives an option this command's own default and description (a shared option whose default does not fit here).
     *
     * @param spec         the command's model.
     * @param name         the option, e.g. {@code --warmup}.
     * @param defaultValue its default here.
     * @param description  its description; {@code ${DEFAULT-VALUE}} is expanded as usual.
     * @return {@code spec}.
     * @throws IllegalArgumentException when the command has no such option.
     */
    public static CommandSpec redefault(
        final CommandSpec spec, final String name, final String defaultValue, final String description)
    {
        return replace(spec, name, OptionSpec.builder(option(spec, name)).defaultValue(defaultValue)
            .description(description));
    }

    private static OptionSpec option(final CommandSpec spec, final String name)
    {
        final OptionSpec option = spec.findOption(name);
        if (option == null)
        {
            throw new IllegalArgumentException(spec.name() + " has no option " + name);
        }
        return option;
    }

    // the builder copies the option's binding (the mixin's field) and default: only what was changed differs
    private static CommandSpec replace(final CommandSpec spec, final String name, final OptionSpec.Builder builder)
    {
        spec.remove(option(spec, name));
        return spec.addOption(builder.build());
    }
}
