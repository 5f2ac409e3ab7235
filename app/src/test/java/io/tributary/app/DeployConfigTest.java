package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.ConfigException;
import io.tributary.bridge.config.HttpApiKeys;
import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.JdbcConnectionSettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.broker.AclFile;
import io.tributary.broker.AclRule;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The docker-compose stack's configuration, {@code deploy/tributary.yaml}, loaded through the same loader as
 * {@code tributary run}, so that it cannot drift from the configuration model; and checked against
 * {@code docker-compose.yml}, so that the names it relies on (services, ports, secrets) are those the stack
 * provides.
 */
class DeployConfigTest {

    /** Tests run in the module's folder, {@code app}. */
    private static final Path PROJECT = Path.of("..");
    private static final Path DEPLOY_CONFIG = PROJECT.resolve("deploy/tributary.yaml");
    private static final Path COMPOSE_FILE = PROJECT.resolve("docker-compose.yml");

    /** The secrets the compose file hands to the tributary service and its configuration reads. */
    private static final Map<String, String> SECRETS = Map.of(
            "TRIBUTARY_API_TOKEN", "test-api-token",
            "TRIBUTARY_DB_PASSWORD", "test-db-password");

    /**
     * The password file the image's entry point writes at {@code /data/passwd}; here a file of the test's, put in
     * place by an environment override of the key.
     */
    private static final Path PASSWORD_FILE = passwordFile();

    private static final Map<String, String> STACK_ENVIRONMENT = withPasswordFile();

