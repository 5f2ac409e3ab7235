package io.tributary.routes;

import io.tributary.bridge.config.KafkaConnectionSettings;
import io.tributary.bridge.config.KafkaProducerSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds camel-kafka endpoints with the settings the delivery guarantees rest on, configured as objects
 * rather than URIs so that no value needs escaping.
 *
 * <p>Producers: {@code acks=all} and idempotence, so a record is acknowledged only once every in-sync
 * replica has it and Kafka's own retries never write it twice. Consumers: no auto-commit; offsets are
 * committed synchronously after the records of a partition were delivered, and a record that failed is read
 * again ({@code breakOnFirstError}) rather than skipped.
 */
final class KafkaEndpoints {

    private final CamelContext context;
    private final Function<String, KafkaConnectionSettings> connections;
    private final Function<KafkaConnectionSettings, String> bootstrapServers;

    /**
     * @param connections the connection of each name
     * @param bootstrapServers where a connection's cluster is; for an embedded one, known only once it runs
     */
    KafkaEndpoints(CamelContext context, Function<String, KafkaConnectionSettings> connections,
                   Function<KafkaConnectionSettings, String> bootstrapServers) {
        this.context = context;
        this.connections = connections;
        this.bootstrapServers = bootstrapServers;
    }

    /** A producer endpoint; the topic is set per record through {@code kafka.OVERRIDE_TOPIC}. */
    KafkaEndpoint producer(String connection, String defaultTopic) throws Exception {
        KafkaEndpoint endpoint = endpoint(connection, defaultTopic);
        KafkaConfiguration configuration = endpoint.getConfiguration();
        configuration.setRequestRequiredAcks("all");
        configuration.setEnableIdempotence(true);
        configuration.setRecordMetadata(false);
        configuration.setKeySerializer(StringSerializer.class.getName());
        configuration.setValueSerializer(ByteArraySerializer.class.getName());
        // How records are batched is the connection's: camel-kafka's own defaults (linger.ms 0, batch.size 16 KB)
        // would otherwise apply. A property of the same name in the connection's properties is applied after these.
        KafkaProducerSettings producer = connection(connection).producer();
        configuration.setLingerMs(Math.toIntExact(producer.linger().toMillis()));
        configuration.setProducerBatchSize(producer.batchSize());
        configuration.setCompressionCodec(producer.compression().kafkaName());
        configuration.setMaxInFlightRequest(producer.maxInFlight());
        // camel-kafka hands every acknowledged record to a pool thread to finish its exchange: one thread switch
        // per message. Finishing it on the producer's I/O thread instead costs less: what follows a Kafka sink
        // is completing the exchange, which answers the publisher through the broker's event loop, or, for a
        // failure, scheduling a retry or handing the message to its dead-letter route, none of which waits.
        configuration.setWorkerPool(new SynchronousExecutorService());
        return endpoint;
    }

    /** A consumer endpoint in {@code group}, starting from the earliest record when the group is new. */
    KafkaEndpoint consumer(String connection, String topic, String group) throws Exception {
        KafkaEndpoint endpoint = endpoint(connection, topic);
        KafkaConfiguration configuration = endpoint.getConfiguration();
        configuration.setGroupId(group);
        configuration.setAutoOffsetReset("earliest");
        configuration.setAutoCommitEnable(false);
        configuration.setAllowManualCommit(true);
        configuration.setBreakOnFirstError(true);
        configuration.setKeyDeserializer(StringDeserializer.class.getName());
        configuration.setValueDeserializer(ByteArrayDeserializer.class.getName());
        // How long a stopping route waits for the poll in progress.
        configuration.setPollTimeoutMs(1000L);
        endpoint.setKafkaManualCommitFactory(new DefaultKafkaManualCommitFactory());
        return endpoint;
    }

    private KafkaConnectionSettings connection(String connectionName) {
        return Objects.requireNonNull(connections.apply(connectionName),
                () -> "no Kafka connection named " + connectionName);
    }

    private KafkaEndpoint endpoint(String connectionName, String topic) throws Exception {
        KafkaConnectionSettings connection = connection(connectionName);
        KafkaComponent component = context.getComponent("kafka", KafkaComponent.class);
        KafkaEndpoint endpoint = (KafkaEndpoint) component.createEndpoint("kafka:" + topic);
        KafkaConfiguration configuration = endpoint.getConfiguration();
        configuration.setBrokers(bootstrapServers.apply(connection));
        Map<String, Object> extra = new LinkedHashMap<>(connection.properties());
        configuration.setAdditionalProperties(extra);
        return endpoint;
    }
}
