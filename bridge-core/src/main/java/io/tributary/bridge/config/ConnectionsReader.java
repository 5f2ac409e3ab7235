package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionKeys.BATCH_SIZE;
import static io.tributary.bridge.config.ConnectionKeys.BOOTSTRAP_SERVERS;
import static io.tributary.bridge.config.ConnectionKeys.COMPRESSION;
import static io.tributary.bridge.config.ConnectionKeys.EMBEDDED;
import static io.tributary.bridge.config.ConnectionKeys.JDBC_EMBEDDED;
import static io.tributary.bridge.config.ConnectionKeys.KEEP_ALIVE;
import static io.tributary.bridge.config.ConnectionKeys.LINGER;
import static io.tributary.bridge.config.ConnectionKeys.MAX_IN_FLIGHT;
import static io.tributary.bridge.config.ConnectionKeys.MAX_SESSION_EXPIRY;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_CLIENT_ID;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_MAX_IN_FLIGHT;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_PASSWORD;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_TLS;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_TLS_CA;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_TLS_CERT;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_TLS_KEY;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_TLS_VERIFY_HOSTNAME;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_URL;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_USERNAME;
import static io.tributary.bridge.config.ConnectionKeys.MQTT_VERSION;
import static io.tributary.bridge.config.ConnectionKeys.PASSWORD;
import static io.tributary.bridge.config.ConnectionKeys.PORT;
import static io.tributary.bridge.config.ConnectionKeys.POOL_SIZE;
import static io.tributary.bridge.config.ConnectionKeys.PROPERTIES;
import static io.tributary.bridge.config.ConnectionKeys.SESSION_EXPIRY;
import static io.tributary.bridge.config.ConnectionKeys.URL;
import static io.tributary.bridge.config.ConnectionKeys.USERNAME;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the {@code connections} section: each named Kafka connection (external through bootstrap servers, or
 * embedded) and SQL database (reached by a JDBC URL, or an embedded H2 database), written as a mapping or as
 * {@code embedded}, then that at most one Kafka connection is embedded; and each external MQTT broker.
 */
final class ConnectionsReader {

    /**
     * The connections, empty when any is invalid, and the names declared for each kind, valid or not: routes
     * are checked against these, so that a broken connection is one error, not one more per route using it.
     */
    record ReadConnections(Optional<ConnectionSettings> settings, Set<String> kafkaNames, Set<String> jdbcNames,
                           Set<String> mqttNames) {
    }

    /** The client property that {@code bootstrap-servers} sets, so that it is not given twice. */
    private static final String BOOTSTRAP_PROPERTY = "bootstrap.servers";

    private final YamlNodeReader reader;
    private final FileValues files;
    private final SecretReader secrets;

    /** @param files resolves the files of secrets against the configuration file's folder */
    ConnectionsReader(YamlNodeReader reader, FileValues files) {
        this.reader = reader;
        this.files = files;
        this.secrets = new SecretReader(reader, files);
    }

    /** The {@code connections} of the top-level mapping; none when the key is absent. */
    ReadConnections read(YamlMapping top) {
        Optional<Node> node = top.value(ConfigSchema.CONNECTIONS);
        if (node.isEmpty()) {
            return new ReadConnections(Optional.of(ConnectionSettings.none()), Set.of(), Set.of(), Set.of());
        }
        Optional<YamlMapping> connections = reader.mapping(node.get(), top.pathOf(ConfigSchema.CONNECTIONS),
                ConnectionKeys.CONNECTIONS, reader.locate(node.get()));
        if (connections.isEmpty()) {
            return new ReadConnections(Optional.empty(), Set.of(), Set.of(), Set.of());
        }
        List<String> embeddedAt = new ArrayList<>();
        Set<String> kafkaNames = new LinkedHashSet<>();
        Set<String> jdbcNames = new LinkedHashSet<>();
        Optional<Map<String, KafkaConnectionSettings>> kafka = named(connections.get(), ConnectionKeys.KAFKA,
                kafkaNames, (entry, path) -> readKafka(entry, path)
                        .filter(c -> !c.embedded() || firstEmbedded(embeddedAt, entry.value(), path)));
        Optional<Map<String, JdbcConnectionSettings>> jdbc = named(connections.get(), ConnectionKeys.JDBC,
                jdbcNames, this::readJdbc);
        Set<String> mqttNames = new LinkedHashSet<>();
        Optional<Map<String, MqttConnectionSettings>> mqtt = named(connections.get(), ConnectionKeys.MQTT,
                mqttNames, this::readMqtt);
        return new ReadConnections(kafka.flatMap(k -> jdbc.flatMap(j -> mqtt.map(m -> new ConnectionSettings(k, j, m)))),
                kafkaNames, jdbcNames, mqttNames);
    }

