package io.tributary.cluster.follow;

import io.tributary.cluster.format.RecordFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one compacted topic from its beginning: to the end offsets taken at the start, on the
 * caller's thread (before the node takes clients), then follows on a thread of its own. Each poll's records go to
 * a {@link Handler}. The retained messages and the sessions table are both kept this way.
 *
 * <p>Concurrency: {@link #follow} once; the consumer is then the follower thread's own ({@link #positions} is for
 * the handler). {@link #state} and {@link #close} from any thread.
 */
public final class TopicFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long CATCH_UP_SECONDS = 60;

    /** What a follower does with what it reads. */
    public interface Handler {
        /**
         * Applies the records of one poll (perhaps none).
         *
         * @param following false while catching up at the start, true on the follower's thread
         * @throws RecordFormatException for a record this version cannot read: the follower stops
         */
        void polled(ConsumerRecords<String, byte[]> records, boolean following);

        /** Caught up at the start: called on the caller's thread before the follower's thread starts. */
        void caughtUp(int recordsRead, long millis);

        /** The follower's thread ends (closing, or after a failure). */
        default void stopped() {
        }
    }

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final int partitions;
    private final String node;
    private final String what;
    private volatile boolean running = true;
    private volatile String state;
    private Thread thread;

    /**
     * @param what what the topic holds, as states and errors name it ("the retained messages")
     */
    public TopicFollower(Consumer<String, byte[]> consumer, String topic, int partitions, String node, String what) {
        this.consumer = consumer;
        this.topic = topic;
        this.partitions = partitions;
        this.node = node;
        this.what = what;
        this.state = "down: " + what + " not read yet";
    }

    /**
     * Catches up, then follows on the thread {@code threadName}.
     *
     * @throws IllegalStateException if the end is not reached within a minute, or a record cannot be read
     */
    public synchronized void follow(Handler handler, String threadName) {
        if (thread != null) {
            throw new IllegalStateException(what + " are followed already");
        }
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(CATCH_UP_SECONDS);
        int read = 0;
        try {
            while (!caughtUp(ends)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("cluster node " + node + " did not read " + topic
                            + " to its end within " + CATCH_UP_SECONDS + " s");
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                read += records.count();
                handler.polled(records, false);
            }
        } catch (RecordFormatException e) {
            throw new IllegalStateException("cluster node " + node + " cannot read " + what + ": " + e.getMessage(),
                    e);
        }
        handler.caughtUp(read, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        state = "up";
        thread = new Thread(() -> run(handler), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void run(Handler handler) {
        try {
            while (running) {
                handler.polled(consumer.poll(POLL), true);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RecordFormatException e) {
            state = "down: " + e.getMessage();
            log.error("cluster node {} stops following {}: {}", node, what, e.getMessage());
        } catch (RuntimeException e) {
            state = "down: the follower of " + what + " failed: " + e;
            log.error("cluster node {}: the follower of {} failed", node, what, e);
        } finally {
            consumer.close();
            handler.stopped();
        }
    }

    /** Per partition, the offset of the next record to read; for the handler, on the thread that polls. */
    public long[] positions() {
        long[] positions = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            positions[p] = consumer.position(new TopicPartition(topic, p));
        }
        return positions;
    }

    /** {@code up} once caught up and following, {@code down: why} otherwise. */
    public String state() {
        return state;
    }

    /** Stops the follower and closes its consumer. */
    @Override
    public void close() {
        Thread following;
        synchronized (this) {
            running = false;
            following = thread;
        }
        if (following == null) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            following.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
