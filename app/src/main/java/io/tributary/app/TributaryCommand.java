package io.tributary.app;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code tributary} command and its subcommands; exit codes 0 (done), 1 (failed), 2 (usage error). */
@Command(name = "tributary",
        mixinStandardHelpOptions = true,
        versionProvider = TributaryVersion.Provider.class,
        description = "An MQTT broker with routes to Kafka, HTTP and SQL built in.",
        subcommands = {RunCommand.class, ValidateCommand.class, InitCommand.class, SqlCommand.class,
            KafkaReadCommand.class, KafkaWriteCommand.class,
            PasswdCommand.class,
            VersionCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class TributaryCommand implements Callable<Integer> {

    /** The command ran, or the configuration is valid. */
    public static final int OK = 0;
    /** The configuration is invalid, or the broker could not start. */
    public static final int FAILED = 1;
    /** The command line itself is wrong. */
    public static final int USAGE = 2;

    private final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    private TributaryCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * The command line to execute; {@code environment} stands in for the process environment (overrides and
     * {@code ${...}} references in the configuration).
     */
    public static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new TributaryCommand(environment)).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Without a subcommand: print the usage and fail as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    Map<String, String> environment() {
        return environment;
    }
}
