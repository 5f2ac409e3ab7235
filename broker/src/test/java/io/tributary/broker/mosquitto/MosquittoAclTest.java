package io.tributary.broker.mosquitto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.AclConfig;
import io.tributary.broker.clients.RunningBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mosquitto_sub} and {@code mosquitto_pub} with user names against an ACL file in Mosquitto's format,
 * {@code pattern} lines with {@code %u} and {@code %c} included.
 */
class MosquittoAclTest {

    private static final String ACL = """
            # what anonymous clients may do
            topic read public/#

            user alice
            topic read #
            topic deny secret/#

            user bob
            topic readwrite #

            # every client: its own devices (by client id), its own inbox (by user name)
            pattern write devices/%c/#
            pattern read inbox/%u/#
            """;

    @TempDir
    Path folder;

    @BeforeAll
    static void requireMosquittoClients() {
        MosquittoProcess.assumeInstalled("mosquitto_pub");
        MosquittoProcess.assumeInstalled("mosquitto_sub");
    }

    private RunningBroker start() throws Exception {
        Path acl = Files.writeString(folder.resolve("mosquitto.acl"), ACL);
        return RunningBroker.start(config -> config.acl(new AclConfig(acl, List.of())));
    }

    private static List<String> user(String version, String name, String clientId) {
        return new ArrayList<>(List.of("-V", version, "-u", name, "-P", "pw", "-i", clientId));
    }

    private static String[] with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void hashReceivesOnlyReadableTopicsRetainedIncluded(String version) throws Exception {
        try (RunningBroker broker = start()) {
            List<String> bob = user(version, "bob", "bob-pub");
            MosquittoProcess.publish(broker.port(), with(bob, "-q", "1", "-r", "-t", "secret/r", "-m", "no"));
            MosquittoProcess.publish(broker.port(), with(bob, "-q", "1", "-r", "-t", "open/r", "-m", "yes"));
            try (MosquittoProcess alice = MosquittoProcess.subscribed(broker.port(),
                    with(user(version, "alice", "alice-sub"), "-q", "1", "-t", "#"))) {
                String[] retained = alice.nextMessage(5);
                assertEquals("open/r", retained[0], "the only readable retained message comes first");
                assertEquals("1", retained[2], "retained flag");
                for (String topic : List.of("secret/a", "open/a", "secret/b/c", "inbox/alice/m", "inbox/bob/m",
                        "open/end")) {
                    MosquittoProcess.publish(broker.port(), with(bob, "-q", "1", "-t", topic, "-m", topic));
                }
                List<String> topics = new ArrayList<>();
                String topic;
                do {
                    topic = alice.nextMessage(5)[0];
                    topics.add(topic);
                } while (!topic.equals("open/end"));
                assertEquals(List.of("open/a", "inbox/alice/m", "inbox/bob/m", "open/end"), topics,
                        "alice reads # but secret/#; bob's inbox too since alice's 'topic read #' covers it");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void aDeniedSubscriptionIsRefusedInItsSuback(String version) throws Exception {
        try (RunningBroker broker = start();
             MosquittoProcess anonymous = MosquittoProcess.start("mosquitto_sub", List.of("-h", "127.0.0.1",
                     "-p", Integer.toString(broker.port()), "-V", version, "-d", "-t", "secret/#", "-t", "public/#"))) {
            String subscribed = anonymous.awaitLine(line -> line.startsWith("Subscribed"), 5);
            // 128 (0x80) in MQTT 3.1.1, 135 (0x87, not authorized) in MQTT 5; the second filter is granted QoS 0.
            assertEquals("Subscribed (mid: 1): " + (version.equals("mqttv5") ? "135" : "128") + ", 0", subscribed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void aPatternGrantsTheClientsOwnDeviceTopicOnly(String version) throws Exception {
        try (RunningBroker broker = start();
             MosquittoProcess bob = MosquittoProcess.subscribed(broker.port(),
                     with(user("mqttv5", "bob", "bob-sub"), "-q", "1", "-t", "devices/#"))) {
            List<String> carol = user(version, "carol", "sensor-1");
            MosquittoProcess.publish(broker.port(), with(carol, "-q", "1", "-t", "devices/sensor-2/t", "-m", "forged"));
            MosquittoProcess.publish(broker.port(), with(carol, "-q", "1", "-t", "devices/sensor-1/t", "-m", "own"));
            String[] first = bob.nextMessage(5);
            assertEquals("devices/sensor-1/t", first[0], "the forged message was dropped, the own one delivered");
            assertEquals("own", first[4]);
            assertTrue(broker.broker().stats().droppedNotAuthorized() >= 1);
        }
    }
}
