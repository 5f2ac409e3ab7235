package io.tributary.bridge.config;

import io.tributary.bridge.mapping.TopicPattern;
import java.util.Objects;

/** Where a route's messages come from: the built-in broker or a Kafka topic. */
public sealed interface RouteSource {

    /**
     * Messages published to the broker on topics matching {@code filter}; its {@code {name}} placeholders
     * are variables of the route's templates.
     */
    record Mqtt(TopicPattern filter) implements RouteSource {
        public Mqtt {
            Objects.requireNonNull(filter, "filter");
        }
    }

    /**
     * Records of a Kafka topic of the {@code connections.kafka} entry {@code connection}, read in the consumer
     * group {@code group} so that several Tributary instances share the partitions.
     */
    record Kafka(String connection, String topic, String group) implements RouteSource {
        public Kafka {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(group, "group");
        }
    }
}
