package io.tributary.connectors.mqtt;

import io.tributary.broker.MessageHandler;
import io.tributary.broker.QoS;
import java.util.Objects;
import java.util.Optional;

/**
 * What a route reads from a link: the messages on topics matching {@code filter}, subscribed to at {@code qos},
 * as {@code $share/GROUP/filter} with a {@code sharedGroup}. The handler's stage says when the message may be
 * acknowledged; it must not block, since it is called on the client's I/O thread.
 */
public record LinkSubscription(String filter, QoS qos, Optional<String> sharedGroup, MessageHandler handler) {

    public LinkSubscription {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(sharedGroup, "sharedGroup");
        Objects.requireNonNull(handler, "handler");
    }

    /** The filter as subscribed: behind {@code $share/GROUP/} with a shared group. */
    public String subscribedFilter() {
        return sharedGroup.map(group -> "$share/" + group + "/").orElse("") + filter;
    }
}
