package io.tributary.cluster.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the cluster's topics, or checks the ones that exist, before the node reads or writes them (design
 * §3.4). Another partition count or cleanup policy is fatal, naming the topic and the key to fix; another
 * retention, replication factor or {@code min.insync.replicas} is a warning: operators may tune those, and
 * Tributary never alters an existing topic.
 *
 * <p>Concurrency: used once, at start, by one thread.
 */
public final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final long RETRY_MILLIS = 100;

    private final Admin admin;
    private final ClusterTopics topics;

    public TopicSetup(Admin admin, ClusterTopics topics) {
        this.admin = admin;
        this.topics = topics;
    }

    /**
     * Creates what is missing and checks what exists.
     *
     * @throws TopicMismatchException naming the topic, if one cannot be used or made
     * @throws IllegalStateException if Kafka does not answer in time
     */
    public void run() {
        int brokers = call(admin.describeCluster().nodes()).size();
        int replication = topics.replicationFactor() > 0 ? topics.replicationFactor() : Math.min(3, brokers);
        int minInsync = Math.min(2, replication);
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        wanted.put(topics.messages(), new Wanted(topics.messagePartitions(), topics.messagesSettings(minInsync),
                "cluster.partitions.messages", false));
        wanted.put(topics.sessions(), new Wanted(topics.sessionPartitions(), topics.compactedSettings(minInsync),
                "cluster.partitions.sessions", true));
        wanted.put(topics.retained(), new Wanted(topics.retainedPartitions(), topics.compactedSettings(minInsync),
                "cluster.partitions.retained", true));
        Map<String, TopicDescription> existing = describe(wanted.keySet());
        List<NewTopic> missing = new ArrayList<>();
        wanted.forEach((name, want) -> {
            if (!existing.containsKey(name)) {
                missing.add(new NewTopic(name, want.partitions(), (short) replication).configs(want.settings()));
            }
        });
        if (!missing.isEmpty()) {
            create(missing);
            existing.putAll(awaitVisible(wanted.keySet()));
        }
        Map<String, Config> configs = configs(wanted.keySet());
        wanted.forEach((name, want) -> check(name, want, existing.get(name), configs.get(name), replication));
    }

    private void create(List<NewTopic> missing) {
        for (NewTopic topic : missing) {
            try {
                admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                log.info("created the cluster topic {} ({} partitions, replication factor {})", topic.name(),
                        topic.numPartitions(), topic.replicationFactor());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another node made it meanwhile
                    throw new TopicMismatchException("cannot create the cluster topic " + topic.name() + " ("
                            + topic.numPartitions() + " partitions, replication factor " + topic.replicationFactor()
                            + ", " + topic.configs() + "): " + e.getCause().getMessage()
                            + "; create it with these settings, or give Tributary's Kafka user the right to",
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not create the topic " + topic.name() + " within "
                        + TIMEOUT_SECONDS + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating " + topic.name(), e);
            }
        }
    }

    private static void check(String name, Wanted want, TopicDescription found, Config config, int replication) {
        int partitions = found.partitions().size();
        if (partitions != want.partitions()) {
            throw new TopicMismatchException("the cluster topic " + name + " has " + partitions + " partitions, but "
                    + want.key() + " is " + want.partitions() + ": partition counts are fixed once a cluster runs; "
                    + "set " + want.key() + " to " + partitions);
        }
        String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
        boolean compacted = policy != null && policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
        if (compacted != want.compacted()) {
            throw new TopicMismatchException("the cluster topic " + name + " has cleanup.policy=" + policy
                    + ", but it must " + (want.compacted() ? "be compact" : "not be compact")
                    + "; delete the topic or give it that policy");
        }
        for (String setting : List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)) {
            String expected = want.settings().get(setting);
            String actual = value(config, setting);
            if (expected != null && !expected.equals(actual)) {
                log.warn("the cluster topic {} has {}={}, where Tributary would create it with {}; kept as it is",
                        name, setting, actual, expected);
            }
        }
        int replicas = found.partitions().get(0).replicas().size();
        if (replicas != replication) {
            log.warn("the cluster topic {} has replication factor {}, where Tributary would create it with {}; "
                    + "kept as it is", name, replicas, replication);
        }
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config == null ? null : config.get(name);
        return entry == null ? null : entry.value();
    }

    private Map<String, TopicDescription> describe(Collection<String> names) {
        Map<String, TopicDescription> found = new LinkedHashMap<>();
        admin.describeTopics(names).topicNameValues().forEach((name, future) -> {
            try {
                found.put(name, future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe the cluster topic " + name + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not describe " + name + " within " + TIMEOUT_SECONDS
                        + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing " + name, e);
            }
        });
        return found;
    }

    /** Describes topics just created: every broker learns of them a moment after the controller made them. */
    private Map<String, TopicDescription> awaitVisible(Set<String> names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            Map<String, TopicDescription> found = describe(names);
            if (found.keySet().containsAll(names) || System.nanoTime() - deadline > 0) {
                if (!found.keySet().containsAll(names)) {
                    throw new IllegalStateException("Kafka created but does not describe the cluster topics "
                            + names + " within " + TIMEOUT_SECONDS + " s");
                }
                return found;
            }
            pauseBeforeRetry();
        }
    }

    private static void pauseBeforeRetry() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up the cluster topics", e);
        }
    }

    private Map<String, Config> configs(Set<String> names) {
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        Map<ConfigResource, Config> byResource = null;
        while (byResource == null) {
            try {
                byResource = call(admin.describeConfigs(resources).all());
            } catch (IllegalStateException e) {
                // A topic just created is not known to every broker yet.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                pauseBeforeRetry();
            }
        }
        Map<String, Config> byName = new LinkedHashMap<>();
        byResource.forEach((resource, config) -> byName.put(resource.name(), config));
        return byName;
    }

    private static <T> T call(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused a cluster topic request: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up the cluster topics", e);
        }
    }

    /** What a topic must be: its partition count and the key that sets it, its settings, its cleanup policy. */
    private record Wanted(int partitions, Map<String, String> settings, String key, boolean compacted) {
    }
}
