package io.tributary.broker.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.stats.BrokerCounters;
import io.tributary.broker.subscription.SubscriptionTree;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionRegistry#whenDetached} and {@link SessionRegistry#whenAllDetached}: what a test or an embedder
 * waits on instead of sleeping after a client went away.
 */
class DetachObservationTest {
    private final DefaultEventLoop timers = new DefaultEventLoop();
    private final SessionRegistry registry = new SessionRegistry(new SubscriptionTree(),
            new SessionLimits(100, 10, QueueFullPolicy.DROP_OLDEST), new BrokerCounters(), timers, will -> { });
    private final FakeLink first = new FakeLink();
    private final FakeLink second = new FakeLink();

    @AfterEach
    void stop() {
        first.close();
        second.close();
        timers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    @Test
    void anUnknownOrOfflineClientIsDetachedAlready() {
        assertTrue(registry.whenDetached("nobody").isDone());
        assertTrue(registry.whenAllDetached().isDone());
        Session session = registry.connect("c", 5, false, 60, null, first).session();
        registry.disconnected(session, first, false, 60);
        assertTrue(registry.whenDetached("c").isDone(), "its session lives on, offline");
    }

    @Test
    void theWaitCompletesWhenTheConnectionIsHandedBack() {
        Session session = registry.connect("c", 5, false, 60, null, first).session();
        CompletableFuture<Void> detached = registry.whenDetached("c");
        CompletableFuture<Void> all = registry.whenAllDetached();
        assertFalse(detached.isDone());
        registry.disconnected(session, first, false, 60);
        assertTrue(detached.isDone());
        assertTrue(all.isDone());
    }

    @Test
    void aTakeoverKeepsTheSessionAttached() {
        registry.connect("c", 5, false, 60, null, first);
        CompletableFuture<Void> detached = registry.whenDetached("c");
        Session session = registry.connect("c", 5, false, 60, null, second).session();
        registry.disconnected(session, first, false, 60); // the old connection closing: nothing to detach
        assertFalse(detached.isDone());
        registry.disconnected(session, second, false, 60);
        assertTrue(detached.isDone());
    }

    @Test
    void everySessionDetachedWaitsForTheLastOne() {
        Session one = registry.connect("one", 5, true, 0, null, first).session();
        Session two = registry.connect("two", 4, true, 0, null, second).session();
        CompletableFuture<Void> all = registry.whenAllDetached();
        registry.disconnected(one, first, false, 0);
        assertFalse(all.isDone());
        registry.disconnected(two, second, false, 0);
        assertTrue(all.isDone());
    }
}