    /**
     * The entries of {@code key}, each key a connection name, added to {@code names} when valid so that routes
     * referring to a connection with an error in it are not reported as well, and each value read by {@code read}.
     */
    private <T> Optional<Map<String, T>> named(YamlMapping connections, ConfigKey<?> key, Set<String> names,
                                               BiFunction<YamlNodeReader.Entry, String, Optional<T>> read) {
        return reader.entries(connections, key, (entry, path) -> {
            // Names are not interpolated: a route must be able to refer to them as written.
            Optional<String> name = reader.key(entry, path, ValueTypes.name());
            name.ifPresent(names::add);
            return name.flatMap(n -> read.apply(entry, path));
        });
    }

    private Optional<KafkaConnectionSettings> readKafka(YamlNodeReader.Entry entry, String path) {
        String name = entry.key();
        Node node = entry.value();
        if (YamlNodeReader.isValue(node)) {
            return shorthand(node, path, ConnectionKeys.KAFKA_CONNECTION)
                    .map(s -> KafkaConnectionSettings.embedded(name, PORT.defaultValue()));
        }
        return reader.section(node, path, ConnectionKeys.KAFKA_CONNECTION, connection -> {
            Optional<Map<String, String>> properties = readProperties(connection.mapping());
            boolean embedded = connection.optional(EMBEDDED).orElse(false);
            connection.optional(EMBEDDED).ifPresent(e -> checkKind(connection, e, BOOTSTRAP_SERVERS,
                    "for an external Kafka", "for one that Tributary runs"));
            if (!embedded && connection.has(PORT)) {
                connection.report(PORT,
                        "port is only for an embedded Kafka; an external one is reached through bootstrap-servers");
            }
            properties.ifPresent(p -> checkNotAlsoProperty(connection, p));
            return () -> new KafkaConnectionSettings(name, embedded ? null : connection.get(BOOTSTRAP_SERVERS),
                    embedded, embedded ? connection.get(PORT) : 0, properties.orElseThrow(),
                    new KafkaProducerSettings(connection.get(LINGER), connection.get(BATCH_SIZE),
                            connection.get(COMPRESSION), connection.get(MAX_IN_FLIGHT)));
        });
    }

    private Optional<JdbcConnectionSettings> readJdbc(YamlNodeReader.Entry entry, String path) {
        String name = entry.key();
        Node node = entry.value();
        if (YamlNodeReader.isValue(node)) {
            return shorthand(node, path, ConnectionKeys.JDBC_CONNECTION)
                    .map(s -> JdbcConnectionSettings.embedded(name));
        }
        return reader.section(node, path, ConnectionKeys.JDBC_CONNECTION, connection -> {
            // The PostgreSQL driver takes password= in the URL, which would put the secret in the file.
            if (connection.optional(URL).filter(u -> u.toLowerCase(Locale.ROOT).contains("password=")).isPresent()) {
                connection.report(URL, "a secret is never written in the configuration: give the password as "
                        + "password: { env: NAME } or { file: PATH }");
            }
            Optional<Secret> password = reader.optional(connection.mapping(), PASSWORD, secrets::read);
            boolean embedded = connection.optional(JDBC_EMBEDDED).orElse(false);
            connection.optional(JDBC_EMBEDDED).ifPresent(e -> checkKind(connection, e, URL,
                    "for a database Tributary connects to", "for an H2 database that it keeps"));
            // An embedded H2 database is Tributary's own file, opened without credentials.
            for (ConfigKey<?> key : List.of(USERNAME, PASSWORD)) {
                if (embedded && connection.has(key)) {
                    connection.report(key,
                            key.name() + " is only for a database reached by url; an embedded one needs none");
                }
            }
            return () -> new JdbcConnectionSettings(name, embedded ? null : connection.get(URL), embedded,
                    connection.optional(USERNAME), password, connection.get(POOL_SIZE));
        });
    }

