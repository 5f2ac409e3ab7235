package io.tributary.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tributary.broker.AclConfig;
import io.tributary.broker.AclRule;
import io.tributary.broker.AuthConfig;
import io.tributary.broker.Authorizer;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.clients.RunningBroker;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code broker.auth.plugins}: an authenticator and an authorizer compiled and jarred by the test, then loaded. */
class AuthPluginTest {

    private static final String SOURCE = """
            package example.auth;

            import io.tributary.broker.Authenticator;
            import io.tributary.broker.ClientInfo;
            import java.nio.charset.StandardCharsets;

            /** Lets in user "token" when the password is the client id reversed. */
            public final class ReversedIdAuthenticator implements Authenticator {
                @Override
                public boolean authenticate(ClientInfo client, byte[] password) {
                    return "token".equals(client.username()) && password != null
                            && new StringBuilder(client.clientId()).reverse().toString()
                                    .equals(new String(password, StandardCharsets.UTF_8));
                }
            }
            """;

    private static final String AUTHORIZER_SOURCE = """
            package example.auth;

            import io.tributary.broker.Authorizer;
            import io.tributary.broker.ClientInfo;

            /** Keeps {@code secret/#} to the client "trusted": only it may publish there and read from there. */
            public final class SecretTopicsAuthorizer implements Authorizer {
                private static boolean allowed(ClientInfo client, String topic) {
                    return !topic.startsWith("secret/") || "trusted".equals(client.clientId());
                }

                @Override
                public boolean mayPublish(ClientInfo client, String topic) {
                    return allowed(client, topic);
                }

                @Override
                public boolean maySubscribe(ClientInfo client, String filter) {
                    return true;
                }

                @Override
                public boolean mayRead(ClientInfo client, String topic) {
                    return allowed(client, topic);
                }
            }
            """;

    /** Compiles {@link #SOURCE} against the broker's API and jars it with its service file. */
    static Path pluginJar(Path dir) throws Exception {
        return jar(dir, "reversed-id-auth.jar", Map.of("io.tributary.broker.Authenticator",
                "example.auth.ReversedIdAuthenticator"), Map.of("ReversedIdAuthenticator", SOURCE));
    }

    /** A jar with {@link #SOURCE}'s authenticator and {@link #AUTHORIZER_SOURCE}'s authorizer. */
    private static Path authenticatorAndAuthorizerJar(Path dir) throws Exception {
        return jar(dir, "secret-topics-auth.jar", Map.of(
                "io.tributary.broker.Authenticator", "example.auth.ReversedIdAuthenticator",
                "io.tributary.broker.Authorizer", "example.auth.SecretTopicsAuthorizer"), Map.of(
                "ReversedIdAuthenticator", SOURCE, "SecretTopicsAuthorizer", AUTHORIZER_SOURCE));
    }

