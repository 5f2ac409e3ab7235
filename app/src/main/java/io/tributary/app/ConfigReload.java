package io.tributary.app;

import io.tributary.bridge.config.ConfigError;
import io.tributary.bridge.config.ConfigException;
import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.broker.BrokerConfig;
import io.tributary.routes.BridgeStartException;
import io.tributary.routes.RouteChanges;
import io.tributary.routes.TributaryBridge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed configuration file to a running Tributary: its {@code routes} are swapped in without
 * touching the broker or its connections. The other sections need a restart, and a line says which of them
 * differ from what is running. A file with errors, or a route that cannot start, changes nothing: the
 * running routes stay and the errors are logged, one line each.
 */
final class ConfigReload implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

    private final Path file;
    private final Map<String, String> environment;
    private final TributaryConfig started;
    private final TributaryBridge bridge;
    /**
     * Whether the last version of the file was not applied (errors, unknown connections, a route that could not
     * start): the next one that is says so, so that an operator who fixed it sees it worked. Only the watcher's
     * thread runs reloads.
     */
    private boolean broken;

    /** @param started the configuration Tributary started with; its sections other than routes stay in force */
    ConfigReload(Path file, Map<String, String> environment, TributaryConfig started, TributaryBridge bridge) {
        this.file = file;
        this.environment = Map.copyOf(environment);
        this.started = started;
        this.bridge = bridge;
    }

    /** Reads the file again and applies its routes. */
    @Override
    public void run() {
        TributaryConfig next;
        try {
            next = ConfigSource.load(file, environment);
        } catch (ConfigException e) {
            LOG.error("{} changed but has {} error(s); the running routes stay", file, e.errors().size());
            for (ConfigError error : e.errors()) {
                LOG.error("{}", error.render());
            }
            broken = true;
            return;
        }
        List<String> needRestart = sectionsNeedingRestart(started, next);
        if (!needRestart.isEmpty()) {
            LOG.warn("{}: changes to {} apply after a restart; only routes are reloaded", file,
                    String.join(", ", needRestart));
        }
        List<String> missing = missingConnections(next.routes(), started.connections());
        if (!missing.isEmpty()) {
            LOG.error("Routes not reloaded from {}: they use connections Tributary was not started with; the "
                    + "running routes stay", file);
            missing.forEach(line -> LOG.error("{}", line));
            broken = true;
            return;
        }
        RouteChanges changes;
        try {
            changes = bridge.reloadRoutes(next.routes());
        } catch (BridgeStartException e) {
            LOG.error("Routes not reloaded from {}: {}; the running routes stay", file, e.getMessage());
            broken = true;
            return;
        } catch (IllegalStateException stopping) {
            LOG.info("Routes not reloaded from {}: {}", file, stopping.getMessage());
            return;
        }
        if (broken) {
            broken = false;
            LOG.info("Configuration {} is valid again; {}", file, changes.isEmpty()
                    ? "the running routes are the ones it describes" : "routes applied: " + changes);
        } else if (!changes.isEmpty()) {
            LOG.info("Routes reloaded from {}: {}", file, changes);
        }
    }

    /** The sections, other than {@code routes}, in which the two configurations differ. */
    static List<String> sectionsNeedingRestart(TributaryConfig running, TributaryConfig next) {
        List<String> differ = new ArrayList<>();
        // The broker's state folder follows data-directory, which is named on its own.
        BrokerConfig nextBroker = running.broker().persistenceDirectory() == null
                || next.broker().persistenceDirectory() == null ? next.broker()
                : next.broker().withPersistenceDirectory(running.broker().persistenceDirectory());
        addIfDiffers(differ, "broker", running.broker(), nextBroker);
        addIfDiffers(differ, "data-directory", running.dataDirectory(), next.dataDirectory());
        addIfDiffers(differ, "connections", running.connections(), next.connections());
        addIfDiffers(differ, "camel-routes", running.camelRoutes(), next.camelRoutes());
        addIfDiffers(differ, "http-api", running.httpApi(), next.httpApi());
        return differ;
    }

    /**
     * One line per route that names a connection the running Tributary does not have (connections are only
     * read at the start), as {@code FILE:LINE:COL: routes[NAME]: ...}.
     */
    static List<String> missingConnections(List<RouteSettings> routes, ConnectionSettings running) {
        List<String> lines = new ArrayList<>();
        for (RouteSettings route : routes) {
            List<RouteSink> sinks = new ArrayList<>(List.of(route.to()));
            route.deadLetter().ifPresent(sinks::add);
            List<String> kafka = new ArrayList<>();
            List<String> jdbc = new ArrayList<>();
            if (route.from() instanceof RouteSource.Kafka source) {
                kafka.add(source.connection());
            }
            if (route.from() instanceof RouteSource.ExternalMqtt source && running.mqtt(source.connection()).isEmpty()) {
                lines.add(missingLine(route, "connections.mqtt." + source.connection()));
            }
            for (RouteSink sink : sinks) {
                if (sink instanceof RouteSink.Kafka record) {
                    kafka.add(record.connection());
                } else if (sink instanceof RouteSink.Jdbc table) {
                    jdbc.add(table.connection());
                }
            }
            kafka.stream().filter(name -> running.kafka(name).isEmpty()).distinct()
                    .forEach(name -> lines.add(missingLine(route, "connections.kafka." + name)));
            jdbc.stream().filter(name -> running.jdbc(name).isEmpty()).distinct()
                    .forEach(name -> lines.add(missingLine(route, "connections.jdbc." + name)));
        }
        return lines;
    }

    private static String missingLine(RouteSettings route, String connection) {
        return route.location() + ": routes[" + route.name() + "]: uses " + connection
                + ", which the running Tributary does not have; a new connection applies after a restart";
    }

    private static void addIfDiffers(List<String> differ, String section, Object running, Object next) {
        if (!Objects.equals(running, next)) {
            differ.add(section);
        }
    }
}
