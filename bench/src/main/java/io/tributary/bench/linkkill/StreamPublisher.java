package io.tributary.bench.linkkill;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The QoS 1 stream that flows through the kill cycles: one HiveMQ MQTT 5 client with a persistent session and
 * automatic reconnect (100 to 500 ms), publishing its sequence number at a fixed rate, also while the broker is down
 * (the client holds those publishes and sends them after its reconnect). Remembers which ones Mosquitto acknowledged.
 */
final class StreamPublisher implements AutoCloseable {

    private final Mqtt5AsyncClient client;
    private final String topic;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "link-kills-publisher");
        thread.setDaemon(true);
        return thread;
    });
    private final BitSet acknowledged = new BitSet();
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong connectedNanos = new AtomicLong();
    private long failed;

    StreamPublisher(int port, String topic) {
        this.topic = topic;
        this.client = MqttClient.builder().useMqttVersion5().identifier("kill-cycles-publisher")
                .serverHost("127.0.0.1").serverPort(port)
                .automaticReconnect().initialDelay(100, TimeUnit.MILLISECONDS).maxDelay(500, TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> connectedNanos.set(System.nanoTime()))
                .buildAsync();
    }

    /** Connects and publishes {@code ratePerSecond} messages per second until {@link #stop()}. */
    void start(int ratePerSecond) throws Exception {
        client.connectWith().cleanStart(false).sessionExpiryInterval(3600)
                .send().get(10, TimeUnit.SECONDS);
        ticker.scheduleAtFixedRate(this::publishOne, 0, 1_000_000 / ratePerSecond, TimeUnit.MICROSECONDS);
    }

    private void publishOne() {
        int sequence = (int) next.getAndIncrement();
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(Integer.toString(sequence).getBytes(StandardCharsets.US_ASCII)).send()
                .whenComplete((result, error) -> {
                    synchronized (acknowledged) {
                        if (error == null && result.getError().isEmpty()) {
                            acknowledged.set(sequence);
                        } else {
                            failed++;
                        }
                    }
                });
    }

    /** The sequence number of the next publish. */
    long next() {
        return next.get();
    }

    /** When the client last connected (System.nanoTime). */
    long connectedNanos() {
        return connectedNanos.get();
    }

    /** Stops publishing; what is in flight may still be acknowledged. */
    void stop() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
    }

    BitSet acknowledged() {
        synchronized (acknowledged) {
            return (BitSet) acknowledged.clone();
        }
    }

    long failed() {
        synchronized (acknowledged) {
            return failed;
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the broker may be gone; nothing to keep
        }
    }
}
