package io.tributary.cluster.log;

import io.tributary.broker.ClusterObserver;
import io.tributary.broker.ClusterReaderStats;
import io.tributary.broker.Message;
import io.tributary.broker.cluster.LogDelivery;
import io.tributary.broker.cluster.ShareChoice;
import io.tributary.cluster.format.CheckpointRecords;
import io.tributary.cluster.format.PublishRecords;
import io.tributary.cluster.format.RecordFormat;
import io.tributary.cluster.format.RecordFormatException;
import io.tributary.cluster.topics.ClusterTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the messages topic and hands each record meant for this node to the broker, on one
 * thread of its own. It starts where this node's last checkpoint says, or at the end of the log on the node's first
 * start; every {@code checkpoint-interval} it writes, per partition, the lowest offset whose delivery has not
 * completed, so that after a {@code kill -9} the node hands again what it may not have delivered (at least once;
 * duplicates bounded by one interval and the sessions' holds).
 *
 * <p>Back-pressure: a session with a full queue pauses the reader ({@link ReaderPause}); it also waits while more
 * than {@value #MAX_PENDING} deliveries are incomplete. Nothing is dropped here.
 *
 * <p>Metrics: each record handed is told to the {@link ClusterObserver} with its latency from its origin's
 * {@code receivedAt}; {@link #stats} says the lag behind the end of the log and the incomplete deliveries as
 * of the last checkpoint interval (the lag from the consumer's last fetch, no request of its own).
 *
 * <p>Concurrency: {@link #position} is called once before the thread starts; the thread then owns the consumer.
 * {@link #state}, {@link #stats}, {@link #observe}, {@link #stopHanding} and {@link #close} may be called
 * from any thread.
 */
public final class LogReader {
    private static final Logger log = LoggerFactory.getLogger(LogReader.class);
    static final int MAX_PENDING = 10_000;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long FINAL_WAIT_MILLIS = 5_000;

    private final Consumer<String, byte[]> consumer;
    private final MessageLog messageLog;
    private final ClusterTopics topics;
    private final String node;
    private final long checkpointIntervalNanos;
    private final CheckpointWriter checkpoints;
    private final ReaderPause pause = new ReaderPause();
    private final CountDownLatch handingStopped = new CountDownLatch(1);
    private PartitionProgress[] progress;
    private long[] lastWritten;
    /** When the next checkpoint is due, by {@link System#nanoTime()}; the reader thread's own. */
    private long checkpointDue;
    private volatile boolean handing = true;
    private volatile String state = "down: starting";
    /** The reader waits for {@value #MAX_PENDING} incomplete deliveries: readiness says so. Reader thread only. */
    private boolean stalled;
    private Thread thread;
    private volatile ClusterObserver observer = ClusterObserver.NONE;
    /** Records behind the end, summed over the partitions whose lag the consumer knows; -1 before it knows any. */
    private volatile long lagRecords = -1;
    /** Deliveries handed and not completed, as of the last count. */
    private volatile int pendingDeliveries;

    public LogReader(Consumer<String, byte[]> consumer, MessageLog messageLog, CheckpointWriter checkpoints,
                     ClusterTopics topics, String node, Duration checkpointInterval) {
        this.consumer = consumer;
        this.checkpoints = checkpoints;
        this.messageLog = messageLog;
        this.topics = topics;
        this.node = node;
        this.checkpointIntervalNanos = checkpointInterval.toNanos();
    }

    /**
     * Reads this node's checkpoint and sets the start of every messages partition: from the checkpoint after a
     * restart, at the end of the log on the first start. Once it returns, every record appended later is read.
     *
     * @throws RecordFormatException if the checkpoint was written by a newer format
     */
    public void position() {
        long[] checkpoint = readCheckpoint();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < topics.messagePartitions(); p++) {
            partitions.add(new TopicPartition(topics.messages(), p));
        }
        consumer.assign(partitions);
        if (checkpoint != null && checkpoint.length == partitions.size()) {
            for (int p = 0; p < checkpoint.length; p++) {
                consumer.seek(partitions.get(p), checkpoint[p]);
            }
            log.info("cluster node {} reads {} from its checkpoint", node, topics.messages());
        } else {
            consumer.seekToEnd(partitions);
            log.info("cluster node {} has no checkpoint: it reads {} from its end", node, topics.messages());
        }
        progress = new PartitionProgress[partitions.size()];
        lastWritten = new long[partitions.size()];
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        for (int p = 0; p < partitions.size(); p++) {
            long start = consumer.position(partitions.get(p)); // resolved now, not at the first poll
            long first = beginnings.getOrDefault(partitions.get(p), 0L);
            if (checkpoint != null && checkpoint.length == partitions.size() && checkpoint[p] < first) {
                log.warn("cluster node {}: {}-{} lost offsets {} to {} to retention while this node was away",
                        node, topics.messages(), p, checkpoint[p], first - 1);
            }
            progress[p] = new PartitionProgress(start);
            lastWritten[p] = start;
        }
        checkpoints.messagePositions(lastWritten); // before anyone else writes this node's checkpoint
        if (checkpoint == null || checkpoint.length != partitions.size()) {
            // At once, and durable before any route runs: a node killed before its first interval must not start
            // from the end again, past the commands appended meanwhile.
            try {
                writeCheckpoint(lastWritten).toCompletableFuture().get(FINAL_WAIT_MILLIS * 6, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot write the first checkpoint of node " + node + " to "
                        + topics.sessions() + ": " + (e.getCause() != null ? e.getCause() : e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing the first checkpoint", e);
            }
        }
    }

    /** The last checkpoint of this node in the sessions topic, or null. */
    private long[] readCheckpoint() {
        String key = CheckpointRecords.key(node);
        TopicPartition partition = new TopicPartition(topics.sessions(), topics.sessionsPartition(key));
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        long[] found = null;
        while (consumer.position(partition) < end) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (key.equals(record.key())) {
                    found = record.value() == null ? null : CheckpointRecords.decode(record.value(),
                            where(record)).messagePositions();
                }
            }
        }
        return found;
    }

    /** Starts the thread that hands records to {@code delivery}. */
    public synchronized void start(LogDelivery delivery) {
        if (thread != null) {
            throw new IllegalStateException("the log reader runs already");
        }
        thread = new Thread(() -> run(delivery), "tributary-cluster-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(LogDelivery delivery) {
        state = "up: node " + node;
        checkpointDue = System.nanoTime() + checkpointIntervalNanos;
        try {
            reading:
            while (handing) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!awaitRoom()) {
                        break reading;
                    }
                    hand(record, delivery);
                    checkpointWhenDue();
                }
                checkpointWhenDue();
            }
            state = "down: node " + node + " is stopping";
        } catch (RecordFormatException e) {
            state = "down: " + e.getMessage();
            log.error("cluster node {} stops reading the log: {}", node, e.getMessage());
        } catch (InterruptedException e) {
            state = "down: node " + node + " is stopping";
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            state = "down: the log reader failed: " + e;
            log.error("cluster node {}: the log reader failed", node, e);
        } finally {
            handingStopped.countDown();
        }
        finalCheckpoint();
    }

    private void checkpointWhenDue() {
        if (System.nanoTime() - checkpointDue >= 0) {
            checkpoint();
            measure();
            checkpointDue = System.nanoTime() + checkpointIntervalNanos;
        }
    }

    /** Counts the lag (from the consumer's last fetch responses) and the incomplete deliveries, for metrics. */
    private void measure() {
        long lag = -1;
        int pending = 0;
        for (int p = 0; p < progress.length; p++) {
            OptionalLong partitionLag = consumer.currentLag(new TopicPartition(topics.messages(), p));
            if (partitionLag.isPresent()) {
                lag = Math.max(lag, 0) + partitionLag.getAsLong();
            }
            pending += progress[p].prune();
        }
        lagRecords = lag;
        pendingDeliveries = pending;
    }

    /** Waits while a session pauses the reader or too many deliveries are incomplete; false once stopping. */
    private boolean awaitRoom() throws InterruptedException {
        while (handing) {
            if (pause.paused()) {
                pause.awaitResume(50);
                checkpointWhenDue(); // what was delivered before the pause still moves the checkpoint
                continue;
            }
            int pending = 0;
            for (PartitionProgress partition : progress) {
                pending += partition.prune();
            }
            pendingDeliveries = pending;
            if (pending < MAX_PENDING) {
                if (stalled) {
                    stalled = false;
                    state = "up: node " + node;
                    log.info("cluster node {} reads the log again: its deliveries completed", node);
                }
                return true;
            }
            if (!stalled) {
                // Normally sessions complete deliveries quickly; a session journal that fails to write keeps its
                // record pending (to be delivered again after a restart), and enough of them stop the reader.
                stalled = true;
                state = "down: node " + node + " waits for " + pending + " deliveries of the log to complete";
                log.warn("cluster node {} stops reading the log: {} deliveries are incomplete (a failed session "
                        + "journal write keeps its record pending until a restart)", node, pending);
            }
            pause.awaitWake(10);
            checkpointWhenDue();
        }
        return false;
    }

    private void hand(ConsumerRecord<String, byte[]> record, LogDelivery delivery) {
        PartitionProgress partition = progress[record.partition()];
        Header to = record.headers().lastHeader(RecordFormat.TO_HEADER);
        if (to != null && !addressed(new String(to.value(), StandardCharsets.UTF_8))) {
            partition.handed(record.offset(), null);
            observer.skipped();
            return;
        }
        Message message = PublishRecords.decode(record.value(), where(record));
        Header origin = record.headers().lastHeader(RecordFormat.NODE_HEADER);
        boolean fromThisNode = origin != null && node.equals(new String(origin.value(), StandardCharsets.UTF_8));
        Header share = record.headers().lastHeader(RecordFormat.SHARE_HEADER);
        List<ShareChoice> shares = share == null ? null : PublishRecords.decodeShares(share.value(), where(record));
        partition.handed(record.offset(), delivery.deliver(message, fromThisNode, shares, pause));
        // Another node's clock may run ahead of this one's: a negative latency counts as none.
        observer.delivered(Math.max(0, System.currentTimeMillis() - message.receivedAtMillis()));
    }

    private boolean addressed(String to) {
        if (RecordFormat.EVERY_NODE.equals(to)) {
            return true;
        }
        for (String name : to.split(",")) {
            if (name.equals(node)) {
                return true;
            }
        }
        return false;
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + " at offset " + record.offset();
    }

    /** Writes the checkpoint when it moved since the last one written. */
    private void checkpoint() {
        long[] positions = new long[progress.length];
        for (int p = 0; p < progress.length; p++) {
            positions[p] = progress[p].checkpoint();
        }
        if (Arrays.equals(positions, lastWritten)) {
            return;
        }
        lastWritten = positions;
        writeCheckpoint(positions).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("cluster node {} could not write its checkpoint: {}", node, failure.toString());
            }
        });
    }

    private CompletionStage<Void> writeCheckpoint(long[] positions) {
        checkpoints.messagePositions(positions);
        return checkpoints.write();
    }

    /** Waits a little for the deliveries under way, writes the last checkpoint, and closes the consumer. */
    private void finalCheckpoint() {
        try {
            List<CompletableFuture<?>> stages = new ArrayList<>();
            for (PartitionProgress partition : progress) {
                stages.addAll(Arrays.asList(partition.pendingStages()));
            }
            CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0]))
                    .get(FINAL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.info("cluster node {}: deliveries still incomplete at stop are handed again at the next start",
                    node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            checkpoint();
            messageLog.flush();
        } catch (RuntimeException e) {
            log.warn("cluster node {} could not write its last checkpoint: {}", node, e.toString());
        } finally {
            consumer.close();
        }
    }

    /** Makes {@code observer} the one told of the records handed from now on. */
    public void observe(ClusterObserver observer) {
        this.observer = observer;
    }

    /** The lag and incomplete deliveries as of the last count, and whether a session pauses the reader now. */
    public ClusterReaderStats stats() {
        return new ClusterReaderStats(topics.messages(), lagRecords, pendingDeliveries, pause.paused());
    }

    /** {@code up: node NAME} while records are handed, {@code down: why} otherwise. */
    public String state() {
        return state;
    }

    /** Stops handing records, and returns once none is being handed. */
    public void stopHanding() {
        handing = false;
        pause.wake();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running == null || running == Thread.currentThread()) {
            return;
        }
        try {
            handingStopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops, writes the last checkpoint and closes the consumer; waits for the thread. */
    public void close() {
        stopHanding();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running == null) {
            consumer.close();
            return;
        }
        try {
            running.join(FINAL_WAIT_MILLIS * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
