package io.tributary.broker.protocol;

import io.tributary.broker.BrokerConfig;
import io.tributary.broker.admission.TokenBucket;

/**
 * One client's {@code max-publish-rate} and {@code max-publish-bytes-rate}, each a token bucket holding one
 * second's worth. A client over either is not disconnected and nothing it sent is dropped: the broker stops
 * reading its socket for as long as it takes the rate to come back under the limit, and TCP makes the client
 * wait (an MQTT 5 DISCONNECT 0x96 would lose its QoS 0 messages and start a reconnect loop).
 *
 * <p>Concurrency: touched only on the connection's event loop.
 */
final class PublishRateLimit {
    /** Null when that limit is off. */
    private final TokenBucket messages;
    private final TokenBucket bytes;

    PublishRateLimit(BrokerConfig config, long nowNanos) {
        this.messages = config.maxPublishRate() == 0 ? null
                : new TokenBucket(config.maxPublishRate(), config.maxPublishRate(), nowNanos);
        this.bytes = config.maxPublishBytesRate() == 0 ? null
                : new TokenBucket(config.maxPublishBytesRate(), config.maxPublishBytesRate(), nowNanos);
    }

    /** Whether any limit is on. */
    boolean isOn() {
        return messages != null || bytes != null;
    }

    /**
     * Counts a PUBLISH that was read.
     *
     * @return nanoseconds to stop reading for, 0 if the client is within its limits
     */
    long onPublish(int payloadBytes, long nowNanos) {
        long wait = messages == null ? 0 : messages.take(1, nowNanos);
        if (bytes != null) {
            wait = Math.max(wait, bytes.take(payloadBytes, nowNanos));
        }
        return wait;
    }
}
