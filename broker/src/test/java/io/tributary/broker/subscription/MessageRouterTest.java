package io.tributary.broker.subscription;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Message;
import io.tributary.broker.PayloadRefusedException;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.delivery.Router;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.topic.TopicFilter;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * {@link MessageRouter} over a real {@link SubscriptionTree} with fake subscribers: one copy per subscriber,
 * QoS, retain flag, subscription identifiers, No Local and shared groups.
 */
class MessageRouterTest {
    private final SubscriptionTree tree = new SubscriptionTree();
    private final MessageRouter router = new MessageRouter(tree);

    private static Subscription sub(FakeSubscriber s, String filter, QoS qos, boolean noLocal, boolean rap, int id) {
        return new Subscription(s, TopicFilter.parse(filter), qos, noLocal, rap, 0, id);
    }

    private static Message message(String topic, QoS qos, boolean retain, String publisher) {
        return new Message(topic, new byte[] {1}, qos, retain, MessageProperties.NONE, publisher, 0L);
    }

    private static int[] sorted(int[] ids) {
        int[] copy = ids.clone();
        Arrays.sort(copy);
        return copy;
    }

    @Test
    void singleSubscriptionGetsTheMinimumQosAndItsIdentifier() {
        FakeSubscriber a = new FakeSubscriber("a");
        tree.add(sub(a, "t/+", QoS.AT_LEAST_ONCE, false, false, 7));
        assertEquals(1, router.route(message("t/1", QoS.EXACTLY_ONCE, false, "p"), null).offered());
        OutboundMessage out = a.offered.get(0);
        assertEquals(QoS.AT_LEAST_ONCE, out.qos(), "min of published and granted [MQTT-3.8.4-8]");
        assertArrayEquals(new int[] {7}, out.subscriptionIds());
        assertFalse(out.retain());
        router.route(message("t/1", QoS.AT_MOST_ONCE, false, "p"), null);
        assertEquals(QoS.AT_MOST_ONCE, a.offered.get(1).qos(), "never upgraded");
    }

    @Test
    void overlappingSubscriptionsGiveOneCopyAtTheHighestQosWithEveryIdentifier() {
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        tree.add(sub(a, "o/#", QoS.AT_MOST_ONCE, false, false, 1));
        tree.add(sub(a, "o/+", QoS.EXACTLY_ONCE, false, false, 2));
        tree.add(sub(a, "o/x", QoS.AT_LEAST_ONCE, false, false, 0));
        tree.add(sub(b, "o/x", QoS.AT_LEAST_ONCE, false, false, 3));
        assertEquals(2, router.route(message("o/x", QoS.EXACTLY_ONCE, false, "p"), null).offered());
        // One copy at the maximum QoS of the matching subscriptions [MQTT-3.3.4-2], carrying all their
        // identifiers [MQTT-3.3.4-4].
        assertEquals(1, a.offered.size());
        assertEquals(QoS.EXACTLY_ONCE, a.offered.get(0).qos());
        assertArrayEquals(new int[] {1, 2}, sorted(a.offered.get(0).subscriptionIds()));
        assertEquals(1, b.offered.size());
        assertArrayEquals(new int[] {3}, b.offered.get(0).subscriptionIds());
    }

    @Test
    void overlappingQosIsStillCappedByThePublishedQos() {
        FakeSubscriber a = new FakeSubscriber("a");
        tree.add(sub(a, "c/#", QoS.EXACTLY_ONCE, false, false, 0));
        tree.add(sub(a, "c/+", QoS.AT_LEAST_ONCE, false, false, 0));
        router.route(message("c/x", QoS.AT_MOST_ONCE, false, "p"), null);
        assertEquals(QoS.AT_MOST_ONCE, a.offered.get(0).qos());
        assertEquals(0, a.offered.get(0).subscriptionIds().length);
    }

    @Test
    void retainFlagIsKeptOnlyWithRetainAsPublished() {
        FakeSubscriber keep = new FakeSubscriber("keep");
        FakeSubscriber clear = new FakeSubscriber("clear");
        FakeSubscriber mixed = new FakeSubscriber("mixed");
        tree.add(sub(keep, "r", QoS.AT_MOST_ONCE, false, true, 0));
        tree.add(sub(clear, "r", QoS.AT_MOST_ONCE, false, false, 0));
        tree.add(sub(mixed, "r", QoS.AT_MOST_ONCE, false, false, 0));
        tree.add(sub(mixed, "#", QoS.AT_MOST_ONCE, false, true, 0));
        router.route(message("r", QoS.AT_MOST_ONCE, true, "p"), null);
        // [MQTT-3.3.1-12] RETAIN 0 unless Retain As Published [MQTT-3.3.1-13].
        assertTrue(keep.offered.get(0).retain());
        assertFalse(clear.offered.get(0).retain());
        assertTrue(mixed.offered.get(0).retain(), "one of the overlapping subscriptions asked for it");
        router.route(message("r", QoS.AT_MOST_ONCE, false, "p"), null);
        assertFalse(keep.offered.get(1).retain());
    }

