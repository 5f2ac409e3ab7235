package io.tributary.bridge.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code routes}: each route, then that no two share a name. */
final class RoutesReader {

    private final YamlNodeReader reader;
    private final RouteReader routeReader;

    /**
     * @param files resolves the files of webhooks' secrets against the configuration file's folder
     * @param kafkaConnections the names under {@code connections.kafka}, which routes may refer to
     * @param jdbcConnections the names under {@code connections.jdbc}, which routes may refer to
     */
    RoutesReader(YamlNodeReader reader, FileValues files, Set<String> kafkaConnections, Set<String> jdbcConnections) {
        this.reader = reader;
        this.routeReader = new RouteReader(reader, files, kafkaConnections, jdbcConnections);
    }

    /** The routes of the top-level mapping, none when the key is absent; empty when any is invalid. */
    Optional<List<RouteSettings>> read(YamlMapping top) {
        Map<String, RouteReader.ReadRoute> byName = new HashMap<>();
        Optional<List<RouteReader.ReadRoute>> routes = reader.items(top, ConfigSchema.ROUTES, List.of(), null,
                // Names are compared among valid routes only, so that one broken route is one error.
                (node, path) -> routeReader.read(node, path).filter(route -> unique(route, byName)));
        return routes.map(read -> read.stream().map(RouteReader.ReadRoute::settings).toList());
    }

    private boolean unique(RouteReader.ReadRoute route, Map<String, RouteReader.ReadRoute> byName) {
        RouteReader.ReadRoute first = byName.putIfAbsent(route.settings().name(), route);
        if (first == null) {
            return true;
        }
        YamlMapping mapping = route.mapping();
        reader.report(mapping.value(RouteKeys.NAME).orElseThrow(), mapping.pathOf(RouteKeys.NAME),
                "name '" + route.settings().name() + "' is already used by " + first.mapping().path() + " (line "
                        + first.mapping().location().line() + "); give each route a unique name");
        return false;
    }
}
