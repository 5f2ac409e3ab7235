package io.tributary.bridge.config;

import static io.tributary.bridge.config.BrokerKeys.BROKER;
import static io.tributary.bridge.config.BrokerKeys.LISTENER;
import static io.tributary.bridge.config.BrokerKeys.LISTENERS;
import static io.tributary.bridge.config.BrokerKeys.LISTENER_ALLOWED_ORIGINS;
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
import io.tributary.broker.AuthConfig;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerType;
import io.tributary.broker.SlowSubscribers;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
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
            // Absent is the default authentication and no access rules; present but invalid is reported.
            Optional<Optional<ReadAuth>> auth = broker.node(BrokerKeys.AUTH_SECTION)
                    .map(authNode -> readAuth(authNode, broker.pathOf(BrokerKeys.AUTH_SECTION)));
            return () -> {
                BrokerConfig.Builder config = BrokerConfig.builder()
                        .maxPacketSize(broker.get(BrokerKeys.MAX_PACKET_SIZE))
                        .maxConnections(broker.get(BrokerKeys.MAX_CONNECTIONS))
                        .maxInFlight(broker.get(BrokerKeys.MAX_INFLIGHT))
                        .maxQueuedMessages(broker.get(BrokerKeys.MAX_QUEUED_MESSAGES))
                        .maxQueuedBytes(broker.get(BrokerKeys.MAX_QUEUED_BYTES))
                        .maxQueuedBytesTotal(broker.get(BrokerKeys.MAX_QUEUED_BYTES_TOTAL))
                        .queueFullPolicy(broker.get(BrokerKeys.QUEUE_FULL_POLICY))
                        .slowSubscribers(new SlowSubscribers(broker.get(BrokerKeys.QOS0_WHEN_FULL),
                                broker.get(BrokerKeys.STUCK_SUBSCRIBER_TIMEOUT)))
                        .maxSessions(broker.get(BrokerKeys.MAX_SESSIONS))
                        .maxKeepAliveSeconds(broker.get(BrokerKeys.MAX_KEEP_ALIVE))
                        .maxSessionExpirySeconds(broker.get(BrokerKeys.MAX_SESSION_EXPIRY))
                        .topicAliasMaximum(broker.get(BrokerKeys.TOPIC_ALIAS_MAXIMUM))
                        .connectTimeoutSeconds(broker.get(BrokerKeys.CONNECT_TIMEOUT))
                        .connectionAdmission(new BrokerConfig.ConnectionAdmission(
                                broker.get(BrokerKeys.MAX_PENDING_CONNECTIONS),
                                broker.get(BrokerKeys.MAX_CONNECTION_RATE),
                                broker.get(BrokerKeys.CONNECTION_RATE_BURST),
                                broker.get(BrokerKeys.CONNECTION_RATE_LOOPBACK)))
                        .maxPublishRate(broker.get(BrokerKeys.MAX_PUBLISH_RATE),
                                broker.get(BrokerKeys.MAX_PUBLISH_BYTES_RATE))
                        .maxTopicLength(broker.get(BrokerKeys.MAX_TOPIC_LENGTH))
                        .maxTopicLevels(broker.get(BrokerKeys.MAX_TOPIC_LEVELS))
                        .maxSubscriptionsPerClient(broker.get(BrokerKeys.MAX_SUBSCRIPTIONS_PER_CLIENT))
                        .maxFiltersPerSubscribe(broker.get(BrokerKeys.MAX_FILTERS_PER_SUBSCRIBE))
                        .maxRetainedMessages(broker.get(BrokerKeys.MAX_RETAINED_MESSAGES))
                        .maxRetainedBytes(broker.get(BrokerKeys.MAX_RETAINED_BYTES))
                        .sysInterval(broker.get(BrokerKeys.SYS_INTERVAL));
                listeners.orElseThrow().forEach(config::listener);
                auth.ifPresent(read -> config.auth(read.orElseThrow().auth()).acl(read.orElseThrow().acl()));
                PersistenceMode persistence = broker.get(BrokerKeys.PERSISTENCE);
                if (persistence != PersistenceMode.MEMORY) {
                    // An invalid data directory is reported, and the configuration refused, already.
                    config.persistenceDirectory(dataDirectory.map(d -> d.resolve(TributaryConfig.BROKER_STATE_FOLDER)).orElse(null));
                    config.persistenceSyncInterval(persistence == PersistenceMode.INTERVAL
                            ? broker.get(BrokerKeys.PERSISTENCE_INTERVAL) : null);
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
            if (listener.has(LISTENER_ALLOWED_ORIGINS) && type.equals(Optional.of(ListenerType.TCP))) {
                listener.report(LISTENER_ALLOWED_ORIGINS, "allowed-origins is only for websocket listeners");
            }
            Optional<List<String>> origins = reader.items(listener.mapping(), LISTENER_ALLOWED_ORIGINS, List.of(), null,
                    (item, itemPath) -> reader.scalar(item, itemPath, ValueTypes.text()));
            Optional<ListenerConfig.Tls> tls = listener.node(LISTENER_TLS)
                    .flatMap(tlsNode -> readTls(tlsNode, listener.pathOf(LISTENER_TLS)));
            // Without a name, the listener names itself from its type and port: tcp-1883.
            return () -> new ReadListener(new ListenerConfig(listener.optional(LISTENER_NAME).orElse(null),
                    type.orElseThrow(), listener.get(LISTENER_HOST), port.orElseThrow(), listener.get(LISTENER_PATH),
                    tls.orElse(null), listener.get(LISTENER_ALLOW_ANONYMOUS), origins.orElseThrow()),
                    listener.mapping());
        });
    }



    /** What {@code broker.auth} says: who may connect, and what each client may do. */
    private record ReadAuth(AuthConfig auth, AclConfig acl) {
    }

    /**
     * The {@code broker.auth} section. The ACL file is read now too, so that a bad line is reported with the
     * configuration's other errors; the broker reads it again when it starts and whenever it changes.
     */
    private Optional<ReadAuth> readAuth(Node node, String path) {
        return reader.section(node, path, BrokerKeys.AUTH, auth -> {
            Optional<Path> passwordFile = files.existing(auth, BrokerKeys.AUTH_PASSWORD_FILE);
            Optional<List<Path>> plugins = reader.items(auth.mapping(), BrokerKeys.AUTH_PLUGINS, List.of(), null,
                    files::existingFile);
            Optional<Path> aclFile = files.existing(auth, BrokerKeys.ACL_FILE);
            aclFile.ifPresent(file -> {
                try {
                    AclFile.read(file);
                } catch (AclFile.InvalidAclException e) {
                    auth.report(BrokerKeys.ACL_FILE, e.getMessage());
                }
            });
            Optional<List<AclRule>> rules = reader.items(auth.mapping(), BrokerKeys.ACL, List.of(), null,
                    this::readAclRule);
            return () -> new ReadAuth(new AuthConfig(passwordFile.orElse(null), plugins.orElseThrow()),
                    new AclConfig(aclFile.orElse(null), rules.orElseThrow()));
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
            PemChecks.keyAndChain(tls, cert, key);
            Optional<Path> clientCa = files.existing(tls, BrokerKeys.TLS_CLIENT_CA);
            clientCa.ifPresent(ca -> PemChecks.certificates(tls, BrokerKeys.TLS_CLIENT_CA, ca));
            Optional<ListenerConfig.ClientAuth> clientAuth = tls.optional(BrokerKeys.TLS_CLIENT_AUTH);
            boolean hasCa = tls.has(BrokerKeys.TLS_CLIENT_CA);
            if (clientAuth.isPresent() && clientAuth.get() != ListenerConfig.ClientAuth.NONE && !hasCa) {
                tls.report(BrokerKeys.TLS_CLIENT_AUTH, "client-auth " + ValueTypes.kebab(clientAuth.get())
                        + " needs client-ca, the PEM file of the authorities that sign client certificates");
            }
            ListenerConfig.ClientAuth auth = clientAuth.orElse(
                    hasCa ? ListenerConfig.ClientAuth.REQUIRED : ListenerConfig.ClientAuth.NONE);
            boolean identity = tls.optional(BrokerKeys.TLS_IDENTITY_AS_USERNAME).orElse(false);
            if (identity && !hasCa) {
                tls.report(BrokerKeys.TLS_IDENTITY_AS_USERNAME,
                        "identity-as-username needs client-ca, the PEM file of the authorities that sign client "
                                + "certificates");
            } else if (identity && auth == ListenerConfig.ClientAuth.NONE) {
                tls.report(BrokerKeys.TLS_IDENTITY_AS_USERNAME,
                        "identity-as-username needs client-auth optional or required, not none");
            }
            Optional<List<String>> protocols = names(tls, BrokerKeys.TLS_PROTOCOLS, "TLS protocol",
                    SSLParameters::getProtocols);
            Optional<List<String>> cipherSuites = names(tls, BrokerKeys.TLS_CIPHER_SUITES, "cipher suite",
                    SSLParameters::getCipherSuites);
            return () -> new ListenerConfig.Tls(cert.orElseThrow(), key.orElseThrow(),
                    clientCa.orElse(null), auth, identity, protocols.orElseThrow(), cipherSuites.orElseThrow());
        });
    }

    /**
     * The names of a list key, each one that this JDK supports (as {@code supported} reads them from its
     * parameters); empty (each problem reported) otherwise.
     */
    private Optional<List<String>> names(SectionValues tls, ConfigKey<List<String>> key, String noun,
                                         Function<SSLParameters, String[]> supported) {
        if (!tls.has(key)) {
            return Optional.of(List.of()); // the default, without setting up the JDK's TLS to find out
        }
        List<String> known = List.of(supported.apply(supportedParameters()));
        return reader.items(tls.mapping(), key, List.of(), noun, (item, itemPath) -> {
            Optional<String> name = reader.scalar(item, itemPath, ValueTypes.text());
            if (name.isPresent() && !known.contains(name.get())) {
                String hint = Suggestions.closest(name.get(), known).map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                reader.report(item, itemPath, "unknown " + noun + " '" + name.get() + "'" + hint
                        + "; this JDK supports: " + String.join(", ", known));
                return Optional.empty();
            }
            return name;
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

    /** The protocols and cipher suites this JDK can offer. */
    private static SSLParameters supportedParameters() {
        try {
            return SSLContext.getDefault().getSupportedSSLParameters();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no TLS", e);
        }
    }

    private static boolean hostsOverlap(String a, String b) {
        return a.equalsIgnoreCase(b) || WILDCARD_HOSTS.contains(a) || WILDCARD_HOSTS.contains(b);
    }
}
