package io.tributary.broker.authorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.tributary.broker.AclConfig;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What HiveMQ clients, MQTT 3.1.1 and 5, see under an ACL file in Mosquitto's format: broad subscriptions
 * filtered per message (retained, queued offline and shared deliveries included), refused subscriptions,
 * publishes and wills, and a reload that changes the rules without disconnecting anyone.
 */
class AuthorizationTest {

    static final String ACL = """
            # anonymous clients
            topic read public/#

            user alice
            topic readwrite alice/#
            topic read shared/#
            topic deny shared/private/#

            user bob
            topic readwrite bob/#
            topic readwrite shared/#
            topic write other/#

            pattern readwrite devices/%c/#
            pattern read inbox/%u/#
            """;

    @TempDir
    Path folder;

    private Path aclFile;
    private RunningBroker broker;
    private final List<Mqtt5BlockingClient> v5Clients = new ArrayList<>();
    private final List<Mqtt3BlockingClient> v3Clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        aclFile = Files.writeString(folder.resolve("broker.acl"), ACL);
        broker = RunningBroker.start(config -> config.acl(new AclConfig(aclFile, List.of())));
    }

    @AfterEach
    void stop() {
        for (Mqtt5BlockingClient client : v5Clients) {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
        for (Mqtt3BlockingClient client : v3Clients) {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
        broker.close();
    }

    private Mqtt5BlockingClient v5(String clientId, String user) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(broker.port())
                .simpleAuth().username(user).password("pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        v5Clients.add(client);
        return client;
    }

    private Mqtt3BlockingClient v3(String clientId, String user) {
        Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(broker.port())
                .simpleAuth().username(user).password("pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        v3Clients.add(client);
        return client;
    }

    private static void publish(Mqtt5BlockingClient client, String topic, boolean retain) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(topic.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** The topics received until {@code last} arrives, in order. */
    private static List<String> topicsUntil(Mqtt5BlockingClient.Mqtt5Publishes publishes, String last)
            throws InterruptedException {
        List<String> topics = new ArrayList<>();
        while (true) {
            Optional<Mqtt5Publish> next = publishes.receive(5, TimeUnit.SECONDS);
            if (next.isEmpty()) {
                throw new AssertionError("no " + last + " within 5 s; got " + topics);
            }
            String topic = next.get().getTopic().toString();
            topics.add(topic);
            if (topic.equals(last)) {
                return topics;
            }
        }
    }

    @Test
    void aHashSubscriptionReceivesOnlyReadableTopicsRetainedIncluded() throws Exception {
        Mqtt5BlockingClient bob = v5("bob-1", "bob");
        bob.connect();
        publish(bob, "shared/a", true);
        publish(bob, "shared/private/x", true);
        publish(bob, "bob/x", true);

        Mqtt5BlockingClient alice = v5("alice-1", "alice");
        alice.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = alice.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5SubAck ack = alice.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
            assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_1), ack.getReasonCodes(), "# is granted");
            Mqtt5Publish retained = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertEquals("shared/a", retained.getTopic().toString(), "the only readable retained message");
            assertTrue(retained.isRetain());

            for (String topic : List.of("shared/private/y", "bob/y", "shared/b", "shared/private/z", "shared/end")) {
                publish(bob, topic, false);
            }
            assertEquals(List.of("shared/b", "shared/end"), topicsUntil(publishes, "shared/end"));
            publish(alice, "devices/alice-1/t", false);
            assertEquals(List.of("devices/alice-1/t"), topicsUntil(publishes, "devices/alice-1/t"),
                    "a %c pattern grants the client's own devices topic");
        }
    }

    @Test
    void anOfflineQueueTakesOnlyReadableTopics() throws Exception {
        Mqtt5BlockingClient alice = v5("alice-2", "alice");
        alice.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        alice.subscribeWith().topicFilter("shared/#").qos(MqttQos.AT_LEAST_ONCE).send();
        alice.disconnect();

        Mqtt5BlockingClient bob = v5("bob-2", "bob");
        bob.connect();
        publish(bob, "shared/private/queued", false);
        publish(bob, "shared/queued", false);

        Mqtt5BlockingClient again = v5("alice-2", "alice");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            assertTrue(again.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent());
            assertEquals(List.of("shared/queued"), topicsUntil(publishes, "shared/queued"),
                    "the unreadable message was never queued");
        }
    }

    @Test
    void aSharedSubscriptionDeliversToAMemberThatMayRead() throws Exception {
        Mqtt5BlockingClient alice = v5("alice-3", "alice");
        alice.connect();
        Mqtt5BlockingClient bob = v5("bob-3", "bob");
        bob.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes toAlice = alice.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes toBob = bob.publishes(MqttGlobalPublishFilter.ALL)) {
            alice.subscribeWith().topicFilter("$share/g/shared/#").qos(MqttQos.AT_LEAST_ONCE).send();
            bob.subscribeWith().topicFilter("$share/g/shared/#").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 0; i < 6; i++) {
                publish(bob, "shared/private/" + i, false);
            }
            for (int i = 0; i < 6; i++) {
                // Each message goes to one member: all six at bob means none at alice.
                assertEquals("shared/private/" + i,
                        toBob.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString());
            }
            assertTrue(toAlice.receiveNow().isEmpty());
        }
    }

    @Test
    void aFilterMatchingNoReadableTopicIsRefused() throws Exception {
        Mqtt5BlockingClient alice5 = v5("alice-4", "alice");
        alice5.connect();
        Mqtt5SubAck ack5 = subAck5(alice5, "bob/#", "alice/#", "shared/private/#", "inbox/alice/x", "inbox/bob/x");
        assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                Mqtt5SubAckReasonCode.NOT_AUTHORIZED), ack5.getReasonCodes());

        Mqtt3BlockingClient alice3 = v3("alice-5", "alice");
        alice3.connect();
        Mqtt3SubAck ack3 = subAck3(alice3, "bob/#", "alice/#");
        assertEquals(List.of(Mqtt3SubAckReturnCode.FAILURE, Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1),
                ack3.getReturnCodes());
        assertTrue(alice5.getState().isConnected() && alice3.getState().isConnected(), "refused, not disconnected");
    }

    @Test
    void aDeniedPublishGets0x87InMqtt5AndIsDroppedInMqtt311() throws Exception {
        Mqtt5BlockingClient bob = v5("bob-6", "bob");
        bob.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes toBob = bob.publishes(MqttGlobalPublishFilter.ALL)) {
            bob.subscribeWith().topicFilter("bob/#").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5BlockingClient alice5 = v5("alice-6", "alice");
            alice5.connect();
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, pubAckReason(alice5, "bob/forged", MqttQos.AT_LEAST_ONCE));
            assertEquals(Mqtt5PubRecReasonCode.NOT_AUTHORIZED, pubRecReason(alice5, "bob/forged", MqttQos.EXACTLY_ONCE));

            Mqtt3BlockingClient alice3 = v3("alice-7", "alice");
            alice3.connect();
            // MQTT 3.1.1 has no negative acknowledgement: the client sees PUBACK, nobody sees the message.
            alice3.publishWith().topic("bob/forged").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();

            publish(bob, "bob/end", false);
            assertEquals(List.of("bob/end"), topicsFrom(toBob, "bob/end"), "no forged message reached bob");
            assertEquals(3, broker.broker().stats().droppedNotAuthorized());
            assertTrue(alice5.getState().isConnected() && alice3.getState().isConnected());
            alice5.publishWith().topic("alice/ok").qos(MqttQos.AT_LEAST_ONCE).send();
        }
    }

    private static List<String> topicsFrom(Mqtt5BlockingClient.Mqtt5Publishes publishes, String last)
            throws InterruptedException {
        return topicsUntil(publishes, last);
    }

    @Test
    void aWillToADeniedTopicIsRefusedAtConnect() {
        Mqtt5BlockingClient alice5 = v5("alice-8", "alice");
        Mqtt5ConnAckException refused5 = assertInstanceOf(Mqtt5ConnAckException.class, failure(() ->
                alice5.connectWith().willPublish().topic("bob/will").payload(new byte[] {1}).applyWillPublish()
                        .send()));
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused5.getMqttMessage().getReasonCode());

        Mqtt3BlockingClient alice3 = v3("alice-9", "alice");
        Mqtt3ConnAckException refused3 = assertInstanceOf(Mqtt3ConnAckException.class, failure(() ->
                alice3.connectWith().willPublish().topic("bob/will").payload(new byte[] {1}).applyWillPublish()
                        .send()));
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, refused3.getMqttMessage().getReturnCode());

        Mqtt5BlockingClient allowed = v5("alice-10", "alice");
        allowed.connectWith().willPublish().topic("alice/will").payload(new byte[] {1}).applyWillPublish().send();
        assertTrue(allowed.getState().isConnected());
    }

    @Test
    void aReloadChangesWhatConnectedClientsMayReadWithoutDisconnectingThem() throws Exception {
        Mqtt5BlockingClient bob = v5("bob-11", "bob");
        bob.connect();
        Mqtt5BlockingClient alice = v5("alice-11", "alice");
        alice.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes toAlice = alice.publishes(MqttGlobalPublishFilter.ALL)) {
            alice.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
            publish(bob, "other/before", false);
            publish(bob, "shared/mark", false);
            assertEquals(List.of("shared/mark"), topicsUntil(toAlice, "shared/mark"));

            // A bad file at reload keeps the rules in force.
            Files.writeString(aclFile, ACL + "\ntopik read other/#\n");
            Files.writeString(aclFile, ACL.replace("topic deny shared/private/#",
                    "topic deny shared/private/#\ntopic read other/#"));
            Await.until(Duration.ofSeconds(10), "alice reads other/# after the reload", () -> {
                publish(bob, "other/after", false);
                try {
                    return toAlice.receive(200, TimeUnit.MILLISECONDS)
                            .map(p -> p.getTopic().toString().equals("other/after")).orElse(false);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(alice.getState().isConnected() && bob.getState().isConnected(), "nobody was disconnected");
        }
    }

    @Test
    void aBadFileAtReloadKeepsTheRulesInForce() throws Exception {
        Mqtt5BlockingClient alice = v5("alice-12", "alice");
        alice.connect();
        Files.writeString(aclFile, "user alice\ntopic readwrite #\ntopik oops\n");
        // Give the poller time for two checks: nothing observable changes, which is the point.
        Thread.sleep(2500);
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, pubAckReason(alice, "bob/x", MqttQos.AT_LEAST_ONCE));
        assertTrue(alice.getState().isConnected());
    }

    private static Mqtt5SubAck subAck5(Mqtt5BlockingClient client, String... filters) throws Exception {
        List<Mqtt5Subscription> subscriptions = new ArrayList<>();
        for (String filter : filters) {
            subscriptions.add(Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build());
        }
        try {
            return client.toAsync().subscribe(Mqtt5Subscribe.builder().addSubscriptions(subscriptions).build())
                    .get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(Mqtt5SubAckException.class, e.getCause()).getMqttMessage();
        }
    }

    private static Mqtt3SubAck subAck3(Mqtt3BlockingClient client, String... filters) throws Exception {
        List<Mqtt3Subscription> subscriptions = new ArrayList<>();
        for (String filter : filters) {
            subscriptions.add(Mqtt3Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build());
        }
        try {
            return client.toAsync().subscribe(Mqtt3Subscribe.builder().addSubscriptions(subscriptions).build())
                    .get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(Mqtt3SubAckException.class, e.getCause()).getMqttMessage();
        }
    }

    private static Mqtt5PubAckReasonCode pubAckReason(Mqtt5BlockingClient client, String topic, MqttQos qos)
            throws Exception {
        try {
            Mqtt5PublishResult result = client.toAsync().publishWith().topic(topic).qos(qos)
                    .payload(new byte[] {1}).send().get(5, TimeUnit.SECONDS);
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
        } catch (ExecutionException e) {
            return assertInstanceOf(Mqtt5PubAckException.class, e.getCause()).getMqttMessage().getReasonCode();
        }
    }

    private static Mqtt5PubRecReasonCode pubRecReason(Mqtt5BlockingClient client, String topic, MqttQos qos)
            throws Exception {
        try {
            Mqtt5PublishResult result = client.toAsync().publishWith().topic(topic).qos(qos)
                    .payload(new byte[] {1}).send().get(5, TimeUnit.SECONDS);
            return ((Mqtt5PublishResult.Mqtt5Qos2Result) result).getPubRec().getReasonCode();
        } catch (ExecutionException e) {
            return assertInstanceOf(Mqtt5PubRecException.class, e.getCause()).getMqttMessage().getReasonCode();
        }
    }

    private static Throwable failure(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
