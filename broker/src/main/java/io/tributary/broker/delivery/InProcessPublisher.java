package io.tributary.broker.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link PublisherLink} of one in-process publish: its future completes when no subscriber holds it
 * back any more, which is how an in-process publisher feels back-pressure.
 *
 * <p>Concurrency: one per publish; paused and resumed from any thread, hence the atomic counter.
 */
public final class InProcessPublisher implements PublisherLink {
    private final AtomicInteger pauses = new AtomicInteger();
    private final CompletableFuture<Void> unpaused = new CompletableFuture<>();
    private volatile boolean routed;

    @Override
    public void pause() {
        pauses.incrementAndGet();
    }

    @Override
    public void resume() {
        if (pauses.decrementAndGet() == 0 && routed) {
            unpaused.complete(null);
        }
    }

    /** Called once routing is done: the future of the whole publish. */
    public CompletableFuture<Void> accepted(CompletionStage<Void> hold) {
        routed = true;
        if (pauses.get() == 0) {
            unpaused.complete(null);
        }
        return hold == null ? unpaused : unpaused.thenCombine(hold, (a, b) -> null);
    }
}
