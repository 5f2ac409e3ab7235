package io.tributary.connectors.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.PayloadRefusedException;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LinkDispatcherTest {

    private final List<Throwable> failures = new ArrayList<>();
    private final LinkCounts counts = new LinkCounts();
    private final LinkDispatcher dispatcher = new LinkDispatcher("plant", 3, counts, failures::add);
    private final AtomicInteger acks = new AtomicInteger();

    @Test
    void aMessageIsAcknowledgedOnlyOnceEveryMatchingRouteHasIt() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        dispatcher.add(route("sites/+/t", first));
        dispatcher.add(route("sites/#", second));
        dispatcher.add(route("other/#", CompletableFuture.failedFuture(new IllegalStateException("never called"))));

        dispatcher.dispatch(message("sites/a/t"), () -> acks.incrementAndGet() > 0);
        first.complete(null);
        assertEquals(0, acks.get(), "one route still delivering");
        second.complete(null);

        assertEquals(List.of(1, 1L), List.of(acks.get(), counts.acknowledged()));
        assertEquals(List.of(), failures);
    }

    @Test
    void aFailedMessageIsNotAcknowledgedAndTheFailureIsReported() {
        dispatcher.add(route("a/#", CompletableFuture.failedFuture(new IllegalStateException("kafka is down"))));

        dispatcher.dispatch(message("a/b"), () -> acks.incrementAndGet() > 0);

        assertEquals(0, acks.get());
        assertEquals("kafka is down", failures.get(0).getMessage());
    }

    @Test
    void aPayloadRefusedForGoodCountsAsDelivered() {
        dispatcher.add(route("a/#", CompletableFuture.failedFuture(new PayloadRefusedException("not JSON"))));

        dispatcher.dispatch(message("a/b"), () -> acks.incrementAndGet() > 0);

        assertEquals(1, acks.get());
    }

    @Test
    void aHandlerThatThrowsFailsTheMessage() {
        dispatcher.add(new LinkSubscription("a/#", QoS.AT_LEAST_ONCE, Optional.empty(), m -> {
            throw new IllegalStateException("route stopped");
        }));

        dispatcher.dispatch(message("a/b"), () -> acks.incrementAndGet() > 0);

        assertEquals(0, acks.get());
        assertEquals(1, failures.size());
    }

    @Test
    void anUnroutedMessageIsAcknowledgedWhileRoutesRunButHeldWhenNoneRunsOrTheLinkStops() throws Exception {
        dispatcher.dispatch(message("x/y"), () -> acks.incrementAndGet() > 0);
        assertEquals(0, acks.get(), "no route yet: held for the next session");

        AutoCloseable handle = dispatcher.add(route("a/#", CompletableFuture.completedFuture(null)));
        dispatcher.dispatch(message("x/y"), () -> acks.incrementAndGet() > 0);
        assertEquals(1, acks.get(), "a stale subscription's message while routes run");
        assertEquals(1, counts.unrouted());

        dispatcher.stopTaking();
        dispatcher.dispatch(message("x/y"), () -> acks.incrementAndGet() > 0);
        handle.close();
        dispatcher.dispatch(message("a/b"), () -> acks.incrementAndGet() > 0);
        assertEquals(1, acks.get(), "stopping: held for the next session");
        assertTrue(failures.isEmpty());
    }

    @Test
    void aMessageThatWentRoundMaxHopsPublishesIsAcknowledgedAndDroppedAsLooped() {
        List<Message> delivered = new ArrayList<>();
        dispatcher.add(new LinkSubscription("a/#", QoS.AT_LEAST_ONCE, Optional.empty(), m -> {
            delivered.add(m);
            return CompletableFuture.completedFuture(null);
        }));

        dispatcher.dispatch(withHops(2), () -> acks.incrementAndGet() > 0);
        dispatcher.dispatch(withHops(3), () -> acks.incrementAndGet() > 0);

        assertEquals(List.of(2), delivered.stream().map(LinkHops::of).toList());
        assertEquals(List.of(2, 1L), List.of(acks.get(), counts.looped()));
    }

    private static Message withHops(int hops) {
        return new Message("a/b", new byte[0], QoS.AT_LEAST_ONCE, false, new MessageProperties(false, null, null, null,
                null, List.of(new UserProperty(LinkHops.PROPERTY, Integer.toString(hops)))), null, 0L);
    }

    private static LinkSubscription route(String filter, CompletableFuture<Void> stage) {
        return new LinkSubscription(filter, QoS.AT_LEAST_ONCE, Optional.empty(), message -> stage);
    }

    private static Message message(String topic) {
        return Message.of(topic, "payload", QoS.AT_LEAST_ONCE, false);
    }
}
