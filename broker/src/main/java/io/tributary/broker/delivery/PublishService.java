package io.tributary.broker.delivery;

import io.tributary.broker.Message;
import io.tributary.broker.PublishInterceptor;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.stats.BrokerCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The publish path every message takes, from a client or from the in-process API: interceptors,
 * the retained store, then the subscribers.
 */
public final class PublishService {
    private final MessageRouter router;
    private final RetainedStore retained;
    private final List<PublishInterceptor> interceptors;
    private final BrokerCounters counters;

    public PublishService(MessageRouter router, RetainedStore retained, List<PublishInterceptor> interceptors,
                          BrokerCounters counters) {
        this.router = router;
        this.retained = retained;
        this.interceptors = List.copyOf(interceptors);
        this.counters = counters;
    }

    /**
     * Publishes {@code message}.
     *
     * @param publisher whom slow subscribers may pause, or null
     * @param intercept whether the interceptors see it (client publishes, not the broker's own)
     * @return what the publisher's acknowledgement waits for, or null if nothing
     */
    public CompletionStage<Void> publish(Message message, PublisherLink publisher, boolean intercept) {
        counters.messagesReceived.increment(message.qos());
        return deliver(message, publisher, intercept);
    }

    /**
     * Publishes a message of the broker's own (the {@code $SYS} topics): retained and routed like any other,
     * but neither intercepted nor counted as received, so that reporting the counters does not change them.
     */
    public void publishOwn(Message message) {
        deliver(message, null, false);
    }

    private CompletionStage<Void> deliver(Message message, PublisherLink publisher, boolean intercept) {
        List<CompletionStage<Void>> holds = null;
        if (intercept && !interceptors.isEmpty()) {
            holds = new ArrayList<>(interceptors.size() + 1);
            for (PublishInterceptor interceptor : interceptors) {
                holds.add(interceptor.onPublish(message));
            }
        }
        if (message.retain()) {
            if (message.payload().length == 0) {
                retained.remove(message.topic()); // [MQTT-3.3.1-6], and not stored [MQTT-3.3.1-7]
            } else {
                retained.put(message);
            }
        }
        if (holds == null) {
            holds = new ArrayList<>(0);
        }
        router.route(message, publisher, holds);
        return combine(holds);
    }

    private static CompletionStage<Void> combine(List<CompletionStage<Void>> holds) {
        if (holds.isEmpty()) {
            return null;
        }
        if (holds.size() == 1) {
            return holds.get(0);
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[holds.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = holds.get(i).toCompletableFuture();
        }
        return CompletableFuture.allOf(all);
    }
}
