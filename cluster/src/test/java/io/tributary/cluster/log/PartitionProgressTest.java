package io.tributary.cluster.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The checkpoint of one partition: the first record whose delivery is not known complete. */
class PartitionProgressTest {

    @Test
    void withNothingPendingTheCheckpointIsAfterTheLastRecordHanded() {
        PartitionProgress progress = new PartitionProgress(100);
        assertEquals(100, progress.checkpoint());

        progress.handed(100, null);
        progress.handed(101, CompletableFuture.completedFuture(null));

        assertEquals(102, progress.checkpoint());
    }

    @Test
    void theCheckpointStaysAtTheLowestIncompleteDelivery() {
        PartitionProgress progress = new PartitionProgress(0);
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> third = new CompletableFuture<>();
        progress.handed(0, first);
        progress.handed(1, null);
        progress.handed(2, third);

        assertEquals(0, progress.checkpoint());
        third.complete(null);
        assertEquals(0, progress.checkpoint(), "a later completion does not move it past an earlier one");
        first.complete(null);
        assertEquals(3, progress.checkpoint());
        assertEquals(0, progress.prune());
    }

    @Test
    void aFailedDeliveryHoldsTheCheckpointSoThatARestartHandsItAgain() {
        PartitionProgress progress = new PartitionProgress(7);
        progress.handed(7, CompletableFuture.failedFuture(new IllegalStateException("journal write failed")));
        progress.handed(8, null);

        assertEquals(7, progress.checkpoint());
        assertEquals(1, progress.prune());
    }
}
