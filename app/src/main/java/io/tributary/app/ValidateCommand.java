package io.tributary.app;

import io.tributary.bridge.config.ConfigError;
import io.tributary.bridge.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tributary validate FILE} (or {@code --config FILE}): checks a configuration without starting anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks a configuration file without starting anything.",
            "Prints \"FILE: OK\", or every error as FILE:LINE:COLUMN: FIELD: MESSAGE and exits with 1."})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The YAML configuration file to check.")
    Path file;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The same as FILE, as `run` takes it.")
    Path config;

    @ParentCommand
    TributaryCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path checked = fileToCheck();
        try {
            // The broker checks its configuration again; a value we accept and it refuses is a bug, shown here
            // rather than at `run`.
            ConfigSource.load(checked, parent.environment());
        } catch (ConfigException e) {
            printErrors(e, spec.commandLine().getErr());
            return TributaryCommand.FAILED;
        }
        spec.commandLine().getOut().println(checked + ": OK");
        return TributaryCommand.OK;
    }

    /** FILE or --config FILE, exactly one of them. */
    private Path fileToCheck() {
        if (file == null && config == null) {
            throw new ParameterException(spec.commandLine(), "Missing the file to check: FILE or --config=FILE");
        }
        if (file != null && config != null) {
            throw new ParameterException(spec.commandLine(), "Give the file once: FILE or --config=FILE, not both");
        }
        return file != null ? file : config;
    }

    /** One line per error, as {@code FILE:LINE:COL: FIELD: MESSAGE}. */
    static void printErrors(ConfigException e, PrintWriter err) {
        for (ConfigError error : e.errors()) {
            err.println(error.render());
        }
        err.flush();
    }
}
