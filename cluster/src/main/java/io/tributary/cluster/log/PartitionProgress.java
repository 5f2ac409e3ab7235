package io.tributary.cluster.log;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How far one messages partition is delivered on this node: the records handed to the broker whose delivery
 * stage has not completed yet, and the offset after the last one handed. The checkpoint is the lowest offset
 * still pending, so that a node killed and restarted hands again what it may not have delivered.
 *
 * <p>Concurrency: used by the log reader's thread only.
 */
final class PartitionProgress {
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long next;

    PartitionProgress(long start) {
        this.next = start;
    }

    /** Records the record at {@code offset} as handed; {@code stage} null when nothing waits for it. */
    void handed(long offset, CompletionStage<Void> stage) {
        if (stage != null) {
            CompletableFuture<Void> future = stage.toCompletableFuture();
            if (!future.isDone() || future.isCompletedExceptionally()) {
                pending.add(new Pending(offset, future));
            }
        }
        next = offset + 1;
    }

    /** Drops the completed stages at the head; returns how many stay pending. */
    int prune() {
        while (!pending.isEmpty() && pending.peek().future().isDone()) {
            Pending head = pending.peek();
            if (head.future().isCompletedExceptionally()) {
                // A session journal that failed to write: kept, so that a restart delivers it again.
                break;
            }
            pending.poll();
        }
        return pending.size();
    }

    /** The offset from which a restart must read: the first record not known delivered. */
    long checkpoint() {
        prune();
        return pending.isEmpty() ? next : pending.peek().offset();
    }

    /** Every stage still pending, for a final checkpoint that waits for them. */
    CompletableFuture<?>[] pendingStages() {
        return pending.stream().map(Pending::future).toArray(CompletableFuture<?>[]::new);
    }

    private record Pending(long offset, CompletableFuture<Void> future) {
    }
}
