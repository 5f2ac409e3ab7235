package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouteSubscriptionsTest {

    private final RouteSubscriptions subscriptions = new RouteSubscriptions();

    @Test
    void wildcardsMatchAsMqttSays() {
        assertTrue(TopicFilterMatch.parse("sites/+/t").matches("sites/north/t"));
        assertFalse(TopicFilterMatch.parse("sites/+/t").matches("sites/north/east/t"));
        assertTrue(TopicFilterMatch.parse("sites/#").matches("sites"));
        assertTrue(TopicFilterMatch.parse("sites/#").matches("sites/north/t"));
        assertFalse(TopicFilterMatch.parse("sites/north").matches("sites/north/t"));
        assertTrue(TopicFilterMatch.parse("+/+").matches("/a"));
        assertFalse(TopicFilterMatch.parse("#").matches("$SYS/broker/load"));
        assertFalse(TopicFilterMatch.parse("+/broker/load").matches("$SYS/broker/load"));
        assertTrue(TopicFilterMatch.parse("$SYS/#").matches("$SYS/broker/load"));
    }

    @Test
    void invalidFiltersAreRefused() {
        for (String filter : List.of("", "a/#/b", "a/b#", "a+/b", "$share/g", "$share//a")) {
            assertThrows(IllegalArgumentException.class,
                    () -> subscriptions.subscribe(filter, SubscribeOptions.of(QoS.AT_LEAST_ONCE), m -> null), filter);
        }
    }

    @Test
    void aQos1PublishIsHeldOnlyBySubscriptionsThatHoldTheAcknowledgement() {
        List<Message> held = new ArrayList<>();
        List<Message> notHeld = new ArrayList<>();
        CompletableFuture<Void> route = new CompletableFuture<>();
        subscriptions.subscribe("sites/+/t", SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), m -> {
            held.add(m);
            return route;
        });
        subscriptions.subscribe("sites/#", SubscribeOptions.of(QoS.AT_MOST_ONCE), m -> {
            notHeld.add(m);
            return new CompletableFuture<>();
        });

        RouteSubscriptions.Offer offer = subscriptions.offer(message("sites/a/t", QoS.EXACTLY_ONCE), false);

        assertEquals(2, offer.delivered());
        assertEquals(List.of(route), offer.holding());
        assertEquals(QoS.AT_LEAST_ONCE, held.get(0).qos(), "delivered at the subscription's maximum QoS");
        assertEquals(QoS.AT_MOST_ONCE, notHeld.get(0).qos());
    }

    @Test
    void aQos0PublishIsNeverHeld() {
        subscriptions.subscribe("a", SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(),
                m -> new CompletableFuture<>());

        RouteSubscriptions.Offer offer = subscriptions.offer(message("a", QoS.AT_MOST_ONCE), false);

        assertEquals(1, offer.delivered());
        assertEquals(List.of(), offer.holding());
    }

    @Test
    void aHandlerThatThrowsFailsItsStage() {
        subscriptions.subscribe("a", SubscribeOptions.of(QoS.AT_LEAST_ONCE).holdingPublisherAck(), m -> {
            throw new IllegalStateException("route stopped");
        });

        RouteSubscriptions.Offer offer = subscriptions.offer(message("a", QoS.AT_LEAST_ONCE), false);

        assertTrue(offer.holding().get(0).isCompletedExceptionally());
    }

    @Test
    void eachSharedMessageGoesToOneMemberOfItsGroupInTurn() {
        List<String> got = new ArrayList<>();
        for (String member : List.of("one", "two")) {
            subscriptions.subscribe("$share/routes/a/+", SubscribeOptions.of(QoS.AT_LEAST_ONCE), m -> {
                got.add(member);
                return CompletableFuture.completedFuture(null);
            });
        }

        for (int i = 0; i < 4; i++) {
            assertEquals(1, subscriptions.offer(message("a/b", QoS.AT_LEAST_ONCE), false).delivered());
        }

        assertEquals(List.of("one", "two", "one", "two"), got);
    }

    @Test
    void noLocalKeepsInProcessPublishesAway() {
        SubscribeOptions noLocal = new SubscribeOptions(QoS.AT_LEAST_ONCE, false, 10, true);
        subscriptions.subscribe("a", noLocal, m -> CompletableFuture.completedFuture(null));

        assertEquals(0, subscriptions.offer(message("a", QoS.AT_LEAST_ONCE), true).delivered());
        assertEquals(1, subscriptions.offer(message("a", QoS.AT_LEAST_ONCE), false).delivered());
    }

    @Test
    void aClosedSubscriptionGetsNothing() {
        InProcessSubscription subscription = subscriptions.subscribe("a", SubscribeOptions.of(QoS.AT_LEAST_ONCE),
                m -> CompletableFuture.completedFuture(null));

        subscription.close();

        assertEquals(0, subscriptions.offer(message("a", QoS.AT_LEAST_ONCE), false).delivered());
        assertEquals(0, subscriptions.size());
    }

    private static Message message(String topic, QoS qos) {
        return Message.of(topic, "x", qos, false);
    }
}
