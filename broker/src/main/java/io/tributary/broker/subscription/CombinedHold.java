package io.tributary.broker.subscription;

import io.tributary.broker.PayloadRefusedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One stage for what the subscribers of a message hold its publisher's acknowledgement with. It completes once
 * every hold has. A hold that failed fails it, so the publisher resends, except a payload refusal (the subscriber
 * dead-lettered a message it cannot use): that one is reported only when every subscriber offered the message
 * refused it. When another subscriber took the message, the publisher is simply acknowledged.
 */
final class CombinedHold {

    private CombinedHold() {
    }

    /**
     * @param holds the holds, at least one
     * @param offered how many subscribers were offered the message, holding or not
     */
    static CompletionStage<Void> of(List<CompletionStage<Void>> holds, int offered) {
        CompletableFuture<Void> combined = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(holds.size());
        AtomicInteger refusals = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<PayloadRefusedException> refusal = new AtomicReference<>();
        for (CompletionStage<Void> hold : holds) {
            hold.whenComplete((ignored, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof PayloadRefusedException refused) {
                        refusals.incrementAndGet();
                        refusal.compareAndSet(null, refused);
                    } else {
                        failure.compareAndSet(null, cause);
                    }
                }
                if (remaining.decrementAndGet() == 0) {
                    if (failure.get() != null) {
                        combined.completeExceptionally(failure.get());
                    } else if (refusals.get() >= offered) {
                        combined.completeExceptionally(refusal.get());
                    } else {
                        combined.complete(null);
                    }
                }
            });
        }
        return combined;
    }
}
