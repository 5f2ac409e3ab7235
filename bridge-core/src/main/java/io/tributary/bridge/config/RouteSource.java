package io.tributary.bridge.config;

import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.QoS;
import java.util.Objects;
import java.util.Optional;

/** Where a route's messages come from: the built-in broker, an external MQTT broker or a Kafka topic. */
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
     * Messages of the external broker of the {@code connections.mqtt} entry {@code connection} on topics matching
     * {@code filter}, subscribed to at {@code qos}, as {@code $share/GROUP/...} with a {@code sharedGroup}. Its own
     * record, so that code written for the built-in broker ({@code ack: buffer}, its endpoint) never takes it.
     */
    record ExternalMqtt(String connection, TopicPattern filter, QoS qos, Optional<String> sharedGroup)
            implements RouteSource {
        public ExternalMqtt {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(qos, "qos");
            Objects.requireNonNull(sharedGroup, "sharedGroup");
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
