package io.tributary.app;

import io.tributary.bridge.config.ConfigException;
import io.tributary.bridge.config.TributaryConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tributary run [--config FILE]}: starts the broker and its routes and runs until SIGINT or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Starts the broker and its routes and runs until stopped.",
            "SIGINT or SIGTERM stops it gracefully; a second one stops it at once.",
            "Changes to the routes of the --config file are applied while it runs."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The YAML configuration file (default: the built-in one, with TCP on 127.0.0.1:1883 "
                    + "and WebSocket on 127.0.0.1:8083/mqtt).")
    Path config;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "How much to log: debug, info (default), warn or error.")
    LogLevel logLevel;

    @Option(names = {"-v", "--verbose"}, description = "Logs at debug level: the same as --log-level debug.")
    boolean verbose;

    @ParentCommand
    TributaryCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        (verbose ? LogLevel.DEBUG : logLevel).apply();
        TributaryConfig loaded;
        try {
            loaded = ConfigSource.load(config, parent.environment());
        } catch (ConfigException e) {
            ValidateCommand.printErrors(e, spec.commandLine().getErr());
            return TributaryCommand.FAILED;
        }
        long startNanos = System.nanoTime();
        RunningTributary broker;
        try {
            broker = RunningTributary.start(loaded);
        } catch (RunningTributary.StartFailedException e) {
            spec.commandLine().getErr().println("tributary: cannot start with " + ConfigSource.describe(config)
                    + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return TributaryCommand.FAILED;
        }
        if (config != null) {
            broker.reloadRoutesOnChange(config, parent.environment(), loaded, RunningTributary.RELOAD_CHECK_INTERVAL);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "tributary-shutdown"));
        ShutdownSignals.install(broker::stop);
        LOG.info("tributary {} started with {} in {} ms", TributaryVersion.version(), ConfigSource.describe(config),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        broker.awaitStopped();
        return TributaryCommand.OK;
    }
}
