package io.tributary.broker.delivery;

import io.tributary.broker.Message;
import io.tributary.broker.PublishInterceptor;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.logging.LogSafe;
import io.tributary.broker.stats.BrokerCounters;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish path every message takes, from a client or from the in-process API: interceptors,
 * the retained store, then the subscribers. It returns what the publisher's acknowledgement waits for;
 * {@link PublisherAcks} (a client) or {@link InProcessPublisher} (the in-process API) does the waiting.
 *
 * <p>Concurrency: called on any publisher's thread at once; it keeps no state of its own.
 */
public final class PublishService {
    private static final Logger log = LoggerFactory.getLogger(PublishService.class);
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Router router;
    private final RetainedStore retained;
    private final PublishInterceptor[] interceptors;
    private final BrokerCounters counters;
    private final AtomicLong nextRefusalLog = new AtomicLong(System.nanoTime());
    /** Where retained messages are written as they change, or null. Set before the broker takes publishes. */
    private volatile RetainedJournal retainedJournal;

    public PublishService(Router router, RetainedStore retained, List<PublishInterceptor> interceptors,
                          BrokerCounters counters) {
        this.router = router;
        this.retained = retained;
        this.interceptors = interceptors.toArray(new PublishInterceptor[0]);
        this.counters = counters;
    }

    /** From now on retained messages are written to {@code journal}, and their publishers' PUBACKs wait for it. */
    public void journalRetainedTo(RetainedJournal journal) {
        this.retainedJournal = journal;
    }

    /**
     * Publishes {@code message}.
     *
     * @param publisher whom slow subscribers may pause, or null
     * @param intercept whether the interceptors see it (client publishes, not the broker's own)
     * @return what the publisher's acknowledgement waits for (exceptionally if one of them failed, once all
     *     have completed), or null if nothing
     */
    public CompletionStage<Void> publish(Message message, PublisherLink publisher, boolean intercept) {
        counters.messagesReceived.increment(message.qos());
        return deliver(message, publisher, intercept, router);
    }

    /**
     * Publishes an in-process message through {@code via} instead of this service's router, without interceptors:
     * in a cluster, in-process publishes take the cluster's log to the MQTT sessions of every node.
     */
    public CompletionStage<Void> publishVia(Router via, Message message, PublisherLink publisher) {
        counters.messagesReceived.increment(message.qos());
        return deliver(message, publisher, false, via);
    }

    /**
     * Publishes a message of the broker's own (the {@code $SYS} topics): retained and routed like any other,
     * but neither intercepted nor counted as received, so that reporting the counters does not change them.
     */
    public void publishOwn(Message message) {
        deliver(message, null, false, router);
    }

    private CompletionStage<Void> deliver(Message message, PublisherLink publisher, boolean intercept,
                                          Router router) {
        CompletionStage<?>[] intercepted = null;
        if (intercept && interceptors.length > 0) {
            intercepted = new CompletionStage<?>[interceptors.length];
            for (int i = 0; i < interceptors.length; i++) {
                intercepted[i] = interceptors[i].onPublish(message);
            }
        }
        CompletionStage<Void> stored = null;
        if (message.retain()) {
            RetainedJournal journal = retainedJournal;
            if (message.payload().length == 0) {
                retained.remove(message.topic()); // [MQTT-3.3.1-6], and not stored [MQTT-3.3.1-7]
                stored = journal == null ? null : journal.clearRetained(message.topic());
            } else if (!retained.put(message)) {
                // Past the store's limits: the message is still delivered, only its retain is dropped.
                retainedRefused(message);
            } else if (journal != null) {
                stored = journal.retain(message);
            }
        }
        CompletionStage<Void> routed = router.route(message, publisher).hold();
        if (stored != null) {
            routed = routed == null ? stored : routed.thenCombine(stored, (a, b) -> null);
        }
        return intercepted == null ? routed : allOf(intercepted, routed);
    }

    /**
     * True if the retained store has no room for {@code message} (a retained one with a payload) now: then it is
     * counted and logged as refused, and the caller refuses the publish.
     */
    public boolean refusesRetained(Message message) {
        if (retained.hasRoomFor(message)) {
            return false;
        }
        retainedRefused(message);
        return true;
    }

    /** Counts a retained message refused for the store's limits; logs one line per interval at most. */
    private void retainedRefused(Message message) {
        counters.retainedRefused.increment();
        long now = System.nanoTime();
        long due = nextRefusalLog.get();
        if (now - due >= 0 && nextRefusalLog.compareAndSet(due, now + REFUSAL_LOG_INTERVAL_NANOS)) {
            log.warn("the retained store is full (max-retained-messages / max-retained-bytes): not retained, "
                            + "topic '{}' from '{}'; {} refused so far", LogSafe.text(message.topic()),
                    LogSafe.text(String.valueOf(message.publisherId())), counters.retainedRefused.sum());
        }
    }

    /** A client's text as a log shows it: at most 100 characters, control characters replaced. */
    /** The interceptors' stages first, then the subscribers': one stage, or the only one as it is. */
    @SuppressWarnings("unchecked")
    private static CompletionStage<Void> allOf(CompletionStage<?>[] intercepted, CompletionStage<Void> routed) {
        int count = intercepted.length + (routed == null ? 0 : 1);
        if (count == 1) {
            return (CompletionStage<Void>) intercepted[0];
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[count];
        for (int i = 0; i < intercepted.length; i++) {
            all[i] = intercepted[i].toCompletableFuture();
        }
        if (routed != null) {
            all[intercepted.length] = routed.toCompletableFuture();
        }
        return CompletableFuture.allOf(all);
    }
}
