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
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.tributary.broker.BrokerState;
import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.session.SessionSummary;
import io.tributary.testsupport.await.Await;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The broker as a cluster node: in-process publishes take the log to MQTT sessions; routes meet them once. */
class ClusterSeamTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

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
            assertTrue(log.appended.isEmpty(), "no other node has a matching session: nothing is appended");
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
    void aDevicesPublishIsServedHereAndAppendedOnlyForTheNodesWithAMatchingSession() throws Exception {
        MemoryLog log = new MemoryLog();
        log.tableOwner = "node-2";
        log.tableAtStart.add(new SessionSummary("far", true, 0, 5, null,
                List.of(new BrokerState.SubscriptionState("tele/+/temp", QoS.AT_LEAST_ONCE, false, false, 0, 0))));
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            BlockingQueue<Message> atRoute = new LinkedBlockingQueue<>();
            InProcessSubscription route = broker.broker().subscribe("tele/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE),
                    message -> {
                        atRoute.add(message);
                        return CompletableFuture.completedFuture(null);
                    });
            Mqtt5BlockingClient local = MqttClient.builder().useMqttVersion5().identifier("near")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            local.connect();
            Mqtt5AsyncClient publisher = MqttClient.builder().useMqttVersion5().identifier("sensor")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            publisher.connect().get(3, TimeUnit.SECONDS);
            try (Mqtt5BlockingClient.Mqtt5Publishes atLocal = local.publishes(MqttGlobalPublishFilter.ALL)) {
                local.subscribeWith().topicFilter("tele/#").qos(MqttQos.AT_LEAST_ONCE).send();

                // No session elsewhere matches: served here only, nothing appended.
                publisher.publishWith().topic("tele/s1/humidity").payload(bytes("40")).qos(MqttQos.AT_LEAST_ONCE)
                        .send().get(3, TimeUnit.SECONDS);
                assertEquals("40", text(atRoute.poll(3, TimeUnit.SECONDS)));
                assertEquals("40", payload(atLocal.receive(3, TimeUnit.SECONDS)));
                assertTrue(log.appended.isEmpty(), log.appended.toString());

                // Node 2 has a match: served here at once, appended for node 2 only, the PUBACK waits for it.
                CompletableFuture<Mqtt5PublishResult> puback = publisher.publishWith().topic("tele/s1/temp")
                        .payload(bytes("21")).qos(MqttQos.AT_LEAST_ONCE).send();
                assertEquals("21", text(atRoute.poll(3, TimeUnit.SECONDS)));
                assertEquals("21", payload(atLocal.receive(3, TimeUnit.SECONDS)));
                Await.until(WAIT, "the append for node 2", () -> log.appendedCount() == 1);
                synchronized (log) {
                    assertEquals(Set.of("node-2"), log.addressed.get(0));
                }
                assertThrows(TimeoutException.class, () -> puback.get(300, TimeUnit.MILLISECONDS),
                        "no PUBACK while the append is not durable");
                log.makeDurable(0);
                puback.get(3, TimeUnit.SECONDS);

                // QoS 0 is appended too, and nothing waits for it.
                publisher.publishWith().topic("tele/s2/temp").payload(bytes("19")).qos(MqttQos.AT_MOST_ONCE).send()
                        .get(3, TimeUnit.SECONDS);
                assertEquals("19", payload(atLocal.receive(3, TimeUnit.SECONDS)));
                Await.until(WAIT, "the QoS 0 publish appended", () -> log.appendedCount() == 2);

                // A failed append fails the publisher's acknowledgement as a failed route does.
                CompletableFuture<Mqtt5PublishResult> refused = publisher.publishWith().topic("tele/s3/temp")
                        .payload(bytes("22")).qos(MqttQos.AT_LEAST_ONCE).send();
                Await.until(WAIT, "the third append", () -> log.appendedCount() == 3);
                synchronized (log) {
                    log.durable.get(2).completeExceptionally(new IllegalStateException("Kafka is away"));
                }
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> refused.get(3, TimeUnit.SECONDS));
                assertEquals(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR,
                        ((Mqtt5PubAckException) failed.getCause()).getMqttMessage().getReasonCode(),
                        "an MQTT 5 publisher is told 0x80");
            }
            route.close();
            publisher.disconnect().get(3, TimeUnit.SECONDS);
            local.disconnect();
        }
    }

    @Test
    void anInProcessPublishIsAppendedForTheNodesWithSessionsThisOneIncludedAndNotAtAllWithoutAny() throws Exception {
        MemoryLog log = new MemoryLog();
        log.tableOwner = "node-3";
        log.tableAtStart.add(new SessionSummary("far", false, 600, 4, null,
                List.of(new BrokerState.SubscriptionState("cmd/far", QoS.AT_LEAST_ONCE, false, false, 0, 0))));
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            CompletableFuture<Void> nobody = broker.broker().publish(Message.of("cmd/none", "x", QoS.AT_LEAST_ONCE,
                    false));
            nobody.get(3, TimeUnit.SECONDS);
            assertTrue(log.appended.isEmpty(), "no session anywhere: nothing appended");

            CompletableFuture<Void> far = broker.broker().publish(Message.of("cmd/far", "y", QoS.AT_LEAST_ONCE,
                    false));
            Await.until(WAIT, "appended for node 3", () -> log.appendedCount() == 1);
            assertEquals(Set.of("node-3"), log.addressed.get(0), "an offline persistent session counts");
            log.makeDurable(0);
            far.get(3, TimeUnit.SECONDS);

            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("here")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            device.connect();
            device.subscribeWith().topicFilter("cmd/#").qos(MqttQos.AT_LEAST_ONCE).send();
            CompletableFuture<Void> both = broker.broker().publish(Message.of("cmd/far", "z", QoS.AT_LEAST_ONCE,
                    false));
            Await.until(WAIT, "appended for both nodes", () -> log.appendedCount() == 2);
            assertEquals(Set.of("node-3", "memory"), log.addressed.get(1));
            log.makeDurable(1);
            both.get(3, TimeUnit.SECONDS);
            device.disconnect();
        }
    }

    @Test
    void subackWaitsUntilTheClusterKnowsTheSubscriptionAndACleanSessionsEndRemovesIt() throws Exception {
        MemoryLog log = new MemoryLog();
        log.holdStates = true;
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            Mqtt5AsyncClient device = MqttClient.builder().useMqttVersion5().identifier("asker")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            device.connect().get(3, TimeUnit.SECONDS);
            assertTrue(log.states.isEmpty(), "a session without subscriptions is not written");

            CompletableFuture<Mqtt5SubAck> suback = device.subscribeWith().topicFilter("resp/asker")
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            Await.until(WAIT, "the STATE written", () -> log.stateCount() == 1);
            SessionSummary written = (SessionSummary) log.states.get(0);
            assertEquals("asker", written.clientId());
            assertTrue(written.connected());
            assertEquals("resp/asker", written.subscriptions().get(0).filter());
            assertThrows(TimeoutException.class, () -> suback.get(300, TimeUnit.MILLISECONDS),
                    "no SUBACK before every live node applied the STATE");
            synchronized (log) {
                log.stateKnown.get(0).complete(null);
            }
            assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_1),
                    suback.get(3, TimeUnit.SECONDS).getReasonCodes());

            // A barrier that fails (Kafka away, timed out): the filter is refused and not kept.
            CompletableFuture<Mqtt5SubAck> failed = device.subscribeWith().topicFilter("resp/other")
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            Await.until(WAIT, "the second STATE written", () -> log.stateCount() == 2);
            synchronized (log) {
                log.stateKnown.get(1).completeExceptionally(new IllegalStateException("timed out"));
            }
            ExecutionException refused = assertThrows(ExecutionException.class, () -> failed.get(3, TimeUnit.SECONDS));
            assertEquals(List.of(Mqtt5SubAckReasonCode.UNSPECIFIED_ERROR),
                    ((Mqtt5SubAckException) refused.getCause()).getMqttMessage().getReasonCodes());

            device.disconnect().get(3, TimeUnit.SECONDS);
            Await.until(WAIT, "the tombstone of the ended clean session", () -> log.hasState("asker"));
        }
    }

    @Test
    void atStartTheTableLosesTheEntriesThisNodeOwnsWithoutASession() {
        MemoryLog log = new MemoryLog();
        log.tableAtStart.add(new SessionSummary("ghost", true, 0, 5, null,
                List.of(new BrokerState.SubscriptionState("a/#", QoS.AT_MOST_ONCE, false, false, 0, 0))));
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            synchronized (log) {
                assertEquals(List.of("ghost"), log.states, "a clean session that died with a kill -9");
            }
        }
    }

    @Test
    void anEveryNodeSubscriberIsInTheTableAndGetsOtherNodesMessagesOnceAndRoutesOnlyTheirOwn() throws Exception {
        MemoryLog log = new MemoryLog();
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            BlockingQueue<Message> atStream = new LinkedBlockingQueue<>();
            BlockingQueue<Message> atRoute = new LinkedBlockingQueue<>();
            InProcessSubscription stream = broker.broker().subscribe("tele/#",
                    SubscribeOptions.of(QoS.AT_MOST_ONCE).everyNode(), message -> {
                        atStream.add(message);
                        return CompletableFuture.completedFuture(null);
                    });
            InProcessSubscription route = broker.broker().subscribe("tele/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE),
                    message -> {
                        atRoute.add(message);
                        return CompletableFuture.completedFuture(null);
                    });
            synchronized (log) {
                SessionSummary entry = (SessionSummary) log.states.get(0);
                assertEquals("$streams/memory", entry.clientId(), "one table entry for this node's streams");
                assertEquals("tele/#", entry.subscriptions().get(0).filter());
                assertEquals(1, log.states.size(), "a route is not in the table");
            }

            log.handFromElsewhere(Message.of("tele/s1", "from node 2", QoS.AT_LEAST_ONCE, false), new Counting());
            assertEquals("from node 2", text(atStream.poll(3, TimeUnit.SECONDS)));
            assertTrue(atRoute.poll(300, TimeUnit.MILLISECONDS) == null, "a route meets a message on its origin only");

            // This node's in-process publish: both at once; its record coming back reaches neither again.
            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("here")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            device.connect();
            device.subscribeWith().topicFilter("tele/#").qos(MqttQos.AT_LEAST_ONCE).send();
            CompletableFuture<Void> published = broker.broker().publish(Message.of("tele/s2", "here",
                    QoS.AT_LEAST_ONCE, false));
            assertEquals("here", text(atStream.poll(3, TimeUnit.SECONDS)));
            assertEquals("here", text(atRoute.poll(3, TimeUnit.SECONDS)));
            Await.until(WAIT, "appended for this node's device", () -> log.appendedCount() == 1);
            log.makeDurable(0);
            published.get(3, TimeUnit.SECONDS);
            log.hand(0, new Counting());
            assertTrue(atStream.poll(300, TimeUnit.MILLISECONDS) == null, "not twice to the stream");
            device.disconnect();

            route.close();
            stream.close();
            assertTrue(log.hasState("$streams/memory"), "the last stream gone: the entry's tombstone");
        }
    }

    @Test
    void withoutAClusterNothingIsReported() {
        try (RunningBroker broker = RunningBroker.start()) {
            assertEquals(Optional.empty(), broker.broker().clusterState());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String payload(Optional<Mqtt5Publish> publish) {
        return new String(publish.orElseThrow(() -> new AssertionError("nothing received")).getPayloadAsBytes(),
                StandardCharsets.UTF_8);
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


    @Test
    void aRecordsSharedGroupReachesOnlyTheMemberItsOriginChoseHere() throws Exception {
        MemoryLog log = new MemoryLog();
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            List<Mqtt5BlockingClient> members = new java.util.ArrayList<>();
            for (String id : List.of("m1", "m2")) {
                Mqtt5AsyncClient member = MqttClient.builder().useMqttVersion5().identifier(id)
                        .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
                member.connect().get(5, TimeUnit.SECONDS);
                member.subscribeWith().topicFilter("$share/g/jobs/#").qos(MqttQos.AT_LEAST_ONCE)
                        .callback(p -> received.add(id + ":" + new String(p.getPayloadAsBytes(),
                                StandardCharsets.UTF_8))).send().get(5, TimeUnit.SECONDS);
                members.add(member.toBlocking());
            }
            String group = "$share/g/jobs/#";
            for (int i = 0; i < 4; i++) {
                log.handFromElsewhere(Message.of("jobs/1", "to-m2-" + i, QoS.AT_LEAST_ONCE, false),
                        List.of(new ShareChoice(group, "memory", "m2")), new Counting());
                assertEquals("m2:to-m2-" + i, received.poll(3, TimeUnit.SECONDS), "never picked again here");
            }
            log.handFromElsewhere(Message.of("jobs/1", "elsewhere", QoS.AT_LEAST_ONCE, false),
                    List.of(new ShareChoice(group, "node-2", "x")), new Counting());
            log.handFromElsewhere(Message.of("jobs/1", "gone", QoS.AT_LEAST_ONCE, false),
                    List.of(new ShareChoice(group, "memory", "left-meanwhile")), new Counting());
            String rerouted = received.poll(3, TimeUnit.SECONDS);
            assertTrue("m1:gone".equals(rerouted) || "m2:gone".equals(rerouted),
                    "the chosen member is gone: another member here, not the one chosen elsewhere; got " + rerouted);
            log.handFromElsewhere(Message.of("jobs/1", "old", QoS.AT_LEAST_ONCE, false), null, new Counting());
            String old = received.poll(3, TimeUnit.SECONDS);
            assertTrue(old != null && old.endsWith(":old"), "an older node's record: picked here; got " + old);
            assertTrue(received.poll(300, TimeUnit.MILLISECONDS) == null, "each once: " + received);
            members.forEach(Mqtt5BlockingClient::disconnect);
        }
    }

    @Test
    void aDevicesPublishToASharedGroupGoesOnceOverTheClusterHereOrNamedInTheRecord() throws Exception {
        MemoryLog log = new MemoryLog();
        log.tableOwner = "node-2";
        log.tableAtStart.add(new SessionSummary("far", true, 0, 5, null, List.of(
                new BrokerState.SubscriptionState("$share/g/jobs/#", QoS.AT_LEAST_ONCE, false, false, 0, 0))));
        try (RunningBroker broker = RunningBroker.start(config -> { }, builder -> builder.cluster(log))) {
            Mqtt5BlockingClient near = MqttClient.builder().useMqttVersion5().identifier("near")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            near.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes atNear = near.publishes(MqttGlobalPublishFilter.ALL)) {
                near.subscribeWith().topicFilter("$share/g/jobs/#").qos(MqttQos.AT_LEAST_ONCE).send();
                // What this node's follower would read back from its own STATE.
                log.table.put("memory", new SessionSummary("near", true, 0, 5, null, List.of(
                        new BrokerState.SubscriptionState("$share/g/jobs/#", QoS.AT_LEAST_ONCE, false, false, 0,
                                0))));
                Mqtt5BlockingClient publisher = MqttClient.builder().useMqttVersion5().identifier("pub")
                        .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
                publisher.connect();
                Mqtt5AsyncClient async = publisher.toAsync();
                List<CompletableFuture<Mqtt5PublishResult>> acks = new java.util.ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    acks.add(async.publishWith().topic("jobs/" + i).qos(MqttQos.AT_LEAST_ONCE)
                            .payload(("j" + i).getBytes(StandardCharsets.UTF_8)).send());
                }
                Await.until(WAIT, "three appended for the far member", () -> log.appendedCount() == 3);
                for (int i = 0; i < 3; i++) {
                    log.makeDurable(i);
                }
                for (CompletableFuture<Mqtt5PublishResult> ack : acks) {
                    ack.get(5, TimeUnit.SECONDS);
                }
                Set<String> atNearTexts = new java.util.HashSet<>();
                for (int i = 0; i < 3; i++) {
                    atNearTexts.add(new String(atNear.receive(3, TimeUnit.SECONDS).orElseThrow()
                            .getPayloadAsBytes(), StandardCharsets.UTF_8));
                }
                Set<String> appendedTexts = new java.util.HashSet<>();
                synchronized (log) {
                    for (int i = 0; i < 3; i++) {
                        assertEquals(Set.of("node-2"), log.addressed.get(i));
                        assertEquals(List.of(new ShareChoice("$share/g/jobs/#", "node-2", "far")), log.shared.get(i));
                        appendedTexts.add(text(log.appended.get(i)));
                    }
                }
                Set<String> all = new java.util.HashSet<>(atNearTexts);
                all.addAll(appendedTexts);
                assertEquals(6, all.size(), "each message once: here " + atNearTexts + ", appended " + appendedTexts);
                assertFalse(atNear.receive(300, TimeUnit.MILLISECONDS).isPresent());
                publisher.disconnect();
            }
            near.disconnect();
        }
    }
}
