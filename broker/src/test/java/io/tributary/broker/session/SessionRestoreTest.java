package io.tributary.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.tributary.broker.Authorizer;
import io.tributary.broker.BrokerState;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.stats.BrokerCounters;
import io.tributary.broker.subscription.SubscriptionTree;
import io.tributary.testsupport.await.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions saved and restored by {@link SessionRegistry}, without sockets: expiry and delayed wills go on
 * counting from when the session went offline, and restored deliveries follow the same rules as live ones.
 */
class SessionRestoreTest {
    private final BrokerCounters counters = new BrokerCounters();
    private final SubscriptionTree tree = new SubscriptionTree();
    private final DefaultEventLoop timers = new DefaultEventLoop();
    private final List<WillMessage> published = new CopyOnWriteArrayList<>();
    private final FakeLink link = new FakeLink();

    @AfterEach
    void stop() {
        link.close();
        timers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    private SessionRegistry registry(int maxQueued, QueueFullPolicy policy) {
        return new SessionRegistry(tree, new SessionLimits(maxQueued, 10, policy), counters, timers, published::add);
    }

    private static Message message(String payload, Long expirySeconds, long receivedAt) {
        return new Message("t/" + payload, payload.getBytes(), QoS.AT_LEAST_ONCE, false,
                MessageProperties.NONE.withMessageExpirySeconds(expirySeconds), "publisher", receivedAt);
    }

    private static BrokerState.Delivery delivery(Message message) {
        return new BrokerState.Delivery(message, message.qos(), false, List.of());
    }

    private static BrokerState.SessionState saved(String clientId, long expirySeconds, long offlineSince,
                                                  List<BrokerState.InFlightDelivery> inFlight,
                                                  List<BrokerState.Delivery> queued, BrokerState.WillState will) {
        return new BrokerState.SessionState(clientId, null, true, 5, expirySeconds, offlineSince,
                List.of(new BrokerState.SubscriptionState("t/#", QoS.EXACTLY_ONCE, false, false, 0, 0),
                        new BrokerState.SubscriptionState("$share/g/t/#", QoS.AT_LEAST_ONCE, false, false, 0, 0)),
                List.of(), inFlight, queued, will);
    }

    @Test
    void onlyInboundQos2IdentifiersWhoseMessageWasAcceptedAreSaved() {
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        Session session = registry.connect("c", 5, true, 60, null, link).session();
        session.startInboundQos2(1); // its acknowledgement still held when the broker stopped
        session.startInboundQos2(2);
        session.acceptInboundQos2(2);
        registry.disconnected(session, link, false, 60);
        assertEquals(List.of(2), registry.snapshot(System.currentTimeMillis()).get(0).inboundQos2PacketIds());
    }

    @Test
    void aSessionWhoseExpiryPassedWhileTheBrokerWasDownIsNotRestoredAndItsWillIsDue() {
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        long now = System.currentTimeMillis();
        Message will = message("bye", null, now - 5_000);
        List<WillMessage> due = registry.restore(List.of(saved("gone", 3, now - 5_000, List.of(), List.of(),
                new BrokerState.WillState(will, 60))), now, 0xFFFF_FFFFL);
        assertEquals(1, due.size());
        assertEquals(will, due.get(0).message());
        assertEquals(0, registry.size());
        assertEquals(0, tree.size());
        assertEquals(0, counters.sessions.sum());
    }

    @Test
    void aRestoredSessionExpiresWhenItsIntervalFromGoingOfflinePasses() {
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        long now = System.currentTimeMillis();
        registry.restore(List.of(saved("soon", 2, now - 1_000, List.of(), List.of(), null)), now, 0xFFFF_FFFFL);
        assertEquals(1, registry.size());
        assertEquals(2, tree.size());
        // One second left, not two: the interval counts from going offline, across the restart.
        Await.until(Duration.ofMillis(1_700), "the session expired", () -> registry.size() == 0);
        assertEquals(0, tree.size());
    }

    @Test
    void aLoweredExpiryCapAppliesToRestoredSessions() {
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        long now = System.currentTimeMillis();
        registry.restore(List.of(saved("forever", SessionRegistry.NEVER_EXPIRES, now - 3_000, List.of(), List.of(),
                null)), now, 2);
        assertEquals(0, registry.size());
    }

    @Test
    void aDelayedWillIsDueAtRestoreIfItsDelayPassedAndIsPublishedLaterIfNot() {
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        long now = System.currentTimeMillis();
        Message late = message("late", null, now);
        Message pending = message("pending", null, now);
        List<WillMessage> due = registry.restore(List.of(
                saved("a", 60, now - 5_000, List.of(), List.of(), new BrokerState.WillState(late, 1)),
                saved("b", 60, now - 500, List.of(), List.of(), new BrokerState.WillState(pending, 1))),
                now, 0xFFFF_FFFFL);
        assertEquals(List.of(late), due.stream().map(WillMessage::message).toList());
        assertEquals(List.of(), published);
        Await.until(Duration.ofSeconds(2), "the pending will published", () -> published.size() == 1);
        assertEquals(pending, published.get(0).message());
        assertEquals(2, registry.size(), "a published will does not end its session");
    }

    @Test
    void aClientResumingARestoredSessionGetsInFlightMessagesAgainFirstThenTheQueue() {
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        long now = System.currentTimeMillis();
        registry.restore(List.of(saved("c", 60, now, List.of(
                        new BrokerState.InFlightDelivery(7, false, delivery(message("sent", null, now))),
                        new BrokerState.InFlightDelivery(9, true, new BrokerState.Delivery(message("recd", null, now),
                                QoS.EXACTLY_ONCE, false, List.of()))),
                List.of(delivery(message("q1", null, now)), delivery(message("q2", null, now))), null)),
                now, 0xFFFF_FFFFL);
        assertEquals(2, counters.inFlight.sum());
        assertEquals(2, counters.queued.sum());
        SessionRegistry.Attachment attachment = registry.connect("c", 5, false, 60, null, link);
        assertTrue(attachment.sessionPresent());
        link.run();
        List<String> written = new ArrayList<>();
        for (FakeLink.Written w : link.take()) {
            written.add(w.kind() + " " + w.packetId() + (w.duplicate() ? " dup" : "") + " " + w.payload());
        }
        assertEquals(List.of("PUBLISH 7 dup sent", "PUBREL 9 null", "PUBLISH 1 q1", "PUBLISH 2 q2"), written);
    }

    @Test
    void queuedMessagesThatExpiredWhileDownAreDroppedButInFlightOnesAreStillResent() {
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        long now = System.currentTimeMillis();
        Message expired = message("expired", 1L, now - 2_000);
        registry.restore(List.of(saved("c", 60, now, List.of(new BrokerState.InFlightDelivery(3, false,
                        delivery(expired))),
                List.of(delivery(expired), delivery(message("fresh", 60L, now - 2_000))), null)), now, 0xFFFF_FFFFL);
        assertEquals(1, counters.expired.sum());
        registry.connect("c", 5, false, 60, null, link);
        link.run();
        // Delivery of the in-flight one had started: it is completed [MQTT-3.3.2-5 applies to undelivered ones].
        assertEquals(List.of("expired", "fresh"), link.take().stream().map(FakeLink.Written::payload).toList());
    }

    @Test
    void theOfflineQueueBoundAppliesToARestoredQueueByThePolicy() {
        long now = System.currentTimeMillis();
        List<BrokerState.Delivery> five = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            five.add(delivery(message("m" + i, null, now)));
        }
        SessionRegistry keepOldest = registry(3, QueueFullPolicy.DROP_NEW);
        keepOldest.restore(List.of(saved("new", 60, now, List.of(), five, null)), now, 0xFFFF_FFFFL);
        assertEquals(3, keepOldest.get("new").queuedCount());
        assertEquals(2, counters.droppedQueueFull.sum());
        keepOldest.connect("new", 5, false, 60, null, link);
        link.run();
        assertEquals(List.of("m1", "m2", "m3"), link.take().stream().map(FakeLink.Written::payload).toList());

        SessionRegistry keepNewest = registry(3, QueueFullPolicy.DROP_OLDEST);
        keepNewest.restore(List.of(saved("old", 60, now, List.of(), five, null)), now, 0xFFFF_FFFFL);
        FakeLink other = new FakeLink();
        try {
            keepNewest.connect("old", 5, false, 60, null, other);
            other.run();
            assertEquals(List.of("m3", "m4", "m5"), other.take().stream().map(FakeLink.Written::payload).toList());
        } finally {
            other.close();
        }
    }

