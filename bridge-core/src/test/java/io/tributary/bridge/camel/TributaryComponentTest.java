package io.tributary.bridge.camel;

import static org.apache.camel.builder.Builder.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Message;
import io.tributary.broker.MessageHandler;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TributaryComponentTest {

    private final RecordingBroker broker = new RecordingBroker();
    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void acknowledgementCompletesWhenTheRouteCompleted() throws Exception {
        start("tributary:in/+", route -> route.to("tributary:out"));
        broker.deliver(Message.of("in/a", "x", QoS.AT_LEAST_ONCE, false)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertEquals("out", broker.published.get(0).topic());
        assertTrue(broker.subscribeOptions.holdPublisherAck());
    }

    @Test
    void withABufferTheAcknowledgementIsTheBuffersAndTheRouteTakesWhatItForwards() throws Exception {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        List<Message> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<MessageBuffer.Forwarder> forwarders = new java.util.concurrent.CopyOnWriteArrayList<>();
        MessageBuffer buffer = new MessageBuffer() {
            @Override
            public String name() {
                return "r";
            }

            @Override
            public CompletionStage<Void> offer(Message message) {
                offered.add(message);
                return stored;
            }

            @Override
            public void attach(Forwarder forwarder) {
                forwarders.add(forwarder);
            }

            @Override
            public void detach(Forwarder forwarder) {
                forwarders.remove(forwarder);
            }
        };
        TributaryComponent component = new TributaryComponent(broker);
        context.addComponent(TributaryComponent.SCHEME, component);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(component.bufferedEndpoint("in/+", buffer)).to("tributary:out");
            }
        });
        context.start();

        Message message = Message.of("in/a", "x", QoS.AT_LEAST_ONCE, false);
        CompletionStage<Void> ack = broker.deliver(message);
        assertEquals(List.of(message), offered);
        assertTrue(broker.published.isEmpty(), "the route waits for the buffer to forward");
        assertFalse(ack.toCompletableFuture().isDone(), "the acknowledgement waits for the buffer");
        stored.complete(null);
        assertTrue(ack.toCompletableFuture().isDone());

        forwarders.get(0).forward(message).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals("out", broker.published.get(0).topic());
        context.stop();
        assertTrue(forwarders.isEmpty(), "a stopped route no longer takes forwarded messages");
    }

    @Test
    void acknowledgementFailsWhenTheRouteFailed() throws Exception {
        start("tributary:in/+", route -> route.throwException(new IllegalStateException("sink down")));
        CompletableFuture<Void> ack = broker.deliver(Message.of("in/a", "x", QoS.AT_LEAST_ONCE, false))
                .toCompletableFuture();
        ExecutionException failure = assertThrows(ExecutionException.class, () -> ack.get(5, TimeUnit.SECONDS));
        assertEquals("sink down", failure.getCause().getMessage());
    }

    @Test
    void qos0MessagesAreDroppedOnceMaxInFlightWaitBehindASlowRoute() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start("tributary:in/+?maxInFlight=2", route -> route.process(exchange -> release.await(10, TimeUnit.SECONDS))
                .to("tributary:out"));
        CompletionStage<Void> first = broker.deliver(Message.of("in/a", "1", QoS.AT_MOST_ONCE, false));
        awaitPickedUp();
        broker.deliver(Message.of("in/a", "2", QoS.AT_MOST_ONCE, false));
        broker.deliver(Message.of("in/a", "3", QoS.AT_MOST_ONCE, false));
        CompletionStage<Void> dropped = broker.deliver(Message.of("in/a", "4", QoS.AT_MOST_ONCE, false));
        CompletionStage<Void> qos1 = broker.deliver(Message.of("in/a", "5", QoS.AT_LEAST_ONCE, false));
        assertTrue(dropped.toCompletableFuture().isDone(), "a dropped QoS 0 message is done at once");
        assertFalse(qos1.toCompletableFuture().isDone(), "a QoS 1 message is queued, never dropped");
        release.countDown();
        qos1.toCompletableFuture().get(5, TimeUnit.SECONDS);
        first.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("1", "2", "3", "5"), broker.published.stream().map(Message::payloadAsString).toList());
    }

    @Test
    void withSeveralWorkersEachPublishersMessagesStayInOrderOnOneThread() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.Map<String, java.util.Set<String>> threads = new java.util.concurrent.ConcurrentHashMap<>();
        start("tributary:in/+?workers=3", route -> route.process(exchange -> {
            String publisher = exchange.getIn().getHeader(MqttHeaders.CLIENT_ID, String.class);
            threads.computeIfAbsent(publisher, p -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                    .add(Thread.currentThread().getName());
            seen.add(publisher + ":" + exchange.getIn().getBody(String.class));
        }));
        List<CompletableFuture<Void>> acks = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            for (String publisher : List.of("p1", "p2", "p3", "p4")) {
                acks.add(broker.deliver(fromPublisher(publisher, "in/" + publisher, Integer.toString(i)))
                        .toCompletableFuture());
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        for (String publisher : List.of("p1", "p2", "p3", "p4")) {
            List<String> own = seen.stream().filter(entry -> entry.startsWith(publisher + ":")).toList();
            assertEquals(java.util.stream.IntStream.range(0, 300).mapToObj(i -> publisher + ":" + i).toList(), own);
            assertEquals(1, threads.get(publisher).size(), publisher + " ran on " + threads.get(publisher));
        }
    }

    @Test
    void withSeveralWorkersAPublisherWaitingOnTheSinkDoesNotHoldAnotherWorkersPublisher() throws Exception {
        String slow = "slow";
        String other = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "other-" + i)
                .filter(id -> Math.floorMod(id.hashCode(), 2) != Math.floorMod(slow.hashCode(), 2))
                .findFirst().orElseThrow();
        CountDownLatch release = new CountDownLatch(1);
        start("tributary:in/+?workers=2", route -> route.process(exchange -> {
            if (slow.equals(exchange.getIn().getHeader(MqttHeaders.CLIENT_ID, String.class))) {
                release.await(10, TimeUnit.SECONDS);
            }
        }));
        CompletableFuture<Void> held = broker.deliver(fromPublisher(slow, "in/s", "1")).toCompletableFuture();
        broker.deliver(fromPublisher(other, "in/o", "1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertFalse(held.isDone(), "the slow publisher's message is still in its route");
        release.countDown();
        held.get(5, TimeUnit.SECONDS);
    }

    private static Message fromPublisher(String publisher, String topic, String payload) {
        return new Message(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                MessageProperties.NONE, publisher, System.currentTimeMillis());
    }

    @Test
    void producerPublishesToTheTopicHeaderAtTheHeaderQosWithTheMessageProperties() throws Exception {
        start("tributary:in/+", route -> route
                .setHeader(TributaryEndpoint.TOPIC_HEADER, constant("rendered/topic"))
                .setHeader(MqttHeaders.QOS, constant(2))
                .setHeader(MqttHeaders.RETAIN, constant(true))
                .to("tributary:fallback"));
        Message in = new Message("in/a", "x".getBytes(), QoS.AT_LEAST_ONCE, false,
                new MessageProperties(true, null, "text/plain", "reply/here", new byte[] {1, 2},
                        List.of(new UserProperty("k", "v"))), "device-1", System.currentTimeMillis());
        broker.deliver(in).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Message out = broker.published.get(0);
        assertEquals("rendered/topic", out.topic());
        assertEquals(QoS.EXACTLY_ONCE, out.qos());
        assertTrue(out.retain());
        assertEquals("text/plain", out.properties().contentType());
        assertEquals("reply/here", out.properties().responseTopic());
        assertEquals(List.of(new UserProperty("k", "v")), out.properties().userProperties());
    }

    @Test
    void messageTheRouteRefusedFailsItsHoldWithAPayloadRefusal() throws Exception {
        start("tributary:in/+", route -> route.setProperty(PayloadRefusal.PROPERTY,
                org.apache.camel.builder.Builder.constant("not JSON")));
        CompletableFuture<Void> hold = broker.deliver(Message.of("in/a", "x", QoS.AT_LEAST_ONCE, false))
                .toCompletableFuture();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> hold.get(5, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof io.tributary.broker.PayloadRefusedException, refused.toString());
        assertEquals("not JSON", refused.getCause().getMessage());
    }

    @Test
    void endpointOptionsOverrideTheHeaders() throws Exception {
        start("tributary:in/+", route -> route.to("tributary:fixed?qos=0&retain=false"));
        broker.deliver(Message.of("in/a", "x", QoS.EXACTLY_ONCE, true)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Message out = broker.published.get(0);
        assertEquals("fixed", out.topic());
        assertEquals(QoS.AT_MOST_ONCE, out.qos());
        assertFalse(out.retain());
    }

    @Test
    void messageHandedToAStoppedRouteFailsItsHoldInsteadOfBeingAcknowledged() throws Exception {
        start("tributary:in/+", route -> route.to("tributary:out"));
        // The broker's subscription close waits for offers under way; were one to come anyway, no route takes it,
        // so the publisher must not be acknowledged (and the hold must not wait for ever).
        MessageHandler offeredTo = broker.subscriber;
        context.getRouteController().stopAllRoutes();

        CompletableFuture<Void> hold = offeredTo.onMessage(Message.of("in/a", "late", QoS.AT_LEAST_ONCE, false))
                .toCompletableFuture();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> hold.get(5, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof java.util.concurrent.RejectedExecutionException, refused.toString());
        assertEquals(List.of(), broker.published, "a stopped route delivered");
    }

    @Test
    void unknownEndpointOptionIsRefused() {
        assertThrows(Exception.class, () -> start("tributary:in/+?maxInFligth=5", route -> route.to("tributary:x")));
    }

    private void awaitPickedUp() throws InterruptedException {
        // The first message leaves the queue as soon as the route's thread takes it; poll until it has.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        TributaryConsumer consumer = (TributaryConsumer) context.getRoutes().get(0).getConsumer();
        while (System.nanoTime() < deadline && consumer.waitingCount() > 0) {
            Thread.sleep(5);
        }
    }

    private interface RouteSteps {
        void add(org.apache.camel.model.RouteDefinition route);
    }

    private void start(String from, RouteSteps steps) throws Exception {
        context.addComponent(TributaryComponent.SCHEME, new TributaryComponent(broker));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                steps.add(from(from));
            }
        });
        context.start();
    }
}
