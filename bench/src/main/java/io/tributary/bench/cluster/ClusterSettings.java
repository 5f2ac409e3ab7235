package io.tributary.bench.cluster;

import io.tributary.bench.load.LoadSettings;
import io.tributary.bench.load.Payload;
import java.time.Duration;
import java.util.List;

/**
 * How hard and how long the cluster benchmark pushes, the same for every system of a run. Immutable.
 *
 * @param publishers MQTT publishers, all on node 1
 * @param subscribers MQTT subscribers, each on its own filter, so that every message has exactly one subscriber
 * @param rates offered loads in messages per second over all publishers, one run per rate
 * @param warmUp publishing before the measured window
 * @param measure the measured window
 * @param drainTimeout after publishing stops, how long to wait at most for the last deliveries
 * @param payloadBytes size of every payload (send time, publisher, sequence number, padding)
 * @param inFlight QoS 1 publishes without PUBACK per publisher at most
 * @param clientIoThreads Netty threads shared by the driver's MQTT clients
 * @param probeTimeout how long the driver waits for every subscriber to get a probe message before it measures
 * @param kafkaWarmUp how long the driver produces to scratch topics once Kafka is up
 * @param idle how long each system's CPU is measured with no client, right after it started
 */
public record ClusterSettings(int publishers, int subscribers, List<Integer> rates, Duration warmUp, Duration measure,
                              Duration drainTimeout, int payloadBytes, int inFlight, int clientIoThreads,
                              Duration probeTimeout, Duration kafkaWarmUp, Duration idle) {

    public ClusterSettings {
        rates = List.copyOf(rates);
        if (publishers < 1 || subscribers < 1) {
            throw new IllegalArgumentException("--publishers and --subscribers must be at least 1");
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("--rates needs at least one rate");
        }
        for (int rate : rates) {
            if (rate < publishers) {
                throw new IllegalArgumentException("a rate of " + rate + " msg/s is less than one message per second "
                        + "per publisher (" + publishers + " publishers)");
            }
        }
        if (payloadBytes < Payload.MIN_BYTES) {
            throw new IllegalArgumentException("--payload must be at least " + Payload.MIN_BYTES + " bytes");
        }
        if (inFlight < 1) {
            throw new IllegalArgumentException("--inflight must be at least 1");
        }
    }

    /** 20 publishers, 30 subscribers, 2,000 msg/s, 10 s warm-up, 30 s measured. */
    public static ClusterSettings standard() {
        return new ClusterSettings(20, 30, List.of(2_000), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(30), 64, 100, 1, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    /** The same load in short windows: to check that everything works, not for numbers to quote. */
    public static ClusterSettings quick() {
        return new ClusterSettings(20, 30, List.of(2_000), Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(15), 64, 100, 1, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(3));
    }

    /** Publishes per second of each publisher at {@code rate} (rounded down: the report gives the rate offered). */
    public int ratePerPublisher(int rate) {
        return rate / publishers;
    }

    /** The driver's MQTT clients: MQTT 3.1.1, this payload and in-flight window. */
    LoadSettings clientSettings() {
        return new LoadSettings(3, warmUp, measure, drainTimeout, payloadBytes, inFlight, 0, clientIoThreads);
    }
}
