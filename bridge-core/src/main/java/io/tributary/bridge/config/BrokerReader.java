package io.tributary.bridge.config;

import static io.tributary.bridge.config.BrokerKeys.BROKER;
import static io.tributary.bridge.config.BrokerKeys.LISTENER;
import static io.tributary.bridge.config.BrokerKeys.LISTENERS;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_ALLOW_ANONYMOUS;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_HOST;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_NAME;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_PATH;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_PORT;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_TLS;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_TYPE;

import io.tributary.broker.AclConfig;
import io.tributary.broker.AclFile;
import io.tributary.broker.AclRule;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the {@code broker} section into the broker's own {@link BrokerConfig}: every key holding one value by its
 * declaration, then each listener with its TLS files, then the listeners that cannot all be bound or told apart:
 * the same port on the same host (a wildcard address shares its port with every host), or the same name.
 */
final class BrokerReader {

    /** A listener read without error, with the mapping it came from for later errors' locations. */
    private record ReadListener(ListenerConfig settings, YamlMapping mapping) {
    }
    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

    private final YamlNodeReader reader;
    private final FileValues files;

    /** @param files resolves relative TLS file paths against the configuration file's folder */
    BrokerReader(YamlNodeReader reader, FileValues files) {
        this.reader = reader;
        this.files = files;
    }

    /**
     * The broker's configuration of {@code node} ({@code null} when the file has no {@code broker} key); empty
     * when anything is invalid, each problem reported.
     *
     * @param dataDirectory where, with {@code persistence} on, the broker keeps its state, in
     *     {@link TributaryConfig#BROKER_STATE_FOLDER};
     *     empty when it is invalid (reported)
     */
    Optional<BrokerConfig> read(Node node, SourceLocation whereAbsent, Optional<Path> dataDirectory) {
        return reader.section(node, ConfigSchema.BROKER.name(), BROKER, whereAbsent, broker -> {
            Optional<List<ListenerConfig>> listeners = readListeners(broker.mapping());
            Optional<AclConfig> acl = broker.node(BrokerKeys.AUTH_KEY)
                    .map(auth -> readAuth(auth, broker.pathOf(BrokerKeys.AUTH_KEY)))
                    .orElse(Optional.of(AclConfig.NONE));
            return () -> {
                BrokerConfig.Builder config = BrokerConfig.builder()
                        .maxPacketSize(broker.get(BrokerKeys.MAX_PACKET_SIZE))
                        .maxConnections(broker.get(BrokerKeys.MAX_CONNECTIONS))
                        .maxInFlight(broker.get(BrokerKeys.MAX_INFLIGHT))
                        .maxQueuedMessages(broker.get(BrokerKeys.MAX_QUEUED_MESSAGES))
                        .queueFullPolicy(broker.get(BrokerKeys.QUEUE_FULL_POLICY))
                        .maxKeepAliveSeconds(broker.get(BrokerKeys.MAX_KEEP_ALIVE))
                        .maxSessionExpirySeconds(broker.get(BrokerKeys.MAX_SESSION_EXPIRY))
                        .topicAliasMaximum(broker.get(BrokerKeys.TOPIC_ALIAS_MAXIMUM))
                        .connectTimeoutSeconds(broker.get(BrokerKeys.CONNECT_TIMEOUT))
                        .sysInterval(broker.get(BrokerKeys.SYS_INTERVAL));
                listeners.orElseThrow().forEach(config::listener);
                config.acl(acl.orElseThrow());
                if (broker.get(BrokerKeys.PERSISTENCE)) {
                    // An invalid data directory is reported, and the configuration refused, already.
                    config.persistenceDirectory(dataDirectory.map(d -> d.resolve(TributaryConfig.BROKER_STATE_FOLDER)).orElse(null));
                }
                return config.build();
            };
        });
    }

    /**
     * The listeners of the {@code broker} mapping, the broker's default one when the key is absent; empty when
     * any is invalid (each problem reported).
     */
    private Optional<List<ListenerConfig>> readListeners(YamlMapping broker) {
        List<ReadListener> valid = new ArrayList<>();
        Optional<List<ReadListener>> listeners = reader.items(broker, LISTENERS, List.of(), "listener",
                (node, path) -> readListener(node, path).map(listener -> {
                    valid.add(listener);
                    return listener;
                }));
        // Conflicts are checked among the valid listeners only, so that one bad port is one error.
        boolean noConflicts = true;
        for (int i = 0; i < valid.size(); i++) {
            for (int j = 0; j < i; j++) {
                noConflicts &= noConflict(valid.get(j), valid.get(i));
            }
        }
        boolean checked = noConflicts;
        return listeners.filter(l -> checked).map(l -> l.stream().map(ReadListener::settings).toList());
    }