    private Optional<MqttConnectionSettings> readMqtt(YamlNodeReader.Entry entry, String path) {
        String name = entry.key();
        return reader.section(entry.value(), path, ConnectionKeys.MQTT_CONNECTION, connection -> {
            Optional<Secret> password = reader.optional(connection.mapping(), MQTT_PASSWORD, secrets::read);
            Optional<MqttConnectionSettings.Tls> tls = connection.node(MQTT_TLS)
                    .flatMap(node -> readMqttTls(node, connection.pathOf(MQTT_TLS)));
            if (connection.has(MQTT_TLS)
                    && connection.optional(MQTT_URL).filter(url -> !url.tls()).isPresent()) {
                connection.report(MQTT_TLS, "tls is for a broker reached over TLS: write the url as ssl://host:port");
            }
            boolean mqtt3 = connection.optional(MQTT_VERSION).filter(v -> v.equals("3.1.1")).isPresent();
            if (mqtt3 && connection.has(MQTT_PASSWORD) && !connection.has(MQTT_USERNAME)) {
                connection.report(MQTT_PASSWORD, "MQTT 3.1.1 sends a password only with a user name: add username");
            }
            if (connection.optional(SESSION_EXPIRY).filter(e -> e.compareTo(MAX_SESSION_EXPIRY) > 0).isPresent()) {
                connection.report(SESSION_EXPIRY, "session-expiry is longer than MQTT 5 can carry: at most "
                        + MAX_SESSION_EXPIRY.toSeconds() + "s");
            }
            if (connection.optional(KEEP_ALIVE).filter(k -> k.toSeconds() > 65_535 || k.toMillis() % 1000 != 0)
                    .isPresent()) {
                connection.report(KEEP_ALIVE, "keep-alive is whole seconds up to 65535s");
            }
            return () -> new MqttConnectionSettings(name, connection.get(MQTT_URL),
                    connection.optional(MQTT_CLIENT_ID).orElseGet(() -> MqttConnectionSettings.defaultClientId(name)),
                    connection.optional(MQTT_USERNAME), password, connection.get(SESSION_EXPIRY),
                    connection.get(KEEP_ALIVE), connection.get(MQTT_MAX_IN_FLIGHT),
                    connection.get(ConnectionKeys.PUBLISH_TIMEOUT), connection.get(ConnectionKeys.MAX_HOPS),
                    connection.has(MQTT_TLS) ? Optional.of(tls.orElseThrow()) : Optional.empty(),
                    MqttConnectionSettings.Version.of(connection.get(MQTT_VERSION)));
        });
    }

