package io.tributary.cluster.sessions;

import io.tributary.broker.ClusterView;
import io.tributary.broker.cluster.ClusterInterest;
import io.tributary.broker.session.SessionSummary;
import io.tributary.cluster.follow.TopicFollower;
import io.tributary.cluster.format.CheckpointRecords;
import io.tributary.cluster.format.RecordFormat;
import io.tributary.cluster.format.SessionRecords;
import io.tributary.cluster.log.CheckpointWriter;
import io.tributary.cluster.log.MessageLog;
import io.tributary.cluster.topics.ClusterTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's session table in the compacted sessions topic (design §4.2), and the SUBACK barrier.
 *
 * <p>Writing: {@link #write} puts a session's {@code STATE} in its client's partition; {@link #remove} its
 * tombstone. Following: every partition from its beginning, to the end at start (before the node takes clients),
 * then on a thread of its own, into {@link ClusterInterest}; it also reads the other nodes' {@code node/<N>}
 * checkpoints. After applying another node's session change it writes this node's checkpoint at once with the
 * sessions positions it applied, and at least every {@value #HEARTBEAT_MILLIS} ms anyway, so that other nodes see
 * it is alive.
 *
 * <p>The barrier: a write completes once durable and once every live node's checkpoint says it applied the record.
 * A node is live if its checkpoint was written within the failure timeout (by its own clock: the nodes' clocks
 * are assumed close). With no other live node, durable is enough. A write not known everywhere within twice the
 * failure timeout fails (the SUBACK then refuses its filters).
 *
 * <p>Concurrency: {@link #write} and {@link #remove} on any thread at once; {@link #follow} once, and the consumer
 * is then the follower thread's own ({@link TopicFollower}), which also owns the barrier's waits (handed over
 * through a queue); {@link #state}, {@link #view} and {@link #close} from any thread ({@link #view} reads the
 * follower's concurrent maps, so it may see one record applied and not the next).
 */
public final class SessionTable implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionTable.class);
    static final long HEARTBEAT_MILLIS = 1_000;
    /** Writes waiting for the barrier at most; past it, a SUBSCRIBE is refused rather than queued without bound. */
    static final int MAX_WAITS = 100_000;

    private final TopicFollower follower;
    private final MessageLog writer;
    private final CheckpointWriter checkpoints;
    private final ClusterTopics topics;
    private final String node;
    private final long failureTimeoutNanos;
    private final long incarnation = System.currentTimeMillis();
    private final ConcurrentLinkedQueue<Wait> newWaits = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /** The follower thread's own from here on. */
    private final List<Wait> waits = new ArrayList<>();
    /** Other nodes' last checkpoints: written by the follower thread, read by the writes' callbacks too. */
    private final Map<String, Seen> nodes = new ConcurrentHashMap<>();
    /** Every node's last checkpoint time (its own clock, ms), this node's included: for {@link #view}. */
    private final Map<String, Long> checkpointTimes = new ConcurrentHashMap<>();
    /** The table's clients as the follower applied them: for {@link #view}, apart from {@link ClusterInterest}. */
    private final Map<String, ClusterView.Client> clients = new ConcurrentHashMap<>();
    /** Per sessions partition, the offset of the next record to apply; the follower thread's own. */
    private long[] applied = new long[0];
    private long heartbeatDue;

    public SessionTable(Consumer<String, byte[]> consumer, MessageLog writer, CheckpointWriter checkpoints,
                        ClusterTopics topics, String node, Duration failureTimeout) {
        this.follower = new TopicFollower(consumer, topics.sessions(), topics.sessionPartitions(), node,
                "the sessions table");
        this.writer = writer;
        this.checkpoints = checkpoints;
        this.topics = topics;
        this.node = node;
        this.failureTimeoutNanos = failureTimeout.toNanos();
    }

    /**
     * Writes what this node says of {@code session}.
     *
     * @return completes once durable and applied by every live node; exceptionally if it could not be written, or
     *     was not known everywhere within twice the failure timeout
     */
    public CompletionStage<Void> write(SessionSummary session) {
        CompletableFuture<Void> known = new CompletableFuture<>();
        if (waiting.get() >= MAX_WAITS) {
            known.completeExceptionally(new IllegalStateException(MAX_WAITS + " subscription changes wait for the "
                    + "other nodes already"));
            return known;
        }
        byte[] value = SessionRecords.encode(new SessionRecords.State(node, incarnation, SessionRecords.UNCLAIMED,
                session));
        writer.writeState(session.clientId(), value).whenComplete((written, failure) -> {
            if (failure != null) {
                known.completeExceptionally(failure);
            } else {
                Wait wait = new Wait(written.partition(), written.offset(), known);
                if (coveredEverywhere(wait, System.nanoTime())) {
                    known.complete(null); // no other live node (a one-node cluster): durable is enough
                } else {
                    waiting.incrementAndGet();
                    newWaits.add(wait);
                }
            }
        });
        return known.orTimeout(2 * failureTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Writes the tombstone of {@code clientId}'s state: its session ended on this node. */
    public void remove(String clientId) {
        writer.writeState(clientId, null).whenComplete((written, failure) -> {
            if (failure != null) {
                log.warn("cluster node {} could not remove the session of a client from {}: {}", node,
                        topics.sessions(), failure.toString());
            }
        });
    }

    /**
     * Reads every partition from its beginning to its current end into {@code table}, writes this node's
     * checkpoint with the positions applied, then follows on a thread of its own.
     *
     * @throws IllegalStateException if the end is not reached within a minute, or a record cannot be read
     */
    public void follow(ClusterInterest table) {
        follower.follow(new TopicFollower.Handler() {
            @Override
            public void polled(ConsumerRecords<String, byte[]> records, boolean following) {
                boolean othersChanged = apply(records, table);
                if (!following) {
                    return;
                }
                if (!records.isEmpty()) {
                    applied = follower.positions();
                }
                if (othersChanged || System.nanoTime() - heartbeatDue >= 0) {
                    writeCheckpoint();
                }
                checkWaits();
            }

            @Override
            public void caughtUp(int recordsRead, long millis) {
                applied = follower.positions();
                writeCheckpoint();
                log.info("cluster node {} read {} records from {} in {} ms; {} sessions in the table", node,
                        recordsRead, topics.sessions(), millis, table.size());
            }

            @Override
            public void stopped() {
                failWaits();
            }
        }, "tributary-cluster-sessions");
    }

    /** Applies the records; true if one of them changed another node's session. */
    private boolean apply(ConsumerRecords<String, byte[]> records, ClusterInterest table) {
        boolean othersChanged = false;
        for (ConsumerRecord<String, byte[]> record : records) {
            String key = record.key();
            if (key == null) {
                continue;
            }
            if (SessionRecords.isState(key)) {
                String clientId = SessionRecords.clientId(key);
                String writtenBy = writer(record);
                if (record.value() == null) {
                    // Only its owner's tombstone ends an entry: a client id seen on two nodes at once (no
                    // takeovers in this version) keeps the entry of the node that wrote last.
                    String owner = table.ownerOf(clientId);
                    if (owner != null && (owner.equals(writtenBy) || writtenBy == null)) {
                        table.remove(clientId);
                    }
                    String tombstoneBy = writtenBy;
                    clients.computeIfPresent(clientId, (id, client) ->
                            tombstoneBy == null || client.node().equals(tombstoneBy) ? null : client);
                } else {
                    SessionRecords.State decoded = SessionRecords.decode(clientId, record.value(), where(record));
                    table.put(decoded.owner(), decoded.session());
                    clients.put(clientId, new ClusterView.Client(clientId, decoded.owner(),
                            decoded.session().connected(), decoded.session().persistent()));
                    writtenBy = decoded.owner();
                }
                othersChanged |= !node.equals(writtenBy);
            } else if (key.startsWith("node/")) {
                String other = key.substring("node/".length());
                if (record.value() == null) {
                    checkpointTimes.remove(other);
                    continue;
                }
                CheckpointRecords.Checkpoint checkpoint = CheckpointRecords.decode(record.value(), where(record));
                checkpointTimes.put(other, checkpoint.writtenAtMillis());
                if (!other.equals(node)) {
                    long ageNanos = TimeUnit.MILLISECONDS.toNanos(
                            Math.max(0, System.currentTimeMillis() - checkpoint.writtenAtMillis()));
                    nodes.put(other, new Seen(System.nanoTime() - ageNanos, checkpoint.sessionsPositions()));
                }
            }
        }
        return othersChanged;
    }

    private static String writer(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(RecordFormat.NODE_HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void writeCheckpoint() {
        heartbeatDue = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS);
        checkpoints.sessionsPositions(applied);
        checkpoints.write().whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.debug("cluster node {} could not write its checkpoint: {}", node, failure.toString());
            }
        });
    }

    /** Completes the waits every live node's checkpoint covers, and forgets those completed otherwise. */
    private void checkWaits() {
        for (Wait added; (added = newWaits.poll()) != null; ) {
            waits.add(added);
        }
        if (waits.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Iterator<Wait> it = waits.iterator(); it.hasNext(); ) {
            Wait wait = it.next();
            if (wait.known.isDone() || coveredEverywhere(wait, now)) {
                wait.known.complete(null);
                it.remove();
                waiting.decrementAndGet();
            }
        }
    }

    private boolean coveredEverywhere(Wait wait, long now) {
        for (Seen seen : nodes.values()) {
            if (now - seen.atNanos > failureTimeoutNanos) {
                continue; // not live: gone, or from long ago
            }
            long[] positions = seen.sessionsPositions;
            if (positions.length <= wait.partition || positions[wait.partition] <= wait.offset) {
                return false;
            }
        }
        return true;
    }

    private void failWaits() {
        for (Wait added; (added = newWaits.poll()) != null; ) {
            waits.add(added);
        }
        for (Wait wait : waits) {
            wait.known.completeExceptionally(new IllegalStateException("cluster node " + node
                    + " stopped following the sessions table"));
        }
        waits.clear();
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + " at offset " + record.offset();
    }

    /** {@code up} once the node holds the cluster's session table and follows it, {@code down: why} otherwise. */
    public String state() {
        return follower.state();
    }

    /**
     * The nodes known from their checkpoints (live: written within the failure timeout, by this node's clock; this
     * node always) and the table's clients, as the follower applied them up to now.
     */
    public ClusterView view() {
        long now = System.currentTimeMillis();
        long timeoutMillis = TimeUnit.NANOSECONDS.toMillis(failureTimeoutNanos);
        Map<String, Long> times = new TreeMap<>(checkpointTimes);
        times.putIfAbsent(node, now);
        List<ClusterView.Client> table = new ArrayList<>(clients.values());
        table.sort(Comparator.comparing(ClusterView.Client::clientId));
        Map<String, Integer> owned = new HashMap<>();
        for (ClusterView.Client client : table) {
            owned.merge(client.node(), 1, Integer::sum);
            times.putIfAbsent(client.node(), 0L);
        }
        List<ClusterView.Node> known = new ArrayList<>();
        times.forEach((name, at) -> known.add(new ClusterView.Node(name,
                name.equals(node) || now - at <= timeoutMillis, Instant.ofEpochMilli(at),
                owned.getOrDefault(name, 0))));
        return new ClusterView(node, known, table);
    }

    /** Stops the follower and closes its consumer. */
    @Override
    public void close() {
        follower.close();
    }

    /** A write waiting for the barrier: where it is, and whom to tell. */
    private record Wait(int partition, long offset, CompletableFuture<Void> known) {
    }

    /** Another node's last checkpoint: when it was written (this node's nanoTime) and its sessions positions. */
    private record Seen(long atNanos, long[] sessionsPositions) {
    }
}