    @Test
    void noLocalSkipsOnlyThePublishersOwnSubscription() {
        FakeSubscriber self = new FakeSubscriber("self");
        FakeSubscriber other = new FakeSubscriber("other");
        tree.add(sub(self, "n/#", QoS.AT_MOST_ONCE, true, false, 0));
        tree.add(sub(other, "n/#", QoS.AT_MOST_ONCE, true, false, 0));
        // [MQTT-3.8.3-3]
        assertEquals(1, router.route(message("n/1", QoS.AT_MOST_ONCE, false, "self"), null).offered());
        assertTrue(self.offered.isEmpty());
        assertEquals(1, other.offered.size());
    }

    @Test
    void noLocalOnOneOfOverlappingSubscriptionsDoesNotHideTheOther() {
        FakeSubscriber self = new FakeSubscriber("self");
        tree.add(sub(self, "n/#", QoS.AT_MOST_ONCE, true, false, 1));
        tree.add(sub(self, "n/+", QoS.AT_LEAST_ONCE, false, false, 2));
        router.route(message("n/1", QoS.AT_LEAST_ONCE, false, "self"), null);
        assertEquals(1, self.offered.size());
        assertArrayEquals(new int[] {2}, self.offered.get(0).subscriptionIds(),
                "only the subscription without No Local matched");
    }

    @Test
    void eachSharedGroupGetsOneCopyForOneMemberBesideNormalSubscribers() {
        FakeSubscriber m1 = new FakeSubscriber("m1");
        FakeSubscriber m2 = new FakeSubscriber("m2");
        FakeSubscriber other = new FakeSubscriber("other");
        FakeSubscriber plain = new FakeSubscriber("plain");
        tree.add(sub(m1, "$share/g/s/+", QoS.AT_LEAST_ONCE, false, false, 4));
        tree.add(sub(m2, "$share/g/s/+", QoS.AT_MOST_ONCE, false, false, 0));
        tree.add(sub(other, "$share/h/s/#", QoS.AT_LEAST_ONCE, false, false, 0));
        tree.add(sub(plain, "s/1", QoS.AT_LEAST_ONCE, false, false, 0));
        for (int i = 0; i < 10; i++) {
            assertEquals(3, router.route(message("s/1", QoS.AT_LEAST_ONCE, false, "p"), null).offered());
        }
        assertEquals(10, m1.offered.size() + m2.offered.size(), "group g: one member per message");
        assertEquals(5, m1.offered.size(), "round robin");
        assertEquals(10, other.offered.size());
        assertEquals(10, plain.offered.size());
        assertEquals(QoS.AT_LEAST_ONCE, m1.offered.get(0).qos());
        assertArrayEquals(new int[] {4}, m1.offered.get(0).subscriptionIds());
        assertEquals(QoS.AT_MOST_ONCE, m2.offered.get(0).qos(), "the member's own granted QoS");
    }

    @Test
    void stagesReturnedBySubscribersAreCollectedAsHolds() {
        FakeSubscriber holding = new FakeSubscriber("holding");
        FakeSubscriber free = new FakeSubscriber("free");
        CompletableFuture<Void> stage = new CompletableFuture<>();
        holding.hold = stage;
        tree.add(sub(holding, "h", QoS.AT_LEAST_ONCE, false, false, 0));
        tree.add(sub(free, "h", QoS.AT_LEAST_ONCE, false, false, 0));
        Router.Routed routed = router.route(message("h", QoS.AT_LEAST_ONCE, false, "p"), null);
        assertEquals(2, routed.offered());
        assertFalse(routed.hold().toCompletableFuture().isDone());
        stage.complete(null);
        assertTrue(routed.hold().toCompletableFuture().isDone(), "completes as the one stage that holds");
    }

    @Test
    void holdOfASoleSubscriberIsPassedOnAsItIs() {
        FakeSubscriber holding = new FakeSubscriber("holding");
        CompletableFuture<Void> stage = new CompletableFuture<>();
        holding.hold = stage;
        tree.add(sub(holding, "s", QoS.AT_LEAST_ONCE, false, false, 0));
        assertSame(stage, router.route(message("s", QoS.AT_LEAST_ONCE, false, "p"), null).hold());
    }