    /** The {@code tls} of an MQTT connection: its files exist and are PEM, and a certificate comes with its key. */
    private Optional<MqttConnectionSettings.Tls> readMqttTls(Node node, String path) {
        return reader.section(node, path, ConnectionKeys.MQTT_TLS_SECTION, tls -> {
            Optional<Path> ca = files.existing(tls, MQTT_TLS_CA);
            ca.ifPresent(file -> PemChecks.certificates(tls, MQTT_TLS_CA, file));
            Optional<Path> cert = files.existing(tls, MQTT_TLS_CERT);
            Optional<Path> key = files.existing(tls, MQTT_TLS_KEY);
            if (tls.has(MQTT_TLS_CERT) && !tls.has(MQTT_TLS_KEY)) {
                tls.report(MQTT_TLS_CERT, "a client certificate needs its private key: add key, the PEM file of it");
            }
            if (tls.has(MQTT_TLS_KEY) && !tls.has(MQTT_TLS_CERT)) {
                tls.report(MQTT_TLS_KEY, "a private key needs its client certificate: add cert, the PEM file of it");
            }
            PemChecks.keyAndChain(tls, MQTT_TLS_CERT, cert, MQTT_TLS_KEY, key);
            return () -> new MqttConnectionSettings.Tls(ca, cert, key, tls.get(MQTT_TLS_VERIFY_HOSTNAME));
        });
    }

    /** The Kafka property each producer key sets, which {@code properties} may then not set as well. */
    private static final Map<ConfigKey<?>, String> PRODUCER_PROPERTIES = Map.of(LINGER, "linger.ms",
            BATCH_SIZE, "batch.size", COMPRESSION, "compression.type",
            MAX_IN_FLIGHT, "max.in.flight.requests.per.connection");

    /** A producer key and the property it stands for, both given: which one is meant is not clear. */
    private static void checkNotAlsoProperty(SectionValues connection, Map<String, String> properties) {
        PRODUCER_PROPERTIES.forEach((key, property) -> {
            if (connection.has(key) && properties.containsKey(property)) {
                connection.report(key, "expected " + key.name() + " or properties." + property + ", got both");
            }
        });
    }

    /** Exactly one of {@code external} and {@code embedded: true}, each described for the message. */
    private static void checkKind(SectionValues connection, boolean embedded, ConfigKey<?> external,
                                  String externalMeans, String embeddedMeans) {
        boolean isExternal = connection.has(external);
        if (embedded && isExternal) {
            connection.report("expected either " + external.name() + " or embedded: true, got both");
        } else if (!embedded && !isExternal) {
            connection.report("expected " + external.name() + " " + externalMeans + " or embedded: true "
                    + embeddedMeans + ", got neither");
        }
    }

    private Optional<Map<String, String>> readProperties(YamlMapping connection) {
        return reader.entries(connection, PROPERTIES, (entry, path) -> {
            if (entry.key().equals(BOOTSTRAP_PROPERTY)) {
                reader.report(entry.keyNode(), path, "give the servers as bootstrap-servers of the connection, "
                        + "not as a property");
                return Optional.empty();
            }
            Optional<String> refused = GuaranteedKafkaProperties.refusedKey(entry.key());
            if (refused.isPresent()) {
                reader.report(entry.keyNode(), path, refused.get());
                return Optional.empty();
            }
            Optional<String> value = reader.scalar(entry.value(), path, ValueTypes.text());
            Optional<String> badValue = value.flatMap(v -> GuaranteedKafkaProperties.refusedValue(entry.key(), v));
            if (badValue.isPresent()) {
                reader.report(entry.value(), path, badValue.get());
                return Optional.empty();
            }
            return value;
        });
    }

    /** Whether an embedded Kafka connection is the first; a second is reported against the first. */
    private boolean firstEmbedded(List<String> embeddedAt, Node value, String path) {
        if (!embeddedAt.isEmpty()) {
            reader.report(value, path, "only one Kafka connection can be embedded, and " + embeddedAt.get(0)
                    + " already is");
            return false;
        }
        embeddedAt.add(path + " (line " + reader.locate(value).line() + ")");
        return true;
    }

    /** {@code embedded}, short for {@code { embedded: true }}; anything else is reported. */
    private Optional<String> shorthand(Node node, String path, ConfigSection section) {
        return reader.scalar(node, path, ValueTypes.exactly(ConnectionKeys.EMBEDDED_SHORTHAND,
                Shape.expected(section) + ", or " + ConnectionKeys.EMBEDDED_SHORTHAND));
    }
}
