package io.tributary.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.broker.AuthConfig;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.clients.RunningBroker;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code broker.auth.plugins}: an authenticator compiled and jarred by the test, loaded by the broker. */
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

    /** Compiles {@link #SOURCE} against the broker's API and jars it with its service file. */
    static Path pluginJar(Path dir) throws Exception {
        Path sources = Files.createDirectories(dir.resolve("src/example/auth"));
        Path source = Files.writeString(sources.resolve("ReversedIdAuthenticator.java"), SOURCE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), source.toString());
        assertEquals(0, status, "the plugin compiles");
        Path jar = dir.resolve("reversed-id-auth.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("example/auth/ReversedIdAuthenticator.class"));
            out.write(Files.readAllBytes(classes.resolve("example/auth/ReversedIdAuthenticator.class")));
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/services/io.tributary.broker.Authenticator"));
            OutputStream entry = out;
            entry.write("example.auth.ReversedIdAuthenticator\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
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
}
