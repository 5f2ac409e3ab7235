package io.tributary.connectors.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Message;
import io.tributary.broker.PayloadRefusedException;
import io.tributary.broker.QoS;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LinkDispatcherTest {

    private final List<Throwable> failures = new ArrayList<>();
    private final LinkDispatcher dispatcher = new LinkDispatcher("plant", failures::add);
    private final AtomicInteger acks = new AtomicInteger();

    @Test
    void aMessageIsAcknowledgedOnlyOnceEveryMatchingRouteHasIt() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        dispatcher.add(route("sites/+/t", first));
        dispatcher.add(route("sites/#", second));
        dispatcher.add(route("other/#", CompletableFuture.failedFuture(new IllegalStateException("never called"))));

        dispatcher.dispatch(message("sites/a/t"), acks::incrementAndGet);
        first.complete(null);
        assertEquals(0, acks.get(), "one route still delivering");
        second.complete(null);

        assertEquals(List.of(1, 1L), List.of(acks.get(), dispatcher.acknowledged()));
        assertEquals(List.of(), failures);
    }

    @Test
    void aFailedMessageIsNotAcknowledgedAndTheFailureIsReported() {
        dispatcher.add(route("a/#", CompletableFuture.failedFuture(new IllegalStateException("kafka is down"))));

        dispatcher.dispatch(message("a/b"), acks::incrementAndGet);

        assertEquals(0, acks.get());
        assertEquals("kafka is down", failures.get(0).getMessage());
    }

    @Test
    void aPayloadRefusedForGoodCountsAsDelivered() {
        dispatcher.add(route("a/#", CompletableFuture.failedFuture(new PayloadRefusedException("not JSON"))));

        dispatcher.dispatch(message("a/b"), acks::incrementAndGet);

        assertEquals(1, acks.get());
    }

    @Test
    void aHandlerThatThrowsFailsTheMessage() {
        dispatcher.add(new LinkSubscription("a/#", QoS.AT_LEAST_ONCE, Optional.empty(), m -> {
            throw new IllegalStateException("route stopped");
        }));

        dispatcher.dispatch(message("a/b"), acks::incrementAndGet);

        assertEquals(0, acks.get());
        assertEquals(1, failures.size());
    }

    @Test
    void anUnroutedMessageIsAcknowledgedWhileRoutesRunButHeldWhenNoneRunsOrTheLinkStops() throws Exception {
        dispatcher.dispatch(message("x/y"), acks::incrementAndGet);
        assertEquals(0, acks.get(), "no route yet: held for the next session");

        AutoCloseable handle = dispatcher.add(route("a/#", CompletableFuture.completedFuture(null)));
        dispatcher.dispatch(message("x/y"), acks::incrementAndGet);
        assertEquals(1, acks.get(), "a stale subscription's message while routes run");
        assertEquals(1, dispatcher.unrouted());

        dispatcher.stopTaking();
        dispatcher.dispatch(message("x/y"), acks::incrementAndGet);
        handle.close();
        dispatcher.dispatch(message("a/b"), acks::incrementAndGet);
        assertEquals(1, acks.get(), "stopping: held for the next session");
        assertTrue(failures.isEmpty());
    }

    private static LinkSubscription route(String filter, CompletableFuture<Void> stage) {
        return new LinkSubscription(filter, QoS.AT_LEAST_ONCE, Optional.empty(), message -> stage);
    }

    private static Message message(String topic) {
        return Message.of(topic, "payload", QoS.AT_LEAST_ONCE, false);
    }
}
