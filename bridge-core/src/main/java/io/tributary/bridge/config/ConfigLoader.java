package io.tributary.bridge.config;

import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ClusterConfig;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads a YAML configuration file into a validated {@link TributaryConfig}, or fails with every problem
 * found, each with its file, line, column and field. Reads the top level itself and hands each section to its
 * reader.
 */
public final class ConfigLoader {

    private final Map<String, String> environment;
    /** The broker Tributary runs inside, for error messages; null for {@code tributary run}, with its own broker. */
    private final String host;
    /** Where the data directory is when the file names none, for a hosted loader; null: beside the file. */
    private final Path hostDataDirectory;

    /** A loader that reads the process environment for overrides and {@code ${...}} references. */
    public ConfigLoader() {
        this(System.getenv());
    }

    /** A loader that reads {@code environment} instead of the process environment. */
    public ConfigLoader(Map<String, String> environment) {
        this(environment, null, null);
    }

    private ConfigLoader(Map<String, String> environment, String host, Path hostDataDirectory) {
        this.environment = Map.copyOf(environment);
        this.host = host;
        this.hostDataDirectory = hostDataDirectory;
    }

    /**
     * A loader for Tributary hosted inside another broker, such as HiveMQ: it refuses the keys that belong to that
     * broker ({@code broker.*}) or cannot run inside it, and reads the {@code hivemq} section, which
     * {@code tributary run} refuses.
     *
     * @param hostName the host broker's name, as errors show it
     */
    public ConfigLoader hostedBy(String hostName) {
        return new ConfigLoader(environment, Objects.requireNonNull(hostName, "hostName"), null);
    }

    /**
     * A hosted loader like {@link #hostedBy(String)} whose {@code data-directory}, when the file names none, is
     * {@code dataDirectory}: a folder of the host's, which outlives an upgrade that replaces the file's folder.
     */
    public ConfigLoader hostedBy(String hostName, Path dataDirectory) {
        return new ConfigLoader(environment, Objects.requireNonNull(hostName, "hostName"),
                dataDirectory.toAbsolutePath());
    }

    /**
     * Loads a file for a hosted loader ({@link #hostedBy(String)}).
     *
     * @throws ConfigException naming every problem, or the file when it cannot be read
     * @throws IllegalStateException for a loader that is not hosted
     */
    public HostedConfig loadHosted(Path file) throws ConfigException {
        requireHosted();
        return readFile(file);
    }

    /** Loads YAML text for a hosted loader, as {@link #loadString(String, String)} does. */
    public HostedConfig loadHostedString(String sourceName, String yaml) throws ConfigException {
        requireHosted();
        return parse(sourceName, yaml, Path.of("").toAbsolutePath());
    }

    private void requireHosted() {
        if (host == null) {
            throw new IllegalStateException("not a hosted loader: see hostedBy");
        }
    }

    /**
     * Loads a file; relative paths in it (TLS files) are resolved against its folder.
     *
     * @throws ConfigException naming every problem, or the file when it cannot be read
     */
    public TributaryConfig load(Path file) throws ConfigException {
        return readFile(file).config();
    }

