package io.tributary.app;

import io.tributary.bridge.config.ConfigException;
import io.tributary.bridge.config.JdbcConnectionSettings;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.routes.jdbc.EmbeddedH2;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tributary sql [--connection NAME] STATEMENT}: runs one statement on a database of the configuration
 * and prints what it returns. An embedded H2 database is reached in H2's mixed mode, through the running
 * Tributary when there is one (see {@link EmbeddedDatabases}), so its rows can be read without stopping it.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs one SQL statement on a database of the configuration and prints the result.",
            "An embedded H2 database can be read while `tributary run` runs with the same configuration."})
final class SqlCommand implements Callable<Integer> {

    @Parameters(paramLabel = "STATEMENT", description = "The SQL statement, e.g. \"select * from telemetry\".")
    String statement;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The configuration that names the database (default: the built-in one).")
    Path config;

    @Option(names = "--connection", paramLabel = "NAME",
            description = "The connections.jdbc entry to use (default: the only one, or `local`).")
    String connection;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "1000",
            description = "Prints at most N rows of a query (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @ParentCommand
    TributaryCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (maxRows < 1) {
            throw new ParameterException(spec.commandLine(), "--max-rows must be at least 1, was " + maxRows);
        }
        PrintWriter err = spec.commandLine().getErr();
        TributaryConfig loaded;
        try {
            loaded = ConfigSource.load(config, parent.environment());
        } catch (ConfigException e) {
            ValidateCommand.printErrors(e, err);
            return TributaryCommand.FAILED;
        }
        Map<String, JdbcConnectionSettings> connections = loaded.connections().jdbc();
        String name = connection != null ? connection
                : connections.size() == 1 ? connections.keySet().iterator().next() : "local";
        JdbcConnectionSettings settings = connections.get(name);
        if (settings == null) {
            return fail("no connections.jdbc entry '" + name + "' in " + ConfigSource.describe(config)
                    + (connections.isEmpty() ? "" : "; there is " + String.join(", ", connections.keySet())));
        }
        if (settings.embedded() && !Files.exists(dataFile(loaded, name))) {
            return fail("the embedded database '" + name + "' does not exist yet (" + dataFile(loaded, name)
                    + "): Tributary creates it when it first starts with this configuration");
        }
        try (Connection db = open(loaded, settings); Statement sql = db.createStatement()) {
            sql.setMaxRows(maxRows);
            boolean isQuery = sql.execute(statement);
            PrintWriter out = spec.commandLine().getOut();
            if (isQuery) {
                ResultTable.print(sql.getResultSet(), maxRows, out);
            } else {
                out.println(sql.getUpdateCount() + " rows changed");
            }
            out.flush();
            return TributaryCommand.OK;
        } catch (SQLException e) {
            return fail(e.getMessage());
        }
    }

    private static Path dataFile(TributaryConfig loaded, String name) {
        Path file = EmbeddedH2.file(loaded.dataDirectory(), name);
        return file.resolveSibling(file.getFileName() + ".mv.db");
    }

    private Connection open(TributaryConfig loaded, JdbcConnectionSettings settings) throws SQLException {
        if (settings.embedded()) {
            // IFEXISTS: a mistyped data directory must not create an empty database.
            return EmbeddedDatabases.connect(loaded.dataDirectory(), settings, parent.environment(), ";IFEXISTS=TRUE");
        }
        return DriverManager.getConnection(settings.url(), settings.username().orElse(null),
                settings.password().map(secret -> secret.read(parent.environment())).orElse(null));
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("tributary sql: " + message);
        spec.commandLine().getErr().flush();
        return TributaryCommand.FAILED;
    }
}
