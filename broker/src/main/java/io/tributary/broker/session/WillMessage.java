package io.tributary.broker.session;

import io.tributary.broker.Message;

/** A connection's Will Message and its MQTT 5 Will Delay Interval (0 for MQTT 3.1.1). */
public record WillMessage(Message message, long delaySeconds) {
}