    private HostedConfig readFile(Path file) throws ConfigException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw single(source, "is a folder, not a configuration file");
        }
        try {
            return parse(source, Files.readString(file), file.toAbsolutePath().getParent());
        } catch (NoSuchFileException e) {
            throw single(source, "no such file");
        } catch (MalformedInputException e) {
            throw single(source, "is not UTF-8 text");
        } catch (IOException e) {
            throw single(source, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Loads YAML text, such as a configuration bundled as a resource; relative paths in it are resolved
     * against the working folder.
     *
     * @param sourceName how errors name the text, as they would name a file
     * @throws ConfigException naming every problem
     */
    public TributaryConfig loadString(String sourceName, String yaml) throws ConfigException {
        return parse(sourceName, yaml, Path.of("").toAbsolutePath()).config();
    }

    private HostedConfig parse(String source, String yaml, Path baseDirectory) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        EnvInterpolation interpolation = new EnvInterpolation(environment);
        Optional<HostedConfig> config = Optional.empty();
        try {
            // The overrides go into the tree before it is read, so that each reader checks them as file values.
            Node root = new EnvOverrides(environment, interpolation).apply(compose(source, yaml), errors);
            YamlNodeReader reader = new YamlNodeReader(source, errors, interpolation);
            config = read(reader, new FileValues(reader, baseDirectory), root, new SourceLocation(source, 1, 1), host,
                    hostDataDirectory);
        } catch (MarkedYamlEngineException e) {
            SourceLocation at = e.getProblemMark().or(e::getContextMark)
                    .map(YamlNodeReader::location).orElseGet(() -> SourceLocation.of(source));
            errors.add(at, "", syntaxMessage(e));
        } catch (YamlEngineException e) {
            errors.add(SourceLocation.of(source), "", "invalid YAML: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors.inFileOrder());
        }
        return config.orElseThrow(() -> new IllegalStateException("a section was invalid but reported nothing"));
    }

    /**
     * The configuration of {@code root} ({@code null} for an empty file); empty when anything is invalid. Hosted
     * ({@code host} not null), the {@code broker} and {@code http-api} sections are only refused, not read.
     */
    private static Optional<HostedConfig> read(YamlNodeReader reader, FileValues files, Node root,
                                               SourceLocation fileStart, String host, Path hostDataDirectory) {
        int errorsBefore = reader.errors().count();
        if (host == null) {
            HostedKeys.checkStandalone(root, reader);
        } else {
            HostedKeys.checkHosted(root, host, reader);
        }
        // A top level that is no mapping is reported, and the rest read as if the file were empty.
        YamlMapping top = reader.mapping(root, "", ConfigSchema.ROOT, fileStart)
                .orElseGet(() -> new YamlMapping("", fileStart, Map.of()));
        Optional<Path> dataDirectory = hostDataDirectory != null && !top.has(ConfigSchema.DATA_DIRECTORY)
                ? Optional.of(hostDataDirectory) : files.folder(top, ConfigSchema.DATA_DIRECTORY);
        Optional<BrokerConfig> broker = new BrokerReader(reader, files)
                .read(host == null ? top.value(ConfigSchema.BROKER).orElse(null) : null, top.location(), dataDirectory);
        ConnectionsReader.ReadConnections connections = new ConnectionsReader(reader, files).read(top);
        Optional<List<RouteSettings>> routes = new RouteReader(reader, files, connections.kafkaNames(),
                connections.jdbcNames(), connections.mqttNames()).readAll(top);
        Optional<List<Path>> camelRoutes = reader.items(top, ConfigSchema.CAMEL_ROUTES, List.of(), null,
                files::existingFile);
        // Absent is no API; present but invalid is an error, counted below.
        Optional<HttpApiSettings> httpApi = host != null ? Optional.empty()
                : reader.optional(top, ConfigSchema.HTTP_API, (node, path) ->
                reader.section(node, path, HttpApiKeys.HTTP_API, api -> {
                    SecretReader secrets = new SecretReader(reader, files);
                    Optional<Map<String, Secret>> users = reader.entries(api.mapping(), HttpApiKeys.USERS,
                            (entry, entryPath) -> secrets.read(entry.value(), entryPath));
                    // With named users, the anonymous-user tokens are optional.
                    boolean hasUsers = api.has(HttpApiKeys.USERS);
                    Optional<List<Secret>> tokens = (hasUsers ? api.node(HttpApiKeys.TOKENS)
                            : reader.requiredNode(api.mapping(), HttpApiKeys.TOKENS)).map(n ->
                            reader.items(api.mapping(), HttpApiKeys.TOKENS, List.of(), hasUsers ? null : "token",
                                    secrets::read)).orElse(hasUsers ? Optional.of(List.of()) : Optional.empty());
                    Optional<HttpApiSettings.Tls> tls = PemChecks.httpApiTls(reader, files, api);
                    return () -> new HttpApiSettings(api.get(HttpApiKeys.HOST), api.get(HttpApiKeys.PORT),
                            tokens.orElseThrow(), users.orElseThrow(), api.get(HttpApiKeys.ALLOW_PRIVATE_WEBHOOK_TARGETS),
                            tls.orElse(null));
                }));
        Optional<HiveMqSettings> hivemq = host == null ? Optional.of(HiveMqSettings.defaults())
                : reader.section(top.value(ConfigSchema.HIVEMQ).orElse(null), ConfigSchema.HIVEMQ.name(),
                        HiveMqKeys.HIVEMQ, top.location(),
                        values -> () -> new HiveMqSettings(values.get(HiveMqKeys.HOLD_TIMEOUT)));
        Optional<Optional<ClusterConfig>> cluster = host != null ? Optional.of(Optional.empty())
                : new ClusterReader(reader).read(top, connections, root);
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new HostedConfig(new TributaryConfig(broker.orElseThrow(), dataDirectory.orElseThrow(),
                connections.settings().orElseThrow(), routes.orElseThrow(), camelRoutes.orElseThrow(), httpApi,
                cluster.orElseThrow()),
                hivemq.orElseThrow()));
    }

    private static Node compose(String source, String yaml) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).build();
        return new Composer(settings, new NestingLimitedParser(settings, yaml)).getSingleNode().orElse(null);
    }

    private static String syntaxMessage(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        if (e.getContext() == null || e.getContext().isEmpty()) {
            return "invalid YAML: " + problem;
        }
        // SnakeYAML's context reads "while parsing a flow mapping"; its mark says where that began.
        String since = e.getContextMark()
                .filter(m -> e.getProblemMark().map(p -> p.getLine() != m.getLine()).orElse(true))
                .map(m -> " that began at line " + (m.getLine() + 1))
                .orElse("");
        return "invalid YAML: " + problem + " (" + e.getContext() + since + ")";
    }

    private static ConfigException single(String source, String message) {
        return new ConfigException(List.of(new ConfigError(SourceLocation.of(source), "", message)));
    }
}