    /**
     * Compiles {@code sources} (simple class name to source, all in package {@code example.auth}) against the
     * broker's API and jars the classes with a service file for each entry of {@code services} (interface to
     * implementation).
     */
    static Path jar(Path dir, String name, Map<String, String> services, Map<String, String> sources)
            throws Exception {
        Path work = Files.createDirectories(dir.resolve(name + ".work"));
        Path sourceDir = Files.createDirectories(work.resolve("src/example/auth"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(),
                "-cp", System.getProperty("java.class.path")));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            args.add(Files.writeString(sourceDir.resolve(source.getKey() + ".java"), source.getValue()).toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, compiler.run(null, null, null, args.toArray(new String[0])), "the plugin compiles");
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String className : sources.keySet()) {
                out.putNextEntry(new JarEntry("example/auth/" + className + ".class"));
                out.write(Files.readAllBytes(classes.resolve("example/auth/" + className + ".class")));
                out.closeEntry();
            }
            for (Map.Entry<String, String> service : services.entrySet()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + service.getKey()));
                OutputStream entry = out;
                entry.write((service.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Mqtt5ConnAckReasonCode connect(int port, String id, String user, String password) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(port).buildBlocking();
        try {
            var connect = client.connectWith();
            if (user != null) {
                connect.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth();
            }
            Mqtt5ConnAckReasonCode code = connect.send().getReasonCode();
            client.disconnect();
            return code;
        } catch (Mqtt5ConnAckException refused) {
            return refused.getMqttMessage().getReasonCode();
        }
    }

    @Test
    void thePluginsAuthenticatorDecides(@TempDir Path dir) throws Exception {
        Path jar = pluginJar(dir);
        // The plugin's classes are not on the test's class path: only the jar can provide them.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("example.auth.ReversedIdAuthenticator"));
        try (RunningBroker broker = RunningBroker.start(config -> config.auth(new AuthConfig(null, List.of(jar))))) {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connect(broker.port(), "device-42", "token", "24-ecived"));
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    connect(broker.port(), "device-42", "token", "device-42"));
            // Without credentials, and no listener allowing anonymous clients: not authorized, loopback too.
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, connect(broker.port(), "anon", null, null));
        }
    }

    @Test
    void aPluginAuthenticatorAndAPasswordFileTogetherAreAStartError(@TempDir Path dir) throws Exception {
        Path jar = pluginJar(dir);
        Path file = Files.writeString(dir.resolve("passwd"), "");
        BrokerConfig config = BrokerConfig.builder().listener(ListenerConfig.tcp("127.0.0.1", 0))
                .auth(new AuthConfig(file, List.of(jar))).build();
        Broker broker = Broker.builder().config(config).build();
        CompletionException failed = assertThrows(CompletionException.class, () -> broker.start().join());
        assertTrue(failed.getCause().getMessage().contains("example.auth.ReversedIdAuthenticator and the password "
                + "file " + file), failed.getCause().getMessage());
        broker.close();
    }

    private static Mqtt5BlockingClient connected(int port, String id) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(port).buildBlocking();
        client.connectWith().simpleAuth().username("token")
                .password(new StringBuilder(id).reverse().toString().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        return client;
    }

    private static Mqtt5PubAckReasonCode pubAckReason(Mqtt5BlockingClient client, String topic) throws Exception {
        try {
            Mqtt5PublishResult result = client.toAsync().publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {1}).send().get(5, TimeUnit.SECONDS);
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
        } catch (ExecutionException e) {
            return assertInstanceOf(Mqtt5PubAckException.class, e.getCause()).getMqttMessage().getReasonCode();
        }
    }

    @Test
    void thePluginsAuthorizerDecidesWhatClientsMayPublishAndRead(@TempDir Path dir) throws Exception {
        Path jar = authenticatorAndAuthorizerJar(dir);
        try (RunningBroker broker = RunningBroker.start(config -> config.auth(new AuthConfig(null, List.of(jar))))) {
            Mqtt5BlockingClient device = connected(broker.port(), "device-1");
            Mqtt5BlockingClient trusted = connected(broker.port(), "trusted");
            Mqtt5BlockingClient watcher = connected(broker.port(), "watcher");
            try (Mqtt5BlockingClient.Mqtt5Publishes received = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
                watcher.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();

                assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, pubAckReason(device, "secret/x"));
                // The trusted client may publish there, but the watcher may not read it: "#" brings only open/x.
                assertEquals(Mqtt5PubAckReasonCode.SUCCESS, pubAckReason(trusted, "secret/x"));
                assertEquals(Mqtt5PubAckReasonCode.SUCCESS, pubAckReason(trusted, "open/x"));

                Mqtt5Publish first = received.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertEquals("open/x", first.getTopic().toString());
                assertTrue(received.receiveNow().isEmpty());
            }
            device.disconnect();
            trusted.disconnect();
            watcher.disconnect();
        }
    }

    @Test
    void anAuthorizerGivenInCodeWinsOverThePlugins(@TempDir Path dir) throws Exception {
        Path jar = authenticatorAndAuthorizerJar(dir);
        try (RunningBroker broker = RunningBroker.start(config -> config.auth(new AuthConfig(null, List.of(jar))),
                builder -> builder.authorizer(Authorizer.ALLOW_ALL))) {
            Mqtt5BlockingClient device = connected(broker.port(), "device-1");
            assertEquals(Mqtt5PubAckReasonCode.SUCCESS, pubAckReason(device, "secret/x"));
            device.disconnect();
        }
    }

    @Test
    void aPluginAuthorizerAndAccessRulesTogetherAreAStartError(@TempDir Path dir) throws Exception {
        Path jar = authenticatorAndAuthorizerJar(dir);
        BrokerConfig config = BrokerConfig.builder().listener(ListenerConfig.tcp("127.0.0.1", 0))
                .auth(new AuthConfig(null, List.of(jar)))
                .acl(new AclConfig(null, List.of(AclRule.pattern(AclRule.Access.READWRITE, "%c/#")))).build();
        IllegalArgumentException failed = assertThrows(IllegalArgumentException.class,
                () -> Broker.builder().config(config).build());
        assertTrue(failed.getMessage().contains("plugin authorizer example.auth.SecretTopicsAuthorizer and the "
                + "access rules"), failed.getMessage());
        assertTrue(failed.getMessage().contains("keep one"), failed.getMessage());
    }

    @Test
    void aPluginJarWhoseServiceCannotBeCreatedIsAnErrorNamingTheJar(@TempDir Path dir) throws Exception {
        Path jar = jar(dir, "broken.jar", Map.of("io.tributary.broker.Authorizer", "example.auth.Missing"),
                Map.of("ReversedIdAuthenticator", SOURCE));
        BrokerConfig config = BrokerConfig.builder().listener(ListenerConfig.tcp("127.0.0.1", 0))
                .auth(new AuthConfig(null, List.of(jar))).build();
        IllegalArgumentException failed = assertThrows(IllegalArgumentException.class,
                () -> Broker.builder().config(config).build());
        assertTrue(failed.getMessage().contains(jar.toString()), failed.getMessage());
        assertTrue(failed.getMessage().contains("example.auth.Missing"), failed.getMessage());
    }
}
