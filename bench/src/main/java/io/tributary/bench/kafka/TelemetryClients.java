package io.tributary.bench.kafka;

import io.tributary.bench.load.AckStats;
import io.tributary.bench.load.LoadClient;
import io.tributary.bench.load.LoadSettings;
import io.tributary.bench.load.Publisher;
import io.tributary.bench.load.Publishers;
import io.tributary.bench.load.RunClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT clients of one route run (the Kafka benchmark's and the sink benchmark's), on the listener of the system
 * under test: a probe client, then the publishers, each publisher {@code i} sending {@link TelemetryPayload}s at
 * QoS 1 to {@link KafkaScenario#topicOf topicOf(i)}; all closed together.
 */
public final class TelemetryClients implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final String HOST = "127.0.0.1";

    private final KafkaLoadSettings settings;
    private final LoadSettings clientSettings;
    private final int port;
    private final String nonce = Long.toString(System.nanoTime() & 0xFFFFFF, 36);
    private final List<LoadClient> all = new ArrayList<>();
    private final List<LoadClient> publishers = new ArrayList<>();

    public TelemetryClients(KafkaLoadSettings settings, int port) {
        this.settings = settings;
        this.port = port;
        // Only the client's MQTT version and I/O threads are read from these.
        this.clientSettings = new LoadSettings(3, settings.warmUp(), settings.measure(), settings.drainTimeout(),
                settings.payloadBytes(), settings.inFlight(), 0, settings.clientIoThreads());
    }

    /** Connects the probe client, which publishes the messages that show the route runs end to end. */
    public LoadClient connectProbe() throws Exception {
        return connect("bench-" + nonce + "-probe");
    }

    /** Connects one client per publisher. */
    public void connectPublishers() throws Exception {
        for (int i = 0; i < settings.publishers(); i++) {
            publishers.add(connect("bench-" + nonce + "-pub-" + i));
        }
    }

    private LoadClient connect(String clientId) throws Exception {
        LoadClient client = LoadClient.create(clientSettings, clientId, HOST, port);
        all.add(client);
        client.connect(CONNECT_TIMEOUT);
        return client;
    }

    /**
     * The publishers on the connected clients: the load of the Kafka benchmark, and of every route benchmark.
     *
     * @param ratePerPublisher publishes per second, or 0 for as fast as the in-flight window allows
     */
    public Publishers publishers(int ratePerPublisher, RunClock clock, AckStats acks) {
        List<Publisher> list = new ArrayList<>();
        for (int i = 0; i < publishers.size(); i++) {
            int index = i;
            list.add(new Publisher(i, publishers.get(i), KafkaScenario.topicOf(i), 1, settings.inFlight(),
                    ratePerPublisher, clock, (sequence, sentNanos) -> ByteBuffer.wrap(
                            TelemetryPayload.encode(settings.payloadBytes(), index, sequence, sentNanos)), acks));
        }
        return new Publishers(list);
    }

    /** A note for each publisher the system or the network disconnected. */
    public List<String> disconnections() {
        return LoadClient.disconnections(publishers, "publisher");
    }

    @Override
    public void close() {
        all.forEach(LoadClient::close);
    }
}