    @Test
    void payloadRefusalReachesThePublisherOnlyWhenNoSubscriberTookTheMessage() {
        FakeSubscriber route = new FakeSubscriber("route");
        FakeSubscriber device = new FakeSubscriber("device");
        route.hold = CompletableFuture.failedFuture(new PayloadRefusedException("not JSON"));
        tree.add(sub(route, "p/#", QoS.AT_LEAST_ONCE, false, false, 0));
        CompletableFuture<Void> alone = router.route(message("p/x", QoS.AT_LEAST_ONCE, false, "pub"), null)
                .hold().toCompletableFuture();
        assertTrue(alone.isCompletedExceptionally(), "the route was the only subscriber: refused");

        tree.add(sub(device, "p/x", QoS.AT_LEAST_ONCE, false, false, 0));
        CompletableFuture<Void> taken = router.route(message("p/x", QoS.AT_LEAST_ONCE, false, "pub"), null)
                .hold().toCompletableFuture();
        assertTrue(taken.isDone() && !taken.isCompletedExceptionally(), "a device took it: acknowledged");

        device.hold = CompletableFuture.failedFuture(new IllegalStateException("store down"));
        CompletableFuture<Void> failed = router.route(message("p/x", QoS.AT_LEAST_ONCE, false, "pub"), null)
                .hold().toCompletableFuture();
        ExecutionException error = assertThrows(ExecutionException.class, failed::get);
        assertTrue(error.getCause() instanceof IllegalStateException, "another failure wins: the publisher resends");
    }

    @Test
    void severalHoldingSubscribersGiveOneStageThatWaitsForAll() {
        FakeSubscriber first = new FakeSubscriber("first");
        FakeSubscriber second = new FakeSubscriber("second");
        CompletableFuture<Void> one = new CompletableFuture<>();
        CompletableFuture<Void> two = new CompletableFuture<>();
        first.hold = one;
        second.hold = two;
        tree.add(sub(first, "h2", QoS.AT_LEAST_ONCE, false, false, 0));
        tree.add(sub(second, "h2", QoS.AT_LEAST_ONCE, false, false, 0));
        CompletableFuture<Void> hold = router.route(message("h2", QoS.AT_LEAST_ONCE, false, "p"), null)
                .hold().toCompletableFuture();
        one.completeExceptionally(new IllegalStateException("sink down"));
        assertFalse(hold.isDone(), "a failure is reported only once every holder completed");
        two.complete(null);
        assertTrue(hold.isCompletedExceptionally());
    }

    @Test
    void nobodyHoldingGivesNoStage() {
        tree.add(sub(new FakeSubscriber("free"), "f", QoS.AT_LEAST_ONCE, false, false, 0));
        assertNull(router.route(message("f", QoS.AT_LEAST_ONCE, false, "p"), null).hold());
    }

    @Test
    void nothingMatchingOffersToNobody() {
        tree.add(sub(new FakeSubscriber("a"), "x", QoS.AT_MOST_ONCE, false, false, 0));
        assertEquals(0, router.route(message("y", QoS.AT_MOST_ONCE, false, "p"), null).offered());
        assertEquals(0, router.route(message("$SYS/x", QoS.AT_MOST_ONCE, false, null), null).offered());
    }

    @Test
    void subscriberThatUnsubscribedAfterTheMatchHandsTheMessageToItsSuccessor() {
        // A route replaced by a reload: its successor subscribes after the message was matched, and the old one
        // refuses the offer because it closed meanwhile.
        FakeSubscriber device = new FakeSubscriber("device");
        FakeSubscriber successor = new FakeSubscriber("successor");
        CompletableFuture<Void> successorHold = new CompletableFuture<>();
        successor.hold = successorHold;
        FakeSubscriber replaced = new FakeSubscriber("replaced");
        replaced.hold = Subscriber.UNSUBSCRIBED;
        replaced.onOffer = () -> tree.add(sub(successor, "r/#", QoS.AT_LEAST_ONCE, false, false, 0));
        tree.add(sub(device, "r/+", QoS.AT_LEAST_ONCE, false, false, 0));
        tree.add(sub(replaced, "r/#", QoS.AT_LEAST_ONCE, false, false, 0));

        Router.Routed routed = router.route(message("r/1", QoS.AT_LEAST_ONCE, false, "p"), null);

        assertEquals(1, successor.offered.size(), "the successor got the message the replaced route refused");
        assertEquals(1, device.offered.size(), "a subscriber the first round reached gets no second copy");
        assertFalse(routed.hold().toCompletableFuture().isDone(), "the publisher waits for the successor");
        successorHold.complete(null);
        assertTrue(routed.hold().toCompletableFuture().isDone());
    }

    @Test
    void sharedGroupPicksAgainWhenItsMemberUnsubscribedAfterTheMatch() {
        FakeSubscriber other = new FakeSubscriber("other");
        FakeSubscriber leaving = new FakeSubscriber("leaving");
        leaving.hold = Subscriber.UNSUBSCRIBED;
        leaving.onOffer = () -> {
            leaving.ready = false;
            other.ready = true;
        };
        other.ready = false;
        tree.add(sub(leaving, "$share/grp/g/+", QoS.AT_LEAST_ONCE, false, false, 0));
        tree.add(sub(other, "$share/grp/g/+", QoS.AT_LEAST_ONCE, false, false, 0));

        router.route(message("g/1", QoS.AT_LEAST_ONCE, false, "p"), null);

        assertEquals(1, leaving.offered.size(), "the group first picked the member that was ready");
        assertEquals(1, other.offered.size(), "the group's other member got the message");
    }
}
