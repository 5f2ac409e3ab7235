package io.tributary.routes.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.bridge.config.JdbcConnectionSettings;
import io.tributary.storage.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Opens the HikariCP pool of a {@code connections.jdbc} entry. The pool does not connect when it opens
 * ({@code initializationFailTimeout = -1}): a database that is down at start only fails the batches written
 * while it is, and the pool connects again when it is back. Asking for a connection gives up after
 * {@value #CONNECTION_TIMEOUT_SECONDS} s, which fails the batch, and the route retries its messages.
 *
 * <p>An embedded connection is an H2 file database in {@code DATA-DIRECTORY/h2/NAME.mv.db}, with
 * {@code WRITE_DELAY=0} so that a committed batch is in the file before the devices are acknowledged.
 */
final class PoolFactory {

    static final long CONNECTION_TIMEOUT_SECONDS = 5;
    private static final long VALIDATION_TIMEOUT_SECONDS = 3;
    /** PostgreSQL: how long one statement may wait for the server before its batch fails. */
    private static final String POSTGRESQL_SOCKET_TIMEOUT_SECONDS = "60";
    private static final String H2_SETTINGS = ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";

    private PoolFactory() {
    }

    /**
     * A pool for {@code settings}, its password read now.
     *
     * @param environment where a password named by environment variable is read
     * @param meters where the pool reports its meters; none when null
     * @throws IllegalStateException when the password cannot be read (naming where it was looked for)
     */
    static HikariDataSource open(JdbcConnectionSettings settings, Path dataDirectory, Map<String, String> environment,
                                 MeterRegistry meters) {
        String url = url(settings, dataDirectory);
        HikariConfig config = new HikariConfig();
        config.setPoolName("tributary-jdbc-" + settings.name());
        config.setJdbcUrl(url);
        settings.username().or(() -> settings.embedded() ? Optional.of(EmbeddedH2.DEFAULT_USER) : Optional.empty())
                .ifPresent(config::setUsername);
        if (settings.password().isPresent()) {
            config.setPassword(settings.password().get().read(environment));
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setAutoCommit(false);
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(CONNECTION_TIMEOUT_SECONDS));
        config.setValidationTimeout(TimeUnit.SECONDS.toMillis(VALIDATION_TIMEOUT_SECONDS));
        config.setInitializationFailTimeout(-1);
        if (meters != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        }
        if (SqlDialect.of(url) == SqlDialect.POSTGRESQL) {
            // Driver defaults, which the URL's own parameters override.
            config.addDataSourceProperty("socketTimeout", POSTGRESQL_SOCKET_TIMEOUT_SECONDS);
            config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT_SECONDS));
            config.addDataSourceProperty("tcpKeepAlive", "true");
            config.addDataSourceProperty("ApplicationName", "tributary");
        }
        return new HikariDataSource(config);
    }

    /** The JDBC URL of a connection; for an embedded one, of its H2 file under the data directory. */
    static String url(JdbcConnectionSettings settings, Path dataDirectory) {
        if (!settings.embedded()) {
            return settings.url();
        }
        if (!settings.name().matches("[A-Za-z0-9._-]+") || settings.name().matches("\\.+")) {
            throw new IllegalArgumentException("an embedded JDBC connection's name becomes a file name: '"
                    + settings.name() + "' must be letters, digits, '.', '_' and '-', not dots alone");
        }
        Path directory = EmbeddedH2.directory(dataDirectory);
        if (directory.toString().contains(";")) {
            throw new IllegalArgumentException("the data directory " + dataDirectory
                    + " holds a ';', which an H2 URL cannot: choose another for the embedded database");
        }
        try {
            OwnerOnlyFiles.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + " for the embedded database", e);
        }
        return "jdbc:h2:file:" + EmbeddedH2.file(dataDirectory, settings.name()) + H2_SETTINGS;
    }

    /**
     * The URL without what may hold credentials (user info, parameters, H2 settings), for logs and errors:
     * {@code jdbc:postgresql://db:5432/tributary}.
     */
    static String redact(String url) {
        String redacted = url;
        int parameters = indexOfAny(redacted, '?', ';');
        if (parameters >= 0) {
            redacted = redacted.substring(0, parameters);
        }
        return redacted.replaceAll("//[^/@]*@", "//***@");
    }

    private static int indexOfAny(String text, char first, char second) {
        int a = text.indexOf(first);
        int b = text.indexOf(second);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }
}
