package io.tributary.broker;

import java.util.concurrent.CompletionStage;

/**
 * Sees every message a client publishes, after it was authorized and before it is acknowledged.
 *
 * <p>The returned stage holds back the publisher's PUBACK (QoS 1) or PUBREC (QoS 2) until it completes.
 * A stage that fails turns into a negative acknowledgement for an MQTT 5 publisher (reason 0x80,
 * or the code of a {@link PublishRejectedException}); an MQTT 3.1.1 publisher, which has no negative
 * acknowledgement, is disconnected without one so that it publishes again. Called on an I/O thread:
 * it must not block.
 */
@FunctionalInterface
public interface PublishInterceptor {
    CompletionStage<Void> onPublish(Message message);
}
