package io.tributary.bridge.config;

import io.tributary.broker.BrokerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the top level of a configuration file and hands each section to its reader. */
final class TributaryConfigReader {

    private final YamlNodeReader reader;
    private final FileValues files;
    private final BrokerReader brokerReader;
    private final ConnectionsReader connectionsReader;
    private final SecretReader secrets;

    TributaryConfigReader(YamlNodeReader reader, Path baseDirectory) {
        this.reader = reader;
        this.files = new FileValues(reader, baseDirectory);
        this.brokerReader = new BrokerReader(reader, files);
        this.connectionsReader = new ConnectionsReader(reader, files);
        this.secrets = new SecretReader(reader, files);
    }

    /**
     * The configuration of {@code root} ({@code null} for an empty file); empty when anything is invalid,
     * each problem reported.
     */
    Optional<TributaryConfig> read(Node root, SourceLocation fileStart) {
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(root, "", ConfigSchema.ROOT, fileStart);
        // A top level that is no mapping is reported, and the rest read as if the file were empty.
        YamlMapping top = found.orElseGet(() -> new YamlMapping("", fileStart, Map.of()));
        Optional<Path> dataDirectory = files.folder(top, ConfigSchema.DATA_DIRECTORY);
        Optional<BrokerConfig> broker = brokerReader.read(top.value(ConfigSchema.BROKER).orElse(null),
                top.location(), dataDirectory);
        ConnectionsReader.ReadConnections connections = connectionsReader.read(top);
        Optional<List<RouteSettings>> routes = new RouteReader(reader, files, connections.kafkaNames(),
                connections.jdbcNames()).readAll(top);
        Optional<List<Path>> camelRoutes = reader.items(top, ConfigSchema.CAMEL_ROUTES, List.of(), null,
                files::existingFile);
        // Absent is no API; present but invalid is an error, counted below.
        Optional<HttpApiSettings> httpApi = top.value(ConfigSchema.HTTP_API)
                .flatMap(node -> readHttpApi(node, top.pathOf(ConfigSchema.HTTP_API)));
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new TributaryConfig(broker.orElseThrow(), dataDirectory.orElseThrow(),
                connections.settings().orElseThrow(), routes.orElseThrow(), camelRoutes.orElseThrow(), httpApi));
    }

    /** The {@code http-api} section: where the API listens and the secrets its tokens come from. */
    private Optional<HttpApiSettings> readHttpApi(Node node, String path) {
        return reader.section(node, path, HttpApiKeys.HTTP_API, api -> {
            Optional<java.util.Map<String, Secret>> users = reader.entries(api.mapping(), HttpApiKeys.USERS,
                    (entry, entryPath) -> secrets.read(entry.value(), entryPath));
            boolean hasUsers = api.has(HttpApiKeys.USERS);
            Optional<List<Secret>> tokens = (hasUsers ? api.node(HttpApiKeys.TOKENS)
                    : reader.requiredNode(api.mapping(), HttpApiKeys.TOKENS)).map(n ->
                    reader.items(api.mapping(), HttpApiKeys.TOKENS, List.of(), hasUsers ? null : "token",
                            secrets::read)).orElse(hasUsers ? Optional.of(List.of()) : Optional.empty());
            return () -> new HttpApiSettings(api.get(HttpApiKeys.HOST), api.get(HttpApiKeys.PORT),
                    tokens.orElseThrow(), users.orElseThrow());
        });
    }
}
