package io.tributary.broker.mosquitto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.AuthConfig;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mosquitto_pub -u/-P} against a broker with a password file written by {@code mosquitto_passwd}. */
class MosquittoAuthTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @BeforeAll
    static void requireMosquittoTools() {
        MosquittoProcess.assumeInstalled("mosquitto_pub");
        MosquittoProcess.assumeInstalled("mosquitto_passwd");
    }

    private static MosquittoTools.Result pub(RunningBroker broker, String version, String... credentials)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                Integer.toString(broker.port()), "-V", version, "-t", "auth/test", "-m", "hello"));
        command.addAll(List.of(credentials));
        return MosquittoTools.run(TIMEOUT, command);
    }

    private static void assertOutputSays(MosquittoTools.Result result, String words) {
        assertTrue(result.output().toLowerCase(Locale.ROOT).contains(words), result.output());
    }

    @Test
    void mosquittoPubWithRightAndWrongPasswords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passwd");
        MosquittoTools.Result made = MosquittoTools.run(TIMEOUT,
                List.of("mosquitto_passwd", "-b", "-c", file.toString(), "sensor", "pa55 word"));
        assertEquals(0, made.exitCode(), made.output());
        try (RunningBroker broker = RunningBroker.start(config -> config.auth(new AuthConfig(file, List.of())))) {
            for (String version : List.of("mqttv311", "mqttv5")) {
                MosquittoTools.Result ok = pub(broker, version, "-u", "sensor", "-P", "pa55 word");
                assertEquals(0, ok.exitCode(), version + ": " + ok.output());
            }
            // mosquitto_pub exits with the CONNACK code and prints its meaning.
            MosquittoTools.Result wrong3 = pub(broker, "mqttv311", "-u", "sensor", "-P", "wrong");
            assertEquals(4, wrong3.exitCode(), wrong3.output());
            assertOutputSays(wrong3, "bad user name or password");
            MosquittoTools.Result wrong5 = pub(broker, "mqttv5", "-u", "sensor", "-P", "wrong");
            assertEquals(0x86, wrong5.exitCode(), wrong5.output());
            assertOutputSays(wrong5, "bad user name or password");

            MosquittoTools.Result anonymous3 = pub(broker, "mqttv311");
            assertEquals(5, anonymous3.exitCode(), anonymous3.output());
            assertOutputSays(anonymous3, "not authori");
            MosquittoTools.Result anonymous5 = pub(broker, "mqttv5");
            assertEquals(0x87, anonymous5.exitCode(), anonymous5.output());
            assertOutputSays(anonymous5, "not authori");
        }
    }

    @Test
    void mosquittoSubWithCredentialsReceivesFromMosquittoPubWithCredentials(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passwd");
        for (String[] user : new String[][] {{"-c", "reader", "r-pass"}, {"", "writer", "w-pass"}}) {
            List<String> command = new ArrayList<>(List.of("mosquitto_passwd", "-b"));
            if (!user[0].isEmpty()) {
                command.add(user[0]);
            }
            command.addAll(List.of(file.toString(), user[1], user[2]));
            MosquittoTools.Result made = MosquittoTools.run(TIMEOUT, command);
            assertEquals(0, made.exitCode(), made.output());
        }
        try (RunningBroker broker = RunningBroker.start(config -> config.auth(new AuthConfig(file, List.of())));
             MosquittoProcess sub = MosquittoProcess.subscribed(broker.port(), "-V", "mqttv5", "-u", "reader",
                     "-P", "r-pass", "-t", "auth/#", "-q", "1", "-C", "1")) {
            MosquittoProcess.publish(broker.port(), "-V", "mqttv311", "-u", "writer", "-P", "w-pass",
                    "-t", "auth/in", "-q", "1", "-m", "from writer");
            String[] message = sub.nextMessage(10);
            assertEquals("auth/in", message[0]);
            assertEquals("from writer", message[4]);
            sub.assertExitsZeroWithin(10);
        }
    }
}
