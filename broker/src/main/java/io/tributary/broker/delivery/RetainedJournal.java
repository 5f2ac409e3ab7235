package io.tributary.broker.delivery;

import io.tributary.broker.Message;
import java.util.concurrent.CompletableFuture;

/**
 * Where retained messages are written as they change, so that a crash loses none whose PUBACK went out. Implemented
 * by the persistence package's store; calls never block for the disk.
 */
public interface RetainedJournal {

    /** Writes {@code message} as its topic's retained message; completes once durable. */
    CompletableFuture<Void> retain(Message message);

    /** Removes the retained message of {@code topic}; completes once durable. */
    CompletableFuture<Void> clearRetained(String topic);
}
