package io.tributary.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.delivery.PublisherLink;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The broker as a cluster node: in-process publishes take the log to MQTT sessions; routes meet them once. */
class ClusterSeamTest {

    @Test
    void inProcessPublishReachesInProcessSubscribersAtOnceAndSessionsOnlyThroughTheLog() throws Exception {
        MemoryLog log = new MemoryLog();
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("device")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            device.connect();
            BlockingQueue<Message> atRoute = new LinkedBlockingQueue<>();
            InProcessSubscription route = broker.broker().subscribe("cmd/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE),
                    message -> {
                        atRoute.add(message);
                        return CompletableFuture.completedFuture(null);
                    });
            try (Mqtt5BlockingClient.Mqtt5Publishes atDevice = device.publishes(MqttGlobalPublishFilter.ALL)) {
                device.subscribeWith().topicFilter("cmd/#").qos(MqttQos.AT_LEAST_ONCE).send();

                CompletableFuture<Void> published = broker.broker().publish(
                        Message.of("cmd/d1", "open", QoS.AT_LEAST_ONCE, false));

                assertEquals("open", text(atRoute.poll(3, TimeUnit.SECONDS)));
                assertEquals(1, log.appended.size());
                assertFalse(published.isDone(), "the publish waits for the append to be durable");
                assertTrue(atDevice.receive(300, TimeUnit.MILLISECONDS).isEmpty(),
                        "the origin's sessions get the message from the log, not directly");

                log.makeDurable(0);
                published.get(3, TimeUnit.SECONDS);
                log.hand(0, new Counting());
                Optional<Mqtt5Publish> received = atDevice.receive(3, TimeUnit.SECONDS);
                assertEquals("open", new String(received.orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8));
                assertTrue(atRoute.poll(300, TimeUnit.MILLISECONDS) == null,
                        "a record from the log never reaches an in-process subscriber");
            }
            route.close();
            device.disconnect();
            assertEquals(Optional.of("up: node memory"), broker.broker().clusterState());
        }
    }

    @Test
    void everyRetainedChangeGoesToTheClusterAndTheStoreHoldsTheClustersSetBeforeClientsConnect() throws Exception {
        MemoryLog log = new MemoryLog();
        log.retainedAtStart.add(Message.of("state/elsewhere", "set-on-another-node", QoS.AT_LEAST_ONCE, true));
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            assertTrue(log.followed == broker.broker().retainedMessages(), "the broker's own store follows the cluster");
            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("device")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            device.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes atDevice = device.publishes(MqttGlobalPublishFilter.ALL)) {
                device.subscribeWith().topicFilter("state/elsewhere").qos(MqttQos.AT_LEAST_ONCE).send();
                Optional<Mqtt5Publish> first = atDevice.receive(3, TimeUnit.SECONDS);
                assertEquals("set-on-another-node",
                        new String(first.orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }

            device.publishWith().topic("state/d1").payload("on".getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
            device.publishWith().topic("state/elsewhere").qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
            device.disconnect();

            synchronized (log) {
                assertEquals(2, log.retainedChanges.size(), log.retainedChanges.toString());
                assertEquals("state/d1", ((Message) log.retainedChanges.get(0)).topic());
                assertEquals("state/elsewhere", log.retainedChanges.get(1), "an empty retained payload clears");
            }
            assertTrue(log.appended.isEmpty(), "a device's publish itself stays on its node in this version");
        }
    }

    @Test
    void aRetainedPublishersPubackWaitsUntilTheClusterHoldsIt() throws Exception {
        MemoryLog log = new MemoryLog();
        log.holdRetained = true;
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            Mqtt5AsyncClient device = MqttClient.builder().useMqttVersion5().identifier("device")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            device.connect().get(3, TimeUnit.SECONDS);

            CompletableFuture<Mqtt5PublishResult> puback = device.publishWith().topic("state/d1")
                    .payload("on".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).retain(true).send();

            assertThrows(TimeoutException.class, () -> puback.get(300, TimeUnit.MILLISECONDS),
                    "no PUBACK while the retained record is not durable in the cluster");
            assertEquals(1, broker.broker().retainedMessages().size(), "the origin's store has it at once");
            synchronized (log) {
                log.retainedDurable.get(0).complete(null);
            }
            puback.get(3, TimeUnit.SECONDS);
            device.disconnect().get(3, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLogsStageForAPersistentSessionCompletesAndAFailedAppendFailsThePublish() throws Exception {
        MemoryLog log = new MemoryLog();
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("offline")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            device.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
            device.subscribeWith().topicFilter("cmd/offline").qos(MqttQos.AT_LEAST_ONCE).send();
            device.disconnect();

            CompletableFuture<Void> published = broker.broker().publish(
                    Message.of("cmd/offline", "queued", QoS.AT_LEAST_ONCE, false));
            log.makeDurable(0);
            published.get(3, TimeUnit.SECONDS);
            CompletionStage<Void> delivered = log.hand(0, new Counting());
            if (delivered != null) {
                delivered.toCompletableFuture().get(3, TimeUnit.SECONDS);
            }

            try (Mqtt5BlockingClient.Mqtt5Publishes atDevice = device.publishes(MqttGlobalPublishFilter.ALL)) {
                device.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
                Mqtt5Publish received = atDevice.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals("queued", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            device.disconnect();

            CompletableFuture<Void> refused = broker.broker().publish(
                    Message.of("cmd/offline", "lost?", QoS.AT_LEAST_ONCE, false));
            log.durable.get(1).completeExceptionally(new IllegalStateException("Kafka is away"));
            assertTrue(refused.handle((ok, failure) -> failure != null).get(3, TimeUnit.SECONDS),
                    "an append that failed fails the publish, so its Kafka record is read again");
        }
    }

    @Test
    void aSharedGroupOfARouteAndADeviceGetsACommandOnEachSideNeverOnNeither() throws Exception {
        MemoryLog log = new MemoryLog();
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("member")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            device.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes atDevice = device.publishes(MqttGlobalPublishFilter.ALL)) {
                device.subscribeWith().topicFilter("$share/g/cmd/#").qos(MqttQos.AT_LEAST_ONCE).send();
                BlockingQueue<Message> atRoute = new LinkedBlockingQueue<>();
                InProcessSubscription route = broker.broker().subscribe("$share/g/cmd/#",
                        SubscribeOptions.of(QoS.AT_LEAST_ONCE), message -> {
                            atRoute.add(message);
                            return CompletableFuture.completedFuture(null);
                        });
                for (int i = 0; i < 4; i++) {
                    CompletableFuture<Void> published = broker.broker().publish(
                            Message.of("cmd/d" + i, "c" + i, QoS.AT_LEAST_ONCE, false));
                    log.makeDurable(i);
                    published.get(3, TimeUnit.SECONDS);
                    log.hand(i, new Counting());
                    // Each side picks among its own members: the route here, the device through the log. Picking
                    // over the whole group on each side lost the command whenever each picked the other's member.
                    assertEquals("c" + i, text(atRoute.poll(3, TimeUnit.SECONDS)), "the route's side, command " + i);
                    Mqtt5Publish received = atDevice.receive(3, TimeUnit.SECONDS).orElseThrow(
                            () -> new AssertionError("the device's side, command is missing"));
                    assertEquals("c" + i, new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
                }
                route.close();
            }
            device.disconnect();
        }
    }

    @Test
    void withoutAClusterNothingIsReported() {
        try (RunningBroker broker = RunningBroker.start()) {
            assertEquals(Optional.empty(), broker.broker().clusterState());
        }
    }

    private static String text(Message message) {
        return message == null ? null : new String(message.payload(), StandardCharsets.UTF_8);
    }

    /** The log reader's side of back-pressure: counts pauses that are not yet resumed. */
    private static final class Counting implements PublisherLink {
        final AtomicInteger paused = new AtomicInteger();

        @Override
        public void pause() {
            paused.incrementAndGet();
        }

        @Override
        public void resume() {
            paused.decrementAndGet();
        }
    }

}
