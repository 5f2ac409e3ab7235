package io.tributary.broker.pubsub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Topic filters with '+' and '#', '$' topics and invalid filters, through a running broker (section 4.7). */
class WildcardSubscriptionTest {
    private static final List<String> TOPICS = List.of(
            "a", "b", "a/b", "a/b/c", "a/", "a//b", "/x", "x/", "/", "$SYS/info", "$SYS", "$other/x");

    @Test
    void eachFilterReceivesExactlyTheTopicsItMatches() throws Exception {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        // '#' matches every topic not starting with '$' [MQTT-4.7.2-1], the parent level included [MQTT-4.7.1-2].
        expected.put("#", set("a", "b", "a/b", "a/b/c", "a/", "a//b", "/x", "x/", "/"));
        // '+' matches exactly one level, which may be empty [MQTT-4.7.1-3].
        expected.put("+", set("a", "b"));
        expected.put("a/#", set("a", "a/b", "a/b/c", "a/", "a//b"));
        expected.put("a/+", set("a/b", "a/"));
        expected.put("+/+", set("a/b", "a/", "/x", "x/", "/"));
        expected.put("/+", set("/x", "/"));
        expected.put("+/#", set("a", "b", "a/b", "a/b/c", "a/", "a//b", "/x", "x/", "/"));
        expected.put("a/+/c", set("a/b/c"));
        expected.put("a/+/b", set("a//b"));
        expected.put("a//b", set("a//b"));
        expected.put("+/info", set());
        // A filter starting with '$' matches '$' topics [MQTT-4.7.2-1].
        expected.put("$SYS/#", set("$SYS/info", "$SYS"));
        expected.put("$SYS/+", set("$SYS/info"));
        expected.put("+/x", set("/x"));

        try (RunningBroker broker = RunningBroker.start()) {
            List<RawMqttClient> clients = new ArrayList<>();
            try {
                int n = 0;
                for (String filter : expected.keySet()) {
                    RawMqttClient client = Raw.v5(broker, "w" + n++, true, null);
                    clients.add(client);
                    Raw.subscribeOk(client, 1, filter, 0);
                    Raw.subscribeOk(client, 2, "end/marker", 0);
                }
                for (String topic : TOPICS) {
                    broker.broker().publish(Message.of(topic, topic, QoS.AT_MOST_ONCE, false)).join();
                }
                // Messages from one publisher reach each subscriber in order [MQTT-4.6.0-6]: the marker comes last.
                broker.broker().publish(Message.of("end/marker", "end/marker", QoS.AT_MOST_ONCE, false)).join();
                int i = 0;
                for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
                    RawMqttClient client = clients.get(i++);
                    Set<String> got = new TreeSet<>();
                    Raw.Received r;
                    while (!(r = Raw.expectPublish(client)).topic().equals("end/marker")) {
                        assertEquals(r.topic(), r.text());
                        got.add(r.topic());
                    }
                    assertEquals(new TreeSet<>(e.getValue()), got, "topics received by filter '" + e.getKey() + "'");
                }
            } finally {
                for (RawMqttClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void mqtt311InvalidFiltersAreRefusedWith0x80WhileValidOnesAreGranted() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v3(broker, "bad3", true)) {
            // '#' must be last and alone in its level [MQTT-4.7.1-2]; '+' must occupy a whole level [MQTT-4.7.1-3].
            int[] codes = Raw.subscribe(sub, 1, 0, Raw.Sub.of("ok/1", 1), Raw.Sub.of("a/#/b", 1), Raw.Sub.of("a+", 2),
                    Raw.Sub.of("#x", 0), Raw.Sub.of("ok/2", 2));
            // One return code per filter, in order; 0x80 is failure [MQTT-3.8.4-5 (3.1.1), 3.9.3].
            assertArrayEquals(new int[] {1, 0x80, 0x80, 0x80, 2}, codes);
            broker.broker().publish(Message.of("ok/2", "fine", QoS.EXACTLY_ONCE, false)).join();
            assertEquals("fine", Raw.expectPublish(sub).text());
        }
    }

    @Test
    void mqtt5InvalidFiltersAreRefusedWith0x8FWhileValidOnesAreGranted() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient sub = Raw.v5(broker, "bad5", true, null)) {
            int[] codes = Raw.subscribe(sub, 1, 0, Raw.Sub.of("ok/0", 0), Raw.Sub.of("a/#/b", 1), Raw.Sub.of("a+", 2),
                    Raw.Sub.of("#x", 0), Raw.Sub.of("x/+y", 1), Raw.Sub.of("ok/1", 1));
            // 0x8F Topic Filter invalid (section 3.9.3); the others are granted at the requested QoS.
            assertArrayEquals(new int[] {0, 0x8F, 0x8F, 0x8F, 0x8F, 1}, codes);
            broker.broker().publish(Message.of("ok/1", "fine", QoS.AT_LEAST_ONCE, false)).join();
            Raw.Received got = Raw.expectPublish(sub);
            assertEquals("ok/1", got.topic());
            assertEquals(1, got.qos());
        }
    }

    @Test
    void grantedQosEqualsRequestedQos() throws Exception {
        try (RunningBroker broker = RunningBroker.start();
             RawMqttClient v3 = Raw.v3(broker, "g3", true);
             RawMqttClient v5 = Raw.v5(broker, "g5", true, null)) {
            int[] expected = {0, 1, 2};
            assertArrayEquals(expected, Raw.subscribe(v3, 1, 0, Raw.Sub.of("g/0", 0), Raw.Sub.of("g/1", 1),
                    Raw.Sub.of("g/2", 2)));
            assertArrayEquals(expected, Raw.subscribe(v5, 1, 0, Raw.Sub.of("g/0", 0), Raw.Sub.of("g/1", 1),
                    Raw.Sub.of("g/2", 2)));
        }
    }

    private static Set<String> set(String... topics) {
        return new TreeSet<>(List.of(topics));
    }
}
