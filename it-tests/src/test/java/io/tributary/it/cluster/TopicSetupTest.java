package io.tributary.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.ClusterConfig;
import io.tributary.cluster.topics.ClusterTopics;
import io.tributary.cluster.topics.TopicMismatchException;
import io.tributary.cluster.topics.TopicSetup;
import io.tributary.testsupport.kafka.KafkaServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The cluster's topics are created with their settings, or checked: a partition count or policy that differs stops the start. */
class TopicSetupTest {

    private static ClusterConfig config(String prefix, int messages, int sessions) {
        return new ClusterConfig("main", "node-1", prefix, messages, sessions, 2, 0, Duration.ofDays(2),
                Duration.ofMillis(200), Duration.ofSeconds(10), Map.of());
    }

    private static Admin admin(KafkaServer kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    @Test
    void missingTopicsAreCreatedWithTheirPartitionsAndPolicies() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String prefix = KafkaServer.uniqueTopic("created") + ".";
        ClusterTopics topics = new ClusterTopics(config(prefix, 6, 3));
        try (Admin admin = admin(kafka)) {
            new TopicSetup(admin, topics).run();
            new TopicSetup(admin, topics).run(); // a second node finds them as the first made them

            Map<String, TopicDescription> found = admin.describeTopics(List.of(topics.messages(), topics.sessions(),
                            topics.retained()))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertEquals(6, found.get(topics.messages()).partitions().size());
            assertEquals(3, found.get(topics.sessions()).partitions().size());
            assertEquals(2, found.get(topics.retained()).partitions().size());
            assertEquals(1, found.get(topics.messages()).partitions().get(0).replicas().size(),
                    "a one-broker Kafka gets replication factor 1");
            ConfigResource sessions = new ConfigResource(ConfigResource.Type.TOPIC, topics.sessions());
            ConfigResource messages = new ConfigResource(ConfigResource.Type.TOPIC, topics.messages());
            ConfigResource retained = new ConfigResource(ConfigResource.Type.TOPIC, topics.retained());
            var configs = admin.describeConfigs(List.of(sessions, messages, retained)).all().get(30, TimeUnit.SECONDS);
            assertEquals("compact", configs.get(sessions).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            assertEquals("compact", configs.get(retained).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            assertEquals("delete", configs.get(messages).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            assertEquals(String.valueOf(Duration.ofDays(2).toMillis()),
                    configs.get(messages).get(TopicConfig.RETENTION_MS_CONFIG).value());
        }
    }

    @Test
    void aWrongPartitionCountStopsTheStartNamingTheTopicAndTheKey() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String prefix = KafkaServer.uniqueTopic("wrong-count") + ".";
        try (Admin admin = admin(kafka)) {
            new TopicSetup(admin, new ClusterTopics(config(prefix, 4, 2))).run();

            TopicMismatchException refused = assertThrows(TopicMismatchException.class,
                    () -> new TopicSetup(admin, new ClusterTopics(config(prefix, 24, 2))).run());

            assertTrue(refused.getMessage().contains(prefix + "messages has 4 partitions"), refused.getMessage());
            assertTrue(refused.getMessage().contains("cluster.partitions.messages"), refused.getMessage());
        }
    }

    @Test
    void aSessionsTopicThatIsNotCompactedStopsTheStart() throws Exception {
        KafkaServer kafka = KafkaServer.shared();
        String prefix = KafkaServer.uniqueTopic("not-compacted") + ".";
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(prefix + "sessions", 2, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);

            TopicMismatchException refused = assertThrows(TopicMismatchException.class,
                    () -> new TopicSetup(admin, new ClusterTopics(config(prefix, 4, 2))).run());

            assertTrue(refused.getMessage().contains(prefix + "sessions has cleanup.policy=delete"),
                    refused.getMessage());
        }
    }
}
