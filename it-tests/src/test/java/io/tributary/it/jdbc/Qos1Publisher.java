package io.tributary.it.jdbc;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tributary.it.support.PubAcks;
import io.tributary.it.support.TestTributary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * MQTT 5 devices (HiveMQ client) publishing QoS 1 messages with a bounded window of unacknowledged ones,
 * counting what was acknowledged: the messages a sink must have.
 */
final class Qos1Publisher {

    /** What the publishers were told: the ids whose PUBACK succeeded, and the failed ones. */
    static final class Outcome {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong longestWaitNanos = new AtomicLong();
    }

    private Qos1Publisher() {
    }

    /**
     * Starts {@code publishers} clients, each publishing {@code perPublisher} messages to
     * {@code topicPrefix + "/" + clientId}; message {@code i} of client {@code c} has the id {@code c:i} and
     * the payload {@code payload.apply(i)} formatted with that id.
     *
     * @param payload a format with {@code %1$s} for the id and {@code %2$d} for the sequence number
     * @return completes when every message has its answer
     */
    static CompletableFuture<Void> start(TestTributary tributary, String topicPrefix, int publishers,
                                         int perPublisher, int window, String payload, Outcome outcome) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String clientId = topicPrefix + "-" + p;
            done.add(CompletableFuture.runAsync(() -> publish(tributary, clientId, topicPrefix + "/" + clientId,
                    perPublisher, window, i -> payload.formatted(clientId + ":" + i, i), outcome)));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    private static void publish(TestTributary tributary, String clientId, String topic, int count, int window,
                                IntFunction<String> payloads, Outcome outcome) {
        Mqtt5AsyncClient client = tributary.mqtt5Async(clientId);
        try {
            Semaphore unanswered = new Semaphore(window);
            for (int i = 0; i < count; i++) {
                unanswered.acquireUninterruptibly();
                String id = clientId + ":" + i;
                long sentAt = System.nanoTime();
                client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payloads.apply(i).getBytes(StandardCharsets.UTF_8)).send()
                        .whenComplete((result, error) -> {
                            outcome.longestWaitNanos.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
                            if (error == null && result.getError().isEmpty()) {
                                outcome.acknowledged.add(id);
                            } else {
                                outcome.failed.incrementAndGet();
                            }
                            unanswered.release();
                        });
            }
            if (!unanswered.tryAcquire(window, 180, TimeUnit.SECONDS)) {
                throw new AssertionError(clientId + ": answers still missing after 180 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            client.disconnect().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    /** Publishes one QoS 1 message and returns the PUBACK's reason code, success or not. */
    static Mqtt5PubAckReasonCode publishOne(Mqtt5AsyncClient client, String topic, String payload) throws Exception {
        return PubAcks.publishQos1(client, topic, payload, Duration.ofSeconds(30));
    }
}
