package io.tributary.bench.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * What the cluster's messages topic ({@code <prefix>messages}) holds, read from Kafka's side with an admin client:
 * how many records were ever appended (the sum of its partitions' end offsets) and how many bytes its log segments
 * take on every broker. Read before and after a run, the difference is what the run wrote to Kafka, whatever the
 * nodes count. Used by the driver's main thread.
 */
public final class MessagesTopic implements AutoCloseable {

    /** The topic's size at one moment; both zero while the topic does not exist. */
    public record Size(long records, long bytes) {

        public static final Size NONE = new Size(0, 0);

        public Size minus(Size earlier) {
            return new Size(records - earlier.records, bytes - earlier.bytes);
        }
    }

    private final Admin admin;
    private final String topic;

    /** @param topicPrefix the cluster's {@code cluster.topic-prefix} */
    public MessagesTopic(String bootstrapServers, String topicPrefix) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.topic = topicPrefix + "messages";
    }

    public String name() {
        return topic;
    }

    /** The topic's size now; {@link Size#NONE} when it does not exist. */
    public Size read() throws InterruptedException {
        try {
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                return Size.NONE;
            }
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            description.partitions().forEach(p -> ends.put(new TopicPartition(topic, p.partition()),
                    OffsetSpec.latest()));
            long records = 0;
            for (ListOffsetsResult.ListOffsetsResultInfo info : admin.listOffsets(ends).all()
                    .get(10, TimeUnit.SECONDS).values()) {
                records += info.offset();
            }
            List<Integer> brokers = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                    .map(Node::id).toList();
            long bytes = 0;
            Set<TopicPartition> partitions = ends.keySet();
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
                    .get(10, TimeUnit.SECONDS).values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                        if (partitions.contains(replica.getKey())) {
                            bytes += replica.getValue().size();
                        }
                    }
                }
            }
            return new Size(records, bytes);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the size of " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
