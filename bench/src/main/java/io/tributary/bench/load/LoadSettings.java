package io.tributary.bench.load;

import java.time.Duration;

/**
 * How hard and how long the driver pushes, the same for every broker in a run.
 *
 * @param mqttVersion 3 (MQTT 3.1.1) or 5 (MQTT 5.0)
 * @param warmUp publishing before the measured window starts (JIT, connection buffers)
 * @param measure the measured window; rates are counted within it
 * @param drainTimeout after publishing stops, how long to wait at most for acknowledgements and deliveries
 * @param payloadBytes size of every payload, at least {@link Payload#MIN_BYTES}
 * @param inFlight publishes outstanding per publisher: QoS 1 waits for PUBACK, QoS 0 for the write to the socket
 * @param qos0RatePerPublisher publishes per second per publisher in the QoS 0 scenarios that are not paced already,
 *     or 0 for as fast as the in-flight window allows
 * @param clientIoThreads Netty threads shared by all the driver's clients, or 0 for the client library's default
 *     (twice the cores); one thread costs the least CPU per message on a small machine, which leaves more to the
 *     broker under test
 */
public record LoadSettings(int mqttVersion, Duration warmUp, Duration measure, Duration drainTimeout,
                           int payloadBytes, int inFlight, int qos0RatePerPublisher, int clientIoThreads) {

    public LoadSettings {
        if (mqttVersion != 3 && mqttVersion != 5) {
            throw new IllegalArgumentException("mqttVersion must be 3 or 5, was " + mqttVersion);
        }
        if (payloadBytes < Payload.MIN_BYTES) {
            throw new IllegalArgumentException("payloadBytes must be at least " + Payload.MIN_BYTES);
        }
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1");
        }
        if (qos0RatePerPublisher < 0) {
            throw new IllegalArgumentException("qos0RatePerPublisher must not be negative");
        }
        if (clientIoThreads < 0) {
            throw new IllegalArgumentException("clientIoThreads must not be negative");
        }
    }

    /** 3 s warm-up, 10 s measured, 64 in flight, 64-byte payloads. */
    public static LoadSettings standard(int mqttVersion) {
        return new LoadSettings(mqttVersion, Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(20),
                64, 64, 0, 1);
    }

    /** 1 s warm-up, 3 s measured: for a quick look, not for numbers to publish. */
    public static LoadSettings quick(int mqttVersion) {
        return new LoadSettings(mqttVersion, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10),
                64, 64, 0, 1);
    }

    public String mqttVersionName() {
        return mqttVersion == 5 ? "MQTT 5.0" : "MQTT 3.1.1";
    }
}
