package io.tributary.cluster;

import io.tributary.broker.ClusterConfig;
import io.tributary.broker.ClusterObserver;
import io.tributary.broker.ClusterView;
import io.tributary.broker.ClusterReaderStats;
import io.tributary.broker.Message;
import io.tributary.broker.RetainedStore;
import io.tributary.broker.delivery.RetainedJournal;
import io.tributary.broker.cluster.ClusterInterest;
import io.tributary.broker.cluster.ClusterLink;
import io.tributary.broker.cluster.LogDelivery;
import io.tributary.broker.cluster.ShareChoice;
import io.tributary.broker.session.SessionSummary;
import io.tributary.cluster.log.CheckpointWriter;
import io.tributary.cluster.log.LogReader;
import io.tributary.cluster.log.MessageLog;
import io.tributary.cluster.retained.RetainedLog;
import io.tributary.cluster.sessions.SessionTable;
import io.tributary.cluster.topics.ClusterTopics;
import io.tributary.cluster.topics.TopicSetup;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a cluster of Tributary nodes that share one Kafka: the broker's {@link ClusterLink}. It
 * creates or checks the cluster's topics, appends the messages other nodes want to the messages topic, and reads
 * that topic back into the broker's own MQTT sessions; it keeps the cluster's retained messages in the retained
 * topic and the broker's retained store following it, and the subscription table in the sessions topic
 * ({@link SessionTable}) with the broker's {@link ClusterInterest} following it.
 *
 * <p>Order of use (design §4.10): {@link #create}, then the broker is built with it, then {@link #start} (topics,
 * the reader's positions) before the routes and listeners start; the broker calls {@link #deliverTo} once its
 * sessions are restored (after {@link #followRetained} and {@link #followSessions}) and {@link #stopDelivering}
 * when it stops; {@link #close} after the broker stopped.
 *
 * <p>Concurrency: {@link #append} on any thread at once; the rest as above.
 */
public final class KafkaCluster implements ClusterLink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);

    private final ClusterConfig config;
    private final ClusterClients clients;
    private final ClusterTopics topics;
    private final Producer<String, byte[]> producer;
    private final MessageLog messageLog;
    private final LogReader reader;
    private final RetainedLog retainedLog;
    private final SessionTable sessionTable;
    private volatile boolean started;

    private KafkaCluster(ClusterConfig config, Producer<String, byte[]> producer, LogReader reader,
                         MessageLog messageLog, RetainedLog retainedLog, SessionTable sessionTable) {
        this.config = config;
        this.clients = new ClusterClients(config);
        this.topics = new ClusterTopics(config);
        this.producer = producer;
        this.reader = reader;
        this.messageLog = messageLog;
        this.retainedLog = retainedLog;
        this.sessionTable = sessionTable;
    }

    /**
     * Builds the node's Kafka clients; nothing is read or written before {@link #start}.
     *
     * @throws IllegalArgumentException if the connection's properties are not valid Kafka client properties
     */
    public static KafkaCluster create(ClusterConfig config) {
        ClusterClients clients = new ClusterClients(config);
        ClusterTopics topics = new ClusterTopics(config);
        Producer<String, byte[]> producer;
        try {
            producer = new KafkaProducer<>(clients.producer(), new StringSerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("cluster: cannot make the Kafka producer of connection '"
                    + config.kafkaConnection() + "': " + e.getMessage(), e);
        }
        KafkaConsumer<String, byte[]> consumer = null;
        KafkaConsumer<String, byte[]> retainedConsumer = null;
        KafkaConsumer<String, byte[]> sessionsConsumer;
        try {
            consumer = new KafkaConsumer<>(clients.reader(), new StringDeserializer(), new ByteArrayDeserializer());
            retainedConsumer = new KafkaConsumer<>(clients.retainedReader(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            sessionsConsumer = new KafkaConsumer<>(clients.sessionsReader(), new StringDeserializer(),
                    new ByteArrayDeserializer());
        } catch (KafkaException e) {
            if (retainedConsumer != null) {
                retainedConsumer.close();
            }
            if (consumer != null) {
                consumer.close();
            }
            producer.close();
            throw new IllegalArgumentException("cluster: cannot make the Kafka consumer of connection '"
                    + config.kafkaConnection() + "': " + e.getMessage(), e);
        }
        MessageLog messageLog = new MessageLog(producer, topics, config.node());
        CheckpointWriter checkpoints = new CheckpointWriter(messageLog, config.node());
        LogReader reader = new LogReader(consumer, messageLog, checkpoints, topics, config.node(),
                config.checkpointInterval());
        RetainedLog retainedLog = new RetainedLog(retainedConsumer, messageLog, topics, config.node());
        SessionTable sessionTable = new SessionTable(sessionsConsumer, messageLog, checkpoints, topics, config.node(),
                config.failureTimeout());
        return new KafkaCluster(config, producer, reader, messageLog, retainedLog, sessionTable);
    }

    /**
     * Creates or checks the topics and sets where the reader starts. Once it returns, every record appended later
     * reaches this node's sessions.
     *
     * @throws io.tributary.cluster.topics.TopicMismatchException naming a topic that cannot be used or made
     * @throws IllegalStateException if Kafka does not answer
     */
    public void start() {
        try (Admin admin = Admin.create(clients.admin())) {
            new TopicSetup(admin, topics).run();
        }
        reader.position();
        started = true;
        log.info("cluster node {} joined through topics {}, {} and {}", config.node(), topics.messages(),
                topics.sessions(), topics.retained());
    }

    @Override
    public String node() {
        return config.node();
    }

    @Override
    public CompletionStage<Void> append(Message message, String key, Set<String> nodes,
                                        List<ShareChoice> shares) {
        return messageLog.append(message, key, nodes, shares);
    }

    @Override
    public void followSessions(ClusterInterest table) {
        if (!started) {
            throw new IllegalStateException("start the cluster before the broker");
        }
        sessionTable.follow(table);
    }

    @Override
    public CompletionStage<Void> writeState(SessionSummary session) {
        return sessionTable.write(session);
    }

    @Override
    public void removeState(String clientId) {
        sessionTable.remove(clientId);
    }

    @Override
    public RetainedJournal retainedJournal() {
        return retainedLog;
    }

    @Override
    public void followRetained(RetainedStore store) {
        if (!started) {
            throw new IllegalStateException("start the cluster before the broker");
        }
        retainedLog.follow(store);
    }

    @Override
    public void deliverTo(LogDelivery delivery) {
        if (!started) {
            throw new IllegalStateException("start the cluster before the broker");
        }
        reader.start(delivery);
    }

    @Override
    public void stopDelivering() {
        reader.stopHanding();
    }

    @Override
    public void observe(ClusterObserver observer) {
        messageLog.observe(observer);
        reader.observe(observer);
    }

    @Override
    public Optional<ClusterReaderStats> readerStats() {
        return Optional.of(reader.stats());
    }

    @Override
    public String state() {
        if (!started) {
            return "down: starting";
        }
        String retained = retainedLog.state();
        if (retained.startsWith("down")) {
            return retained;
        }
        String sessions = sessionTable.state();
        return sessions.startsWith("down") ? sessions : reader.state();
    }

    /** Writes the last checkpoint and closes the Kafka clients. Called after the broker stopped. */
    @Override
    public void close() {
        reader.close();
        retainedLog.close();
        sessionTable.close();
        producer.close();
    }

    @Override
    public Optional<ClusterView> view() {
        return Optional.of(sessionTable.view());
    }
}
