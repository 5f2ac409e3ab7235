package io.tributary.cluster.log;

import io.tributary.cluster.format.CheckpointRecords;
import java.util.concurrent.CompletionStage;

/**
 * Writes this node's {@code node/<N>} checkpoint, which two threads feed: the log reader its messages positions,
 * the sessions follower its applied sessions positions. Each write carries the latest of both, and writes reach the
 * producer one at a time, so the last record of the key is always the newest.
 *
 * <p>Concurrency: any thread; synchronized.
 */
public final class CheckpointWriter {
    private final MessageLog log;
    private final String node;
    private final long incarnation = System.currentTimeMillis();
    private long[] messagePositions = new long[0];
    private long[] sessionsPositions = new long[0];

    public CheckpointWriter(MessageLog log, String node) {
        this.log = log;
        this.node = node;
    }

    /** The messages positions the next write carries. */
    public synchronized void messagePositions(long[] positions) {
        this.messagePositions = positions.clone();
    }

    /** The sessions positions the next write carries. */
    public synchronized void sessionsPositions(long[] positions) {
        this.sessionsPositions = positions.clone();
    }

    /** Writes the checkpoint now; completes once durable. */
    public synchronized CompletionStage<Void> write() {
        return log.writeSessions(CheckpointRecords.key(node), CheckpointRecords.encode(
                new CheckpointRecords.Checkpoint(incarnation, System.currentTimeMillis(), sessionsPositions,
                        messagePositions)));
    }
}