    private Optional<ReadListener> readListener(Node node, String path) {
        return reader.section(node, path, LISTENER, listener -> {
            Optional<ListenerType> type = listener.optional(LISTENER_TYPE);
            Optional<Integer> port = listener.optional(LISTENER_PORT).or(() -> type.map(ListenerType::defaultPort));
            if (listener.has(LISTENER_PATH) && type.equals(Optional.of(ListenerType.TCP))) {
                listener.report(LISTENER_PATH, "path is only for websocket listeners");
            }
            Optional<ListenerConfig.Tls> tls = listener.node(LISTENER_TLS)
                    .flatMap(tlsNode -> readTls(tlsNode, listener.pathOf(LISTENER_TLS)));
            // Without a name, the listener names itself from its type and port: tcp-1883.
            return () -> new ReadListener(new ListenerConfig(listener.optional(LISTENER_NAME).orElse(null),
                    type.orElseThrow(), listener.get(LISTENER_HOST), port.orElseThrow(), listener.get(LISTENER_PATH),
                    tls.orElse(null), listener.get(LISTENER_ALLOW_ANONYMOUS)), listener.mapping());
        });
    }

    /**
     * The access rules of {@code broker.auth}. The ACL file is read now too, so that a bad line is reported with
     * the configuration's other errors; the broker reads it again when it starts and whenever it changes.
     */
    private Optional<AclConfig> readAuth(Node node, String path) {
        return reader.section(node, path, BrokerKeys.AUTH, auth -> {
            Optional<Path> file = files.existing(auth, BrokerKeys.ACL_FILE);
            file.ifPresent(aclFile -> {
                try {
                    AclFile.read(aclFile);
                } catch (AclFile.InvalidAclException e) {
                    auth.report(BrokerKeys.ACL_FILE, e.getMessage());
                }
            });
            Optional<List<AclRule>> rules = reader.items(auth.mapping(), BrokerKeys.ACL, List.of(), null,
                    this::readAclRule);
            return () -> new AclConfig(file.orElse(null), rules.orElseThrow());
        });
    }

    private Optional<AclRule> readAclRule(Node node, String path) {
        return reader.section(node, path, BrokerKeys.ACL_RULE, rule -> {
            Optional<String> user = rule.optional(BrokerKeys.ACL_USER);
            boolean pattern = rule.get(BrokerKeys.ACL_PATTERN);
            Optional<String> topic = rule.optional(BrokerKeys.ACL_TOPIC);
            if (pattern && user.isPresent()) {
                rule.report(BrokerKeys.ACL_USER, "a pattern rule is for every client: give either user or "
                        + "pattern: true, not both");
            }
            topic.map(t -> AclRule.problemWith(t, pattern)).ifPresent(problem -> rule.report(BrokerKeys.ACL_TOPIC,
                    problem));
            return () -> new AclRule(pattern ? null : user.orElse(null), pattern, rule.get(BrokerKeys.ACL_ACCESS),
                    topic.orElseThrow());
        });
    }

    private Optional<ListenerConfig.Tls> readTls(Node node, String path) {
        return reader.section(node, path, BrokerKeys.TLS, tls -> {
            Optional<Path> cert = files.existing(tls, BrokerKeys.TLS_CERT);
            Optional<Path> key = files.existing(tls, BrokerKeys.TLS_KEY);
            return () -> new ListenerConfig.Tls(cert.orElseThrow(), key.orElseThrow());
        });
    }

    /**
     * Reports {@code later} when it conflicts with {@code earlier}; true when it does not. A port conflict hides
     * the name conflict that default names would add to it.
     */
    private boolean noConflict(ReadListener earlier, ReadListener later) {
        ListenerConfig first = earlier.settings();
        ListenerConfig second = later.settings();
        YamlMapping mapping = later.mapping();
        String firstAt = earlier.mapping().path() + " (line " + earlier.mapping().location().line() + ")";
        if (second.port() != 0 && second.port() == first.port() && hostsOverlap(first.host(), second.host())) {
            String hosts = first.host().equals(second.host()) ? "" : " on " + first.host();
            reader.report(mapping.value(LISTENER_PORT).map(reader::locate).orElse(mapping.location()),
                    mapping.pathOf(LISTENER_PORT),
                    "port " + second.port() + " on " + second.host() + " is already used by " + firstAt + hosts);
            return false;
        }
        if (second.name().equals(first.name())) {
            reader.report(mapping.value(LISTENER_NAME).map(reader::locate).orElse(mapping.location()),
                    mapping.pathOf(LISTENER_NAME),
                    "name '" + second.name() + "' is already used by " + firstAt
                            + "; give each listener a unique name");
            return false;
        }
        return true;
    }

    private static boolean hostsOverlap(String a, String b) {
        return a.equalsIgnoreCase(b) || WILDCARD_HOSTS.contains(a) || WILDCARD_HOSTS.contains(b);
    }
}