    private static Path passwordFile() {
        try {
            Path file = Files.createTempFile("deploy-passwd", "");
            file.toFile().deleteOnExit();
            Files.writeString(file, "admin:$7$101$c2FsdHNhbHRzYWx0$" + "A".repeat(86) + "==\n");
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> withPasswordFile() {
        Map<String, String> environment = new java.util.HashMap<>(SECRETS);
        environment.put("TRIBUTARY_BROKER_AUTH_PASSWORD_FILE", PASSWORD_FILE.toString());
        return Map.copyOf(environment);
    }

    @Test
    void deployConfigurationLoadsAndMapsOntoTheBroker() throws ConfigException {
        TributaryConfig config = ConfigSource.load(DEPLOY_CONFIG, STACK_ENVIRONMENT);

        assertEquals(Path.of("/data"), config.dataDirectory());
        assertEquals(List.of("telemetry-to-kafka", "commands-to-devices", "telemetry-to-postgres"),
                config.routes().stream().map(RouteSettings::name).toList());
    }

    @Test
    void validatePrintsOk() {
        Cli.Result result = Cli.runWithEnvironment(STACK_ENVIRONMENT, "validate", "--config", DEPLOY_CONFIG.toString());

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(DEPLOY_CONFIG + ": OK" + System.lineSeparator(), result.out());
    }

    @Test
    void listenersTakeAuthenticatedClientsFromEveryAddressOnThePortsTheImageExposes() throws ConfigException {
        TributaryConfig config = ConfigSource.load(DEPLOY_CONFIG, STACK_ENVIRONMENT);
        List<ListenerConfig> listeners = config.broker().listeners();

        assertEquals(2, listeners.size());
        assertEquals(ListenerType.TCP, listeners.get(0).transport());
        assertEquals(1883, listeners.get(0).port());
        assertEquals(ListenerType.WEBSOCKET, listeners.get(1).transport());
        assertEquals(8083, listeners.get(1).port());
        assertEquals("/mqtt", listeners.get(1).path());
        for (ListenerConfig listener : listeners) {
            assertEquals("0.0.0.0", listener.host(), listener.name());
            assertFalse(listener.allowAnonymous(), listener.name());
            assertNull(listener.tls(), listener.name());
        }
    }

    @Test
    void clientsAuthenticateWithThePasswordFileAndFollowTheAclBesideThisFile() throws Exception {
        TributaryConfig config = ConfigSource.load(DEPLOY_CONFIG, STACK_ENVIRONMENT);

        assertEquals(PASSWORD_FILE, config.broker().auth().passwordFile());
        Path acl = config.broker().acl().file();
        assertEquals(DEPLOY_CONFIG.toAbsolutePath().normalize().resolveSibling("acl.conf"),
                acl.toAbsolutePath().normalize());
        List<AclRule> rules = AclFile.read(acl);
        assertTrue(rules.stream().anyMatch(rule -> "admin".equals(rule.user())), rules.toString());
        assertTrue(rules.stream().anyMatch(rule -> HttpApiKeys.TOKENS_USER.equals(rule.user())), rules.toString());
        assertTrue(rules.stream().anyMatch(AclRule::pattern), rules.toString());

        String entryPoint = Files.readString(PROJECT.resolve("deploy/docker-entrypoint.sh"));
        assertTrue(entryPoint.contains("passwd \"$password_file\" admin"), entryPoint);
        assertTrue(entryPoint.contains("${TRIBUTARY_PASSWORD_FILE:-/data/passwd}"), entryPoint);
        assertEquals("/data/passwd", ComposeFile.read(DEPLOY_CONFIG).value("broker", "auth", "password-file"));
    }

    @Test
    void connectionsNameTheComposeServices() throws ConfigException, IOException {
        TributaryConfig config = ConfigSource.load(DEPLOY_CONFIG, STACK_ENVIRONMENT);
        Set<String> services = composeServices().keySet();

        assertEquals("kafka:9092", config.connections().kafka("main").orElseThrow().bootstrapServers());
        JdbcConnectionSettings store = config.connections().jdbc("store").orElseThrow();
        assertEquals("jdbc:postgresql://postgres:5432/tributary", store.url());
        assertEquals("tributary", store.username().orElseThrow());
        assertTrue(services.containsAll(List.of("tributary", "kafka", "postgres")), services.toString());

        Map<?, ?> postgres = (Map<?, ?>) composeServices().get("postgres");
        Map<?, ?> postgresEnvironment = (Map<?, ?>) postgres.get("environment");
        assertEquals("tributary", postgresEnvironment.get("POSTGRES_DB"));
        assertEquals("tributary", postgresEnvironment.get("POSTGRES_USER"));
    }

    @Test
    void httpApiListensOnThePublishedPort() throws ConfigException, IOException {
        HttpApiSettings api = ConfigSource.load(DEPLOY_CONFIG, STACK_ENVIRONMENT).httpApi().orElseThrow();

        assertEquals("0.0.0.0", api.host());
        assertEquals(8080, api.port());
        Map<?, ?> tributary = (Map<?, ?>) composeServices().get("tributary");
        List<String> ports = ((List<?>) tributary.get("ports")).stream().map(String::valueOf).toList();
        assertEquals(List.of("1883:1883", "8083:8083", "8080:8080"), ports);
    }

    @Test
    void everySecretComesFromAVariableThatComposeSetsAndIsReadable() throws ConfigException, IOException {
        TributaryConfig config = ConfigSource.load(DEPLOY_CONFIG, STACK_ENVIRONMENT);
        List<Secret> secrets = new ArrayList<>(config.httpApi().orElseThrow().tokens());
        config.connections().jdbc().values().forEach(jdbc -> jdbc.password().ifPresent(secrets::add));

        Set<String> variables = new TreeSet<>();
        for (Secret secret : secrets) {
            assertTrue(secret.environmentVariable() != null, secret + " should come from the environment");
            variables.add(secret.environmentVariable());
            assertFalse(secret.read(STACK_ENVIRONMENT).isEmpty(), secret.toString());
        }
        assertEquals(new TreeSet<>(SECRETS.keySet()), variables);

        Map<?, ?> tributary = (Map<?, ?>) composeServices().get("tributary");
        Map<?, ?> environment = (Map<?, ?>) tributary.get("environment");
        for (String variable : variables) {
            assertTrue(environment.containsKey(variable), "docker-compose.yml does not set " + variable);
        }
        assertTrue(environment.containsKey("TRIBUTARY_MQTT_ADMIN_PASSWORD"), "the entry point's first user");
    }

    @Test
    void composeMountsThisFileWhereTheImageReadsIt() throws IOException {
        Map<?, ?> tributary = (Map<?, ?>) composeServices().get("tributary");
        List<String> volumes = ((List<?>) tributary.get("volumes")).stream().map(String::valueOf).toList();

        assertTrue(volumes.contains("./deploy/tributary.yaml:/etc/tributary/tributary.yaml:ro"), volumes.toString());
        assertTrue(volumes.contains("./deploy/acl.conf:/etc/tributary/acl.conf:ro"), volumes.toString());
        assertTrue(volumes.stream().anyMatch(volume -> volume.endsWith(":/data")), volumes.toString());
        String dockerfile = Files.readString(PROJECT.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("CMD [\"run\", \"--config\", \"/etc/tributary/tributary.yaml\"]"), "Dockerfile CMD");
    }

    /** The {@code services} of docker-compose.yml, by name. */
    private static Map<String, Object> composeServices() throws IOException {
        return ComposeFile.read(COMPOSE_FILE).services();
    }
}
