package io.tributary.broker;

import java.util.concurrent.CompletionStage;

/**
 * Receives the messages of an in-process subscription.
 *
 * <p>The returned stage is the acknowledgement: the subscription's in-flight window frees a slot when it
 * completes, and with {@link SubscribeOptions#holdPublisherAck()} the publisher's PUBACK or PUBREC waits
 * for it too. The broker calls the handler on one of its I/O threads: it must not block.
 */
@FunctionalInterface
public interface MessageHandler {
    CompletionStage<Void> onMessage(Message message);
}
