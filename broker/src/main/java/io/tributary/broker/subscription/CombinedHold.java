package io.tributary.broker.subscription;

import io.tributary.broker.PayloadRefusedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * One stage for what the subscribers of a message hold its publisher's acknowledgement with. It completes once
 * every hold has. A hold that failed fails it, so the publisher resends, except a payload refusal (the subscriber
 * dead-lettered a message it cannot use): that one is reported only when every subscriber offered the message
 * refused it. When another subscriber took the message, the publisher is simply acknowledged.
 *
 * <p>One object per routed message that needs it, on the publish path: the counts live in it, under its monitor.
 */
final class CombinedHold extends CompletableFuture<Void> implements BiConsumer<Void, Throwable> {

    private final int offered;
    private int remaining;
    private int refusals;
    private Throwable failure;
    private PayloadRefusedException refusal;

    private CombinedHold(int holds, int offered) {
        this.remaining = holds;
        this.offered = offered;
    }

    /**
     * @param holds the holds, at least one
     * @param offered how many subscribers were offered the message, holding or not
     */
    static CompletionStage<Void> of(List<CompletionStage<Void>> holds, int offered) {
        CombinedHold combined = new CombinedHold(holds.size(), offered);
        for (CompletionStage<Void> hold : holds) {
            hold.whenComplete(combined);
        }
        return combined;
    }

    /** One hold completed. */
    @Override
    public void accept(Void ignored, Throwable error) {
        Throwable outcome;
        synchronized (this) {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof PayloadRefusedException refused) {
                    refusals++;
                    if (refusal == null) {
                        refusal = refused;
                    }
                } else if (failure == null) {
                    failure = cause;
                }
            }
            if (--remaining > 0) {
                return;
            }
            outcome = failure != null ? failure : refusals >= offered ? refusal : null;
        }
        if (outcome == null) {
            complete(null);
        } else {
            completeExceptionally(outcome);
        }
    }
}
