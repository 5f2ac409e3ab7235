package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Condition;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads one item of {@code routes}: its name, source, sink, condition, retry and dead-letter destination. */
final class RouteReader {

    /** A route read without error, with the mapping it came from for later errors' locations. */
    record ReadRoute(RouteSettings settings, YamlMapping mapping) {
    }

    private final YamlNodeReader reader;
    private final RouteSourceReader sourceReader;
    private final RouteSinkReader sinkReader;
    private final RouteTemplates templates;
    private final RetrySettingsReader retryReader;

    /**
     * @param files resolves the files of webhooks' secrets against the configuration file's folder
     * @param kafkaConnections the names under {@code connections.kafka}, which routes may refer to
     * @param jdbcConnections the names under {@code connections.jdbc}, which routes may refer to
     */
    RouteReader(YamlNodeReader reader, FileValues files, Set<String> kafkaConnections, Set<String> jdbcConnections) {
        ConnectionReferences connections = new ConnectionReferences(kafkaConnections, jdbcConnections);
        this.reader = reader;
        this.templates = new RouteTemplates(reader);
        this.sourceReader = new RouteSourceReader(reader, connections);
        this.sinkReader = new RouteSinkReader(reader, connections, templates, new SecretReader(reader, files));
        this.retryReader = new RetrySettingsReader(reader);
    }

    /** The route of {@code node}; empty when anything in it is invalid, each problem reported. */
    Optional<ReadRoute> read(Node node, String path) {
        return reader.section(node, path, RouteKeys.ROUTE, values -> {
            YamlMapping route = values.mapping();
            Optional<String> name = values.optional(RouteKeys.NAME);
            Optional<RouteSource> from = sourceReader.read(route, name);
            Optional<RouteVariables> variables = from.map(RouteVariables::of);
            Optional<RouteSink> to = reader.requiredNode(route, RouteKeys.TO)
                    .flatMap(n -> sinkReader.read(n, route.pathOf(RouteKeys.TO), variables));
            Optional<Condition> condition = templates.condition(route, variables);
            Optional<RetrySettings> retry = retryReader.read(route);
            Optional<RouteSink> deadLetter = route.value(RouteKeys.DEAD_LETTER).flatMap(n -> sinkReader.read(n,
                    route.pathOf(RouteKeys.DEAD_LETTER), variables.map(RouteVariables::forDeadLetter)));
            return () -> new ReadRoute(new RouteSettings(name.orElseThrow(), from.orElseThrow(), to.orElseThrow(),
                    condition, retry.orElseThrow(), deadLetter, route.location()), route);
        });
    }
}
