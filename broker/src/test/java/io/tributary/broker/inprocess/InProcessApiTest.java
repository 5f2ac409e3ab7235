package io.tributary.broker.inprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.PublishRejectedException;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import io.tributary.broker.testsupport.Packets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** The in-process API: broker.publish, broker.subscribe with held acknowledgements, and interceptors. */
class InProcessApiTest {
    private static final Duration SILENCE = Duration.ofMillis(300);

    @Test
    void inProcessPublishReachesMqtt5AndMqtt311Clients() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient hivemq = MqttClient.builder().useMqttVersion5().identifier("hivemq")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            hivemq.connect();
            org.eclipse.paho.client.mqttv3.MqttClient paho = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:" + broker.port(), "paho", new MemoryPersistence());
            paho.connect();
            BlockingQueue<org.eclipse.paho.client.mqttv3.MqttMessage> atPaho = new LinkedBlockingQueue<>();
            paho.subscribe("inproc/#", 1, (topic, m) -> atPaho.add(m));
            try (Mqtt5BlockingClient.Mqtt5Publishes atHivemq = hivemq.publishes(MqttGlobalPublishFilter.ALL)) {
                hivemq.subscribeWith().topicFilter("inproc/#").qos(MqttQos.AT_LEAST_ONCE).send();
                broker.broker().publish(Message.of("inproc/a", "from inside", QoS.AT_LEAST_ONCE, false))
                        .get(3, TimeUnit.SECONDS);
                Mqtt5Publish received = atHivemq.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals("inproc/a", received.getTopic().toString());
                assertEquals("from inside", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
                assertEquals(MqttQos.AT_LEAST_ONCE, received.getQos());
                org.eclipse.paho.client.mqttv3.MqttMessage pahoGot = atPaho.poll(3, TimeUnit.SECONDS);
                assertNotNull(pahoGot);
                assertEquals("from inside", new String(pahoGot.getPayload(), StandardCharsets.UTF_8));
            }
            hivemq.disconnect();
            paho.disconnect();
            paho.close();
        }
    }

    @Test
    void invalidTopicFailsThePublishFuture() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            for (String topic : List.of("a/+", "a/#", "", "a\u0000b")) {
                CompletableFuture<Void> result = broker.broker().publish(Message.of(topic, "x", QoS.AT_MOST_ONCE, false));
                ExecutionException failure = assertThrows(ExecutionException.class,
                        () -> result.get(3, TimeUnit.SECONDS), "topic '" + topic + "'");
                assertInstanceOf(IllegalArgumentException.class, failure.getCause(), "topic '" + topic + "'");
            }
        }
    }

    @Test
    void holdingSubscriptionDelaysQos1PubackUntilHandlerCompletes() throws Exception {
        BlockingQueue<CompletableFuture<Void>> handled = new LinkedBlockingQueue<>();
        try (RunningBroker broker = RunningBroker.start();
             InProcessSubscription ignored = broker.broker().subscribe("held/#",
                     SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), message -> {
                         CompletableFuture<Void> done = new CompletableFuture<>();
                         handled.add(done);
                         return done;
                     });
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "publisher")) {
            publisher.publish("held/1", "x".getBytes(), 1, false, 11, false, null);
            CompletableFuture<Void> handler = handled.poll(3, TimeUnit.SECONDS);
            assertNotNull(handler, "the handler got the message");
            assertNull(publisher.next(SILENCE), "no PUBACK while the handler has not completed");
            handler.complete(null);
            MqttMessage puback = publisher.expect(MqttMessageType.PUBACK, Packets.WAIT);
            assertEquals(11, RawMqttClient.packetId(puback));
        }
    }

    @Test
    void holdingSubscriptionDelaysQos2PubrecUntilHandlerCompletes() throws Exception {
        BlockingQueue<CompletableFuture<Void>> handled = new LinkedBlockingQueue<>();
        try (RunningBroker broker = RunningBroker.start();
             InProcessSubscription ignored = broker.broker().subscribe("held/#",
                     SubscribeOptions.of(QoS.EXACTLY_ONCE).holdingPublisherAck(), message -> {
                         CompletableFuture<Void> done = new CompletableFuture<>();
                         handled.add(done);
                         return done;
                     });
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "publisher")) {
            publisher.publish("held/2", "x".getBytes(), 2, false, 12, false, null);
            CompletableFuture<Void> handler = handled.poll(3, TimeUnit.SECONDS);
            assertNotNull(handler, "the handler got the message");
            assertNull(publisher.next(SILENCE), "no PUBREC while the handler has not completed");
            handler.complete(null);
            MqttMessage pubrec = publisher.expect(MqttMessageType.PUBREC, Packets.WAIT);
            assertEquals(12, RawMqttClient.packetId(pubrec));
            assertEquals(0, RawMqttClient.reasonCode(pubrec));
            publisher.ack(MqttMessageType.PUBREL, 12);
            assertEquals(12, RawMqttClient.packetId(publisher.expect(MqttMessageType.PUBCOMP, Packets.WAIT)));
        }
    }

    @Test
    void interceptorWithIncompleteStageHoldsPuback() throws Exception {
        CompletableFuture<Void> verdict = new CompletableFuture<>();
        try (RunningBroker broker = RunningBroker.start(c -> { }, b -> b.interceptor(message -> verdict));
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "publisher")) {
            publisher.publish("t", "x".getBytes(), 1, false, 3, false, null);
            assertNull(publisher.next(SILENCE), "no PUBACK while the interceptor has not decided");
            verdict.complete(null);
            MqttMessage puback = publisher.expect(MqttMessageType.PUBACK, Packets.WAIT);
            assertEquals(3, RawMqttClient.packetId(puback));
            assertEquals(0, RawMqttClient.reasonCode(puback));
        }
    }

    @Test
    void interceptorRejectionGivesMqtt5PublisherPuback0x97AndNoDelivery() throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        try (RunningBroker broker = RunningBroker.start(c -> { }, b -> b.interceptor(message ->
                CompletableFuture.failedFuture(new PublishRejectedException(0x97, "quota exceeded"))));
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "publisher")) {
            publisher.publish("t", "x".getBytes(), 1, false, 4, false, null);
            MqttMessage puback = publisher.expect(MqttMessageType.PUBACK, Packets.WAIT);
            assertEquals(4, RawMqttClient.packetId(puback));
            assertEquals(0x97, RawMqttClient.reasonCode(puback), "PUBACK reason 0x97 Quota exceeded");
            assertTrue(!publisher.closedWithin(Duration.ofMillis(100)), "an MQTT 5 publisher stays connected");
        }
    }

    @Test
    void interceptorRejectionLaterGivesMqtt5PublisherPubrec0x97ForQos2() throws Exception {
        CompletableFuture<Void> verdict = new CompletableFuture<>();
        try (RunningBroker broker = RunningBroker.start(c -> { }, b -> b.interceptor(message -> verdict));
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_5, "publisher")) {
            publisher.publish("t", "x".getBytes(), 2, false, 5, false, null);
            assertNull(publisher.next(SILENCE), "no PUBREC while the interceptor has not decided");
            verdict.completeExceptionally(new PublishRejectedException(0x97, "quota exceeded"));
            MqttMessage pubrec = publisher.expect(MqttMessageType.PUBREC, Packets.WAIT);
            assertEquals(5, RawMqttClient.packetId(pubrec));
            assertEquals(0x97, RawMqttClient.reasonCode(pubrec));
        }
    }

    @Test
    void interceptorRejectionDisconnectsMqtt311PublisherWithoutPuback() throws Exception {
        CompletableFuture<Void> verdict = new CompletableFuture<>();
        try (RunningBroker broker = RunningBroker.start(c -> { }, b -> b.interceptor(message -> verdict));
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "publisher")) {
            publisher.publish("t", "x".getBytes(), 1, false, 6, false, null);
            assertNull(publisher.next(SILENCE));
            verdict.completeExceptionally(new PublishRejectedException(0x97, "quota exceeded"));
            // 3.1.1 has no negative acknowledgement: the connection closes so that the client publishes again.
            Packets.assertClosedWithoutPacket(publisher);
        }
    }

    @Test
    void pubacksFollowPublishOrderEvenWhenCompletionsArriveOutOfOrder() throws Exception {
        BlockingQueue<CompletableFuture<Void>> handled = new LinkedBlockingQueue<>();
        try (RunningBroker broker = RunningBroker.start();
             InProcessSubscription ignored = broker.broker().subscribe("order/#",
                     SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), message -> {
                         CompletableFuture<Void> done = new CompletableFuture<>();
                         handled.add(done);
                         return done;
                     });
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "publisher")) {
            publisher.publish("order/1", "1".getBytes(), 1, false, 1, false, null);
            publisher.publish("order/2", "2".getBytes(), 1, false, 2, false, null);
            publisher.publish("order/3", "3".getBytes(), 1, false, 3, false, null);
            CompletableFuture<Void> first = handled.poll(3, TimeUnit.SECONDS);
            CompletableFuture<Void> second = handled.poll(3, TimeUnit.SECONDS);
            CompletableFuture<Void> third = handled.poll(3, TimeUnit.SECONDS);
            assertNotNull(third, "all three handled");
            third.complete(null);
            second.complete(null);
            // [MQTT-4.6.0-2]: PUBACKs go out in the order the PUBLISH packets were received.
            assertNull(publisher.next(SILENCE), "no PUBACK before the first message's is due");
            first.complete(null);
            assertEquals(1, RawMqttClient.packetId(publisher.expect(MqttMessageType.PUBACK, Packets.WAIT)));
            assertEquals(2, RawMqttClient.packetId(publisher.expect(MqttMessageType.PUBACK, Packets.WAIT)));
            assertEquals(3, RawMqttClient.packetId(publisher.expect(MqttMessageType.PUBACK, Packets.WAIT)));
        }
    }

    @Test
    void inProcessSubscriberBeyondItsMaxInFlightPausesPublishers() throws Exception {
        BlockingQueue<CompletableFuture<Void>> handled = new LinkedBlockingQueue<>();
        try (RunningBroker broker = RunningBroker.start();
             InProcessSubscription ignored = broker.broker().subscribe("slow/#",
                     SubscribeOptions.of(QoS.AT_LEAST_ONCE).withMaxInFlight(2), message -> {
                         CompletableFuture<Void> done = new CompletableFuture<>();
                         handled.add(done);
                         return done;
                     });
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "publisher")) {
            for (int id = 1; id <= 5; id++) {
                publisher.publish("slow/x", new byte[] {(byte) id}, 1, false, id, false, null);
            }
            Await.until(Duration.ofSeconds(3), "the publisher paused", () -> broker.broker().stats(),
                    s -> s.publishersPaused() > 0);
            List<MqttMessage> early = Packets.drain(publisher, SILENCE, 10);
            assertTrue(early.size() < 5, "not every PUBACK while the subscriber is past its window: " + early.size());
            early.forEach(io.netty.util.ReferenceCountUtil::release);
            int acked = early.size();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (acked < 5 && System.nanoTime() < deadline) {
                CompletableFuture<Void> next;
                while ((next = handled.poll()) != null) {
                    next.complete(null);
                }
                MqttMessage puback = publisher.next(Duration.ofMillis(50));
                if (puback != null) {
                    assertEquals(MqttMessageType.PUBACK, puback.fixedHeader().messageType());
                    acked++;
                }
            }
            assertEquals(5, acked, "every PUBACK once the subscriber caught up");
            Await.until(Duration.ofSeconds(3), "the publisher resumed", () -> broker.broker().stats(),
                    s -> s.publishersPaused() == 0);
        }
    }

    @Test
    void sharedInProcessSubscriptionDeliversEachMessageToExactlyOneMember() throws Exception {
        int messages = 20;
        Set<String> first = ConcurrentHashMap.newKeySet();
        Set<String> second = ConcurrentHashMap.newKeySet();
        try (RunningBroker broker = RunningBroker.start();
             InProcessSubscription a = broker.broker().subscribe("$share/workers/jobs/#",
                     SubscribeOptions.of(QoS.AT_LEAST_ONCE), message -> {
                         first.add(message.payloadAsString());
                         return CompletableFuture.completedFuture(null);
                     });
             InProcessSubscription b = broker.broker().subscribe("$share/workers/jobs/#",
                     SubscribeOptions.of(QoS.AT_LEAST_ONCE), message -> {
                         second.add(message.payloadAsString());
                         return CompletableFuture.completedFuture(null);
                     })) {
            Mqtt5BlockingClient publisher = MqttClient.builder().useMqttVersion5().identifier("jobs")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            publisher.connect();
            for (int i = 0; i < messages; i++) {
                publisher.publishWith().topic("jobs/" + i).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("j" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
            Await.until(Duration.ofSeconds(3), "every job delivered", () -> first.size() + second.size() == messages);
            Await.sleep(100);
            assertEquals(messages, first.size() + second.size(), "each message to one member only");
            Set<String> overlap = ConcurrentHashMap.newKeySet();
            overlap.addAll(first);
            overlap.retainAll(second);
            assertTrue(overlap.isEmpty(), "no message to both members: " + overlap);
            assertTrue(!first.isEmpty() && !second.isEmpty(),
                    "both members take a share: " + first.size() + " / " + second.size());
            publisher.disconnect();
        }
    }

    @Test
    void inProcessSubscriberReceivesClientMessageAtItsMaxQos() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        try (RunningBroker broker = RunningBroker.start();
             InProcessSubscription ignored = broker.broker().subscribe("down/#",
                     SubscribeOptions.of(QoS.AT_MOST_ONCE), message -> {
                         received.add(message);
                         return CompletableFuture.completedFuture(null);
                     });
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), MqttVersion.MQTT_3_1_1, "publisher")) {
            publisher.publish("down/1", "q2".getBytes(), 2, false, 9, false, null);
            Message message = received.poll(3, TimeUnit.SECONDS);
            assertNotNull(message);
            assertEquals(QoS.AT_MOST_ONCE, message.qos(), "delivered at the subscription's maximum QoS");
            assertEquals("publisher", message.publisherId());
            assertEquals("q2", message.payloadAsString());
        }
    }
}
