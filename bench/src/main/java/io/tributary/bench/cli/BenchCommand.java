package io.tributary.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The benchmark's command line: one subcommand per benchmark, and two to point the driver at any broker. */
@Command(name = "BenchMain", mixinStandardHelpOptions = true,
        subcommands = {CompareCommand.class, DriveCommand.class, IdleCommand.class, KafkaCommand.class,
                SinksCommand.class, OfflineCommand.class, RawLoadCommand.class, LinkKillsCommand.class,
                ClusterCommand.class,
                CommandLine.HelpCommand.class},
        description = "End-to-end benchmarks of Tributary (see docs/benchmarks.md).")
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs {@code args}; returns the exit code (2 for a wrong command line, as before picocli). */
    public static int execute(String... args) {
        CommandLine line = new CommandLine(new BenchCommand());
        // A bad value found while building the settings is a usage error too, not a stack trace.
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            if (!(e instanceof IllegalArgumentException)) {
                throw e;
            }
            command.getErr().println("error: " + e.getMessage());
            command.usage(command.getErr());
            return 2;
        });
        return line.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
