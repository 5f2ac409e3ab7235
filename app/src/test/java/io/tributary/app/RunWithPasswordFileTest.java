package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.bridge.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code broker.auth.password-file} (and {@code plugins}) from the configuration file to the running broker. */
class RunWithPasswordFileTest {

    @TempDir
    Path folder;

    private static Mqtt5ConnAckReasonCode connect(int port, String user, String password) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("c-" + user)
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        try {
            Mqtt5ConnAckReasonCode code = client.connectWith().simpleAuth().username(user)
                    .password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().getReasonCode();
            client.disconnect();
            return code;
        } catch (Mqtt5ConnAckException refused) {
            return refused.getMqttMessage().getReasonCode();
        }
    }

    @Test
    void aFileWrittenByTributaryPasswdLetsItsUsersIn() throws Exception {
        Path passwords = folder.resolve("passwd");
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream("s3cret\n".getBytes(StandardCharsets.UTF_8)));
        try {
            assertEquals(TributaryCommand.OK, Cli.run("passwd", passwords.toString(), "meter-1").exitCode());
        } finally {
            System.setIn(original);
        }
        RunningTributary tributary = RunningTributary.start(new ConfigLoader(Map.of()).loadString("test.yaml", """
                data-directory: "%s"
                broker:
                  listeners: [{ port: 0, name: mqtt }]
                  persistence: false
                  auth: { password-file: "%s" }
                """.formatted(folder.resolve("data"), passwords)));
        try {
            int port = tributary.boundPort("mqtt");
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, connect(port, "meter-1", "s3cret"));
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, connect(port, "meter-1", "wrong"));
        } finally {
            tributary.stop();
        }
    }

    @Test
    void aBrokenPasswordFileStopsTheStartNamingFileAndLine() throws Exception {
        Path passwords = Files.writeString(folder.resolve("passwd"), "# users\nmeter-1:$7$101$c2FsdA==$secretpart\n");
        Path config = Files.writeString(folder.resolve("tributary.yaml"), """
                broker:
                  listeners: [{ port: 0 }]
                  persistence: false
                  auth: { password-file: passwd }
                """);

        Cli.Result result = Cli.run("run", "--config", config.toString());

        assertEquals(TributaryCommand.FAILED, result.exitCode());
        assertTrue(result.err().startsWith("tributary: cannot start with " + config + ": " + passwords + ":2: "
                + "user 'meter-1': "), result.err());
        assertFalse(result.err().contains("secretpart"), result.err());
    }

    @Test
    void aBadAuthPluginJarStopsTheStartNamingTheJar() throws Exception {
        // A jar whose service file names a class it does not hold.
        Path jar = folder.resolve("broken-auth.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/io.tributary.broker.Authorizer"));
            out.write("example.auth.Missing\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Path config = Files.writeString(folder.resolve("tributary.yaml"), """
                broker:
                  listeners: [{ port: 0 }]
                  persistence: false
                  auth: { plugins: [broken-auth.jar] }
                """);

        Cli.Result result = Cli.run("run", "--config", config.toString());

        assertEquals(TributaryCommand.FAILED, result.exitCode());
        assertTrue(result.err().startsWith("tributary: cannot start with " + config + ": auth plugins [" + jar + "]"),
                result.err());
        assertTrue(result.err().contains("example.auth.Missing"), result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    }
}
