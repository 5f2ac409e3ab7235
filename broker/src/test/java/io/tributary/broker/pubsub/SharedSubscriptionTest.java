package io.tributary.broker.pubsub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testsupport.await.Await;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.Hive;
import io.tributary.broker.clients.RunningBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Shared subscriptions {@code $share/{group}/{filter}} (MQTT 5 section 4.8.2). */
class SharedSubscriptionTest {

    /** A connected HiveMQ MQTT 5 client that counts what it receives. */
    private record Member(Mqtt5BlockingClient client, AtomicInteger received) {
        static Member subscribe(RunningBroker broker, String clientId, String filter) {
            Mqtt5BlockingClient client = Hive.v5(broker, clientId);
            AtomicInteger count = new AtomicInteger();
            client.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> count.incrementAndGet());
            client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
            return new Member(client, count);
        }

        int count() {
            return received.get();
        }
    }

    private static void publish(RunningBroker broker, int count) {
        Mqtt5BlockingClient pub = Hive.v5(broker, "publisher");
        try {
            for (int i = 0; i < count; i++) {
                pub.publishWith().topic("sh/t").qos(MqttQos.AT_LEAST_ONCE).payload(Raw.bytes("m" + i)).send();
            }
        } finally {
            pub.disconnect();
        }
    }

    private static int sum(List<Member> members) {
        return members.stream().mapToInt(Member::count).sum();
    }

    private static void disconnectAll(List<Member> members) {
        for (Member m : members) {
            m.client().disconnect();
        }
    }

    @Test
    void eachMessageGoesToExactlyOneMemberOfTheGroup() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            List<Member> group = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    group.add(Member.subscribe(broker, "member" + i, "$share/g/sh/#"));
                }
                publish(broker, 300);
                Await.until(Duration.ofSeconds(4), "300 messages received",
                        () -> sum(group), received -> received >= 300);
                Thread.sleep(Raw.QUIET.toMillis());
                // Each message is sent to only one of the Sessions attached to the shared subscription (4.8.2).
                assertEquals(300, sum(group));
                for (Member m : group) {
                    assertTrue(m.count() > 0, "every member gets some: " + group.stream().map(Member::count).toList());
                }
            } finally {
                disconnectAll(group);
            }
        }
    }

    @Test
    void twoGroupsEachGetEveryMessageAndANormalSubscriberToo() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            List<Member> g1 = new ArrayList<>();
            List<Member> g2 = new ArrayList<>();
            List<Member> plain = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    g1.add(Member.subscribe(broker, "g1-" + i, "$share/one/sh/t"));
                    g2.add(Member.subscribe(broker, "g2-" + i, "$share/two/sh/+"));
                }
                plain.add(Member.subscribe(broker, "plain", "sh/t"));
                publish(broker, 100);
                Await.until(Duration.ofSeconds(4), "100 messages for each group and the plain subscriber",
                        () -> sum(g1) >= 100 && sum(g2) >= 100 && sum(plain) >= 100);
                Thread.sleep(Raw.QUIET.toMillis());
                assertEquals(100, sum(g1), "group one");
                assertEquals(100, sum(g2), "group two");
                assertEquals(100, sum(plain), "the non-shared subscriber");
            } finally {
                disconnectAll(g1);
                disconnectAll(g2);
                disconnectAll(plain);
            }
        }
    }

    @Test
    void sharedSubscriptionGetsNoRetainedMessagesOnSubscribe() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient shared = Raw.v5(broker, "shared", true, null);
             RawMqttClient plain = Raw.v5(broker, "plain", true, null)) {
            broker.broker().publish(Message.of("shr/t", "kept", QoS.AT_LEAST_ONCE, true)).join();
            Raw.subscribeOk(shared, 1, "$share/g/shr/#", 1);
            Raw.subscribeOk(plain, 1, "shr/#", 1);
            // Retained messages are not sent to a session when it subscribes to a shared subscription (4.8.2).
            Raw.expectNothing(shared);
            assertEquals("kept", Raw.expectPublish(plain).text());
            broker.broker().publish(Message.of("shr/t", "live", QoS.AT_MOST_ONCE, false)).join();
            assertEquals("live", Raw.expectPublish(shared).text(), "live messages do reach the group");
        }
    }

    @Test
    void connackSaysSharedSubscriptionsAreAvailableAndInvalidShareFiltersAreRefused() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient client = new RawMqttClient(broker.port())) {
            MqttConnAckMessage ack = Raw.connect5(client, "shares", null);
            var available = ack.variableHeader().properties()
                    .getProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value());
            assertTrue(available == null || (Integer) available.value() == 1, "absent means available");
            // A share name has at least one character and no '+' or '#' [MQTT-4.8.2-1, MQTT-4.8.2-2],
            // and is followed by '/' and a topic filter.
            int[] codes = Raw.subscribe(client, 1, 0, Raw.Sub.of("$share/ok/a/#", 1), Raw.Sub.of("$share/g+/a", 1),
                    Raw.Sub.of("$share//a", 1), Raw.Sub.of("$share/g", 1), Raw.Sub.of("$share/g/a/#/b", 1));
            assertArrayEquals(new int[] {1, 0x8F, 0x8F, 0x8F, 0x8F}, codes);
        }
    }

    @Test
    void aMemberThatUnsubscribesGetsNoMoreOfTheGroupsMessages() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient leaving = Raw.v5(broker, "leaving", true, null);
             RawMqttClient staying = Raw.v5(broker, "staying", true, null)) {
            Raw.subscribeOk(leaving, 1, "$share/g/u", 0);
            Raw.subscribeOk(staying, 1, "$share/g/u", 0);
            Raw.unsubscribe(leaving, 2, "$share/g/u");
            for (int i = 0; i < 4; i++) {
                broker.broker().publish(Message.of("u", "m" + i, QoS.AT_MOST_ONCE, false)).join();
            }
            for (int i = 0; i < 4; i++) {
                assertEquals("m" + i, Raw.expectPublish(staying).text());
            }
            Raw.expectNothing(leaving);
        }
    }
}
