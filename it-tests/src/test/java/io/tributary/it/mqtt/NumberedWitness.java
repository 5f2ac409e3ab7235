package io.tributary.it.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber on an external broker that sees what reached it of a stream of numbered messages: it keeps its
 * session ({@code cleanSession=false}) and reconnects by itself, so it misses nothing across a restart of a broker
 * with persistence.
 */
final class NumberedWitness implements AutoCloseable {

    private final Mqtt3AsyncClient client;
    private final Set<Integer> numbers = new ConcurrentSkipListSet<>();
    private final AtomicInteger copies = new AtomicInteger();

    private NumberedWitness(int port) {
        client = MqttClient.builder().useMqttVersion3().identifier("witness").serverHost("127.0.0.1")
                .serverPort(port).automaticReconnect().initialDelay(100, TimeUnit.MILLISECONDS)
                .maxDelay(1, TimeUnit.SECONDS).applyAutomaticReconnect().buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> {
            copies.incrementAndGet();
            numbers.add(Integer.parseInt(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        });
    }

    /** Connects to the broker on {@code port} and subscribes to {@code filter} at QoS 1. */
    static NumberedWitness subscribe(int port, String filter) {
        NumberedWitness witness = new NumberedWitness(port);
        witness.client.connectWith().cleanSession(false).send().orTimeout(10, TimeUnit.SECONDS).join();
        witness.client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                .orTimeout(10, TimeUnit.SECONDS).join();
        return witness;
    }

    /** The numbers seen so far, each once. */
    Set<Integer> numbers() {
        return numbers;
    }

    /** Copies seen beyond the first of each number. */
    int duplicates() {
        return copies.get() - numbers.size();
    }

    @Override
    public void close() {
        client.disconnect();
    }
}
