package io.tributary.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.AclConfig;
import io.tributary.broker.AclRule;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent session restored at start, under access rules: it is authorized as the user its client last
 * connected with, so what that user may read is queued for it before the client is back, and nothing else is.
 * A session from a state file that did not keep the user name takes nothing until its client connects again.
 */
class RestartUnderAclTest {
    @TempDir
    Path dir;

    private static Mqtt5BlockingClient client(RunningBroker broker, String clientId, String username) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(broker.port()).simpleAuth().username(username)
                .password("pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
    }

    private static String topicOf(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        return publishes.receive(3, TimeUnit.SECONDS).orElseThrow().getTopic().toString();
    }

    @Test
    void aCommandPublishedForAnOfflineDeviceAfterARestartIsQueuedAndDelivered() throws Exception {
        AclConfig rules = new AclConfig(null, List.of(AclRule.topic("d1", AclRule.Access.READ, "devices/d1/#")));
        try (RunningBroker first = Restarts.start(dir.resolve("state"), config -> config.acl(rules))) {
            Mqtt5BlockingClient d1 = client(first, "d1", "d1");
            d1.connectWith().sessionExpiryInterval(3600).send();
            d1.subscribeWith()
                    .addSubscription().topicFilter("devices/d1/commands").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    // Granted, as it can match devices/d1/alerts; filtered per message.
                    .addSubscription().topicFilter("devices/+/alerts").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .send();
            d1.disconnect();
            Restarts.awaitOffline(first);
        }
        try (RunningBroker second = Restarts.start(dir.resolve("state"), config -> config.acl(rules))) {
            second.broker().publish(Message.of("devices/d1/commands", "open", QoS.AT_LEAST_ONCE, false)).join();
            second.broker().publish(Message.of("devices/d2/alerts", "not for d1", QoS.AT_LEAST_ONCE, false)).join();
            second.broker().publish(Message.of("devices/d1/alerts", "hot", QoS.AT_LEAST_ONCE, false)).join();
            assertEquals(2, second.broker().stats().queued(), "what d1 may read is queued, and only that");

            Mqtt5BlockingClient d1 = client(second, "d1", "d1");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = d1.publishes(MqttGlobalPublishFilter.ALL)) {
                assertTrue(d1.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent());
                Mqtt5Publish command = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals("devices/d1/commands", command.getTopic().toString());
                assertEquals("open", Restarts.text(command));
                assertEquals(MqttQos.AT_LEAST_ONCE, command.getQos());
                assertEquals("devices/d1/alerts", topicOf(publishes));
                Optional<Mqtt5Publish> more = publishes.receive(300, TimeUnit.MILLISECONDS);
                assertTrue(more.isEmpty(), () -> "d1 got a message it may not read: " + more);
            }
            d1.disconnect();
        }
    }

    @Test
    void aSessionSavedWithoutItsUserNameTakesNothingUntilItsClientIsBack() throws Exception {
        // A state file of version 1, which did not keep user names: d1 subscribed devices/d1/commands, one queued.
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.write(state.resolve(FileStateStore.FILE_NAME),
                SnapshotFormatTest.version1File(System.currentTimeMillis()));
        AclConfig rules = new AclConfig(null, List.of(AclRule.topic("d1", AclRule.Access.READ, "devices/d1/#")));
        try (RunningBroker broker = Restarts.start(state, config -> config.acl(rules))) {
            assertEquals(1, broker.broker().stats().queued(), "what the file held is restored");
            broker.broker().publish(Message.of("devices/d1/commands", "while unknown", QoS.AT_LEAST_ONCE, false))
                    .join();
            assertEquals(1, broker.broker().stats().queued(), "a session of unknown user takes nothing");

            Mqtt5BlockingClient d1 = client(broker, "d1", "d1");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = d1.publishes(MqttGlobalPublishFilter.ALL)) {
                assertTrue(d1.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent());
                assertEquals("d1", Restarts.text(publishes.receive(3, TimeUnit.SECONDS).orElseThrow()));
                broker.broker().publish(Message.of("devices/d1/commands", "now", QoS.AT_LEAST_ONCE, false)).join();
                assertEquals("now", Restarts.text(publishes.receive(3, TimeUnit.SECONDS).orElseThrow()));
            }
            d1.disconnect();
        }
        // Saved again, now with the user name.
        try (RunningBroker again = Restarts.start(state, config -> config.acl(rules))) {
            again.broker().publish(Message.of("devices/d1/commands", "known", QoS.AT_LEAST_ONCE, false)).join();
            assertEquals(1, again.broker().stats().queued(), "the session is authorized as d1 now");
        }
    }
}