    @Test
    void theUserNameAClientConnectedWithIsSavedAndAnAnonymousOneIsSavedAsKnown() {
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        link.username = "alice";
        registry.disconnected(registry.connect("named", 5, true, 60, null, link).session(), link, false, 60);
        FakeLink anonymous = new FakeLink();
        try {
            registry.disconnected(registry.connect("anon", 5, true, 60, null, anonymous).session(), anonymous, false,
                    60);
        } finally {
            anonymous.close();
        }
        List<BrokerState.SessionState> saved = registry.snapshot(System.currentTimeMillis());
        BrokerState.SessionState named = saved.stream().filter(s -> s.clientId().equals("named")).findFirst()
                .orElseThrow();
        BrokerState.SessionState anon = saved.stream().filter(s -> s.clientId().equals("anon")).findFirst()
                .orElseThrow();
        assertEquals("alice", named.username());
        assertTrue(named.usernameKnown());
        assertNull(anon.username());
        assertTrue(anon.usernameKnown());
    }

    @Test
    void aRestoredSessionIsAuthorizedAsItsSavedUserAndOneOfUnknownUserReceivesNothing() {
        List<ClientInfo> asked = new CopyOnWriteArrayList<>();
        Authorizer ownTopicsOnly = new Authorizer() {
            @Override
            public boolean mayPublish(ClientInfo client, String topic) {
                return false;
            }

            @Override
            public boolean maySubscribe(ClientInfo client, String filter) {
                return true;
            }

            @Override
            public boolean mayRead(ClientInfo client, String topic) {
                asked.add(client);
                return topic.startsWith("u/" + client.username() + "/");
            }
        };
        long now = System.currentTimeMillis();
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        registry.authorizeRestoredWith(ownTopicsOnly);
        registry.restore(List.of(
                new BrokerState.SessionState("known", "alice", true, 5, 60, now, List.of(), List.of(), List.of(),
                        List.of(), null),
                new BrokerState.SessionState("unknown", null, false, 4, 60, now, List.of(), List.of(), List.of(),
                        List.of(), null)), now, 0xFFFF_FFFFL);

        assertTrue(registry.get("known").mayReceive("u/alice/x"));
        assertFalse(registry.get("known").mayReceive("u/bob/x"));
        ClientInfo client = asked.get(0);
        assertEquals("known", client.clientId());
        assertEquals(SessionRegistry.RESTORED_LISTENER, client.listener());
        assertEquals(5, client.protocolVersion());
        assertNull(client.remoteAddress());
        asked.clear();
        assertFalse(registry.get("unknown").mayReceive("u/null/x"));
        assertTrue(asked.isEmpty(), "a session of unknown user is not authorized as anyone");
    }

    @Test
    void withoutAccessRulesARestoredSessionOfUnknownUserReceivesEverything() {
        long now = System.currentTimeMillis();
        SessionRegistry registry = registry(10, QueueFullPolicy.DROP_NEW);
        registry.restore(List.of(new BrokerState.SessionState("unknown", null, false, 5, 60, now, List.of(),
                List.of(), List.of(), List.of(), null)), now, 0xFFFF_FFFFL);
        assertTrue(registry.get("unknown").mayReceive("any/topic"));
    }
}
