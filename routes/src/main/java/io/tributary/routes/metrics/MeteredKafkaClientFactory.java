package io.tributary.routes.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Creates camel-kafka's producers and consumers as its default factory does, and publishes each one's Kafka
 * client metrics (record send rate, request latency, records lag, ...) as {@code kafka_producer_*} and
 * {@code kafka_consumer_*} meters. Installed on the context's Kafka component, it covers the configured
 * routes and plain Camel YAML routes alike.
 */
public final class MeteredKafkaClientFactory extends DefaultKafkaClientFactory implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<KafkaClientMetrics> bound = new CopyOnWriteArrayList<>();

    public MeteredKafkaClientFactory(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Producer getProducer(Properties kafkaProps) {
        Producer producer = super.getProducer(kafkaProps);
        bind(new KafkaClientMetrics(producer));
        return producer;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Consumer getConsumer(Properties kafkaProps) {
        Consumer consumer = super.getConsumer(kafkaProps);
        bind(new KafkaClientMetrics(consumer));
        return consumer;
    }

    /** Stops refreshing the meters; the clients themselves are closed by their endpoints. */
    @Override
    public void close() {
        bound.forEach(KafkaClientMetrics::close);
        bound.clear();
    }

    private void bind(KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        bound.add(metrics);
    }
}
