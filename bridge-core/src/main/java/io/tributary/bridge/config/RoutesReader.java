package io.tributary.bridge.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

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
        Optional<Node> node = top.value(ConfigSchema.ROUTES);
        if (node.isEmpty()) {
            return Optional.of(List.of());
        }
        String path = top.pathOf(ConfigSchema.ROUTES);
        Optional<List<Node>> items = reader.sequence(node.get(), path, ConfigSchema.ROUTES.type().expected());
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<RouteSettings> routes = new ArrayList<>();
        Map<String, RouteReader.ReadRoute> byName = new HashMap<>();
        boolean allValid = true;
        for (int i = 0; i < items.get().size(); i++) {
            Optional<RouteReader.ReadRoute> route = routeReader.read(items.get().get(i), path + "[" + i + "]");
            // Names are compared among valid routes only, so that one broken route is one error.
            boolean unique = route.map(r -> unique(r, byName)).orElse(false);
            route.filter(r -> unique).ifPresent(r -> routes.add(r.settings()));
            allValid &= unique;
        }
        return allValid ? Optional.of(routes) : Optional.empty();
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
