package io.tributary.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.broker.AclConfig;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent session restored at start, under an ACL: its user is not known until its client connects again,
 * so it takes nothing meanwhile, and what its subscriptions match afterwards is checked as for any client.
 */
class RestartUnderAclTest {
    @TempDir
    Path dir;

    private static Mqtt5BlockingClient alice(RunningBroker broker) {
        return MqttClient.builder().useMqttVersion5().identifier("alice-keeper").serverHost("127.0.0.1")
                .serverPort(broker.port()).simpleAuth().username("alice")
                .password("pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
    }

    @Test
    void aRestoredSessionTakesNothingUntilItsClientIsBack() throws Exception {
        Path acl = Files.writeString(dir.resolve("broker.acl"), "user alice\ntopic read q/open/#\n");
        AclConfig rules = new AclConfig(acl, List.of());
        try (RunningBroker first = Restarts.start(dir.resolve("state"), config -> config.acl(rules))) {
            Mqtt5BlockingClient client = alice(first);
            client.connectWith().sessionExpiryInterval(300).send();
            client.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            Restarts.awaitOffline(first);
            first.broker().publish(Message.of("q/open/1", "kept", QoS.AT_LEAST_ONCE, false)).join();
            first.broker().publish(Message.of("q/closed/1", "never", QoS.AT_LEAST_ONCE, false)).join();
            assertEquals(1, first.broker().stats().queued(), "only the readable message was queued");
        }
        try (RunningBroker second = Restarts.start(dir.resolve("state"), config -> config.acl(rules))) {
            second.broker().publish(Message.of("q/open/2", "while unknown", QoS.AT_LEAST_ONCE, false)).join();
            assertEquals(1, second.broker().stats().queued(), "a restored session takes nothing before its client");
            Mqtt5BlockingClient client = alice(second);
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                assertTrue(client.connectWith().cleanStart(false).sessionExpiryInterval(300).send()
                        .isSessionPresent());
                assertEquals("q/open/1", publishes.receive(3, TimeUnit.SECONDS).orElseThrow().getTopic().toString());
                second.broker().publish(Message.of("q/closed/2", "never", QoS.AT_LEAST_ONCE, false)).join();
                second.broker().publish(Message.of("q/open/3", "now", QoS.AT_LEAST_ONCE, false)).join();
                assertEquals("q/open/3", publishes.receive(3, TimeUnit.SECONDS).orElseThrow().getTopic().toString());
            }
            client.disconnect();
        }
    }
}
