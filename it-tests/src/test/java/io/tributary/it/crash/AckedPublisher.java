package io.tributary.it.crash;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.advanced.interceptor.qos1.Mqtt5OutgoingQos1Interceptor;
import com.hivemq.client.mqtt.mqtt5.advanced.interceptor.qos2.Mqtt5OutgoingQos2Interceptor;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubcomp.Mqtt5PubComp;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRec;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrel.Mqtt5PubRel;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrel.Mqtt5PubRelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A clean-session MQTT 5 publisher that keeps up to {@link #WINDOW} QoS 1 or 2 messages in flight until told to
 * stop (or until the broker dies under it), and reports each message whose acknowledgement promised delivery:
 * a successful PUBACK (QoS 1) or PUBREC (QoS 2), seen by the client's interceptors as the packet arrives.
 */
final class AckedPublisher implements AutoCloseable {
    /** Messages this publisher keeps in flight at once. */
    static final int WINDOW = 10;

    /** What to publish as the {@code n}-th message. */
    record Message(String topic, String payload, boolean retain) {
    }

    private final Mqtt5AsyncClient client;
    private final MqttQos qos;
    private final Supplier<Message> messages;
    private final Semaphore window = new Semaphore(WINDOW);
    private final Thread thread;
    private volatile boolean stopping;
    private long sent;

    /**
     * Connects and starts publishing what {@code messages} supplies, one after the other.
     *
     * @param acked told each payload whose PUBACK or PUBREC came with a success reason code
     */
    AckedPublisher(String id, int port, MqttQos qos, Supplier<Message> messages, Consumer<String> acked) {
        this.qos = qos;
        this.messages = messages;
        this.client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .advancedConfig().interceptors()
                .outgoingQos1Interceptor(new Mqtt5OutgoingQos1Interceptor() {
                    @Override
                    public void onPubAck(Mqtt5ClientConfig config, Mqtt5Publish publish, Mqtt5PubAck pubAck) {
                        if (!pubAck.getReasonCode().isError()) {
                            acked.accept(payload(publish));
                        }
                    }
                })
                .outgoingQos2Interceptor(new Mqtt5OutgoingQos2Interceptor() {
                    @Override
                    public void onPubRec(Mqtt5ClientConfig config, Mqtt5Publish publish, Mqtt5PubRec pubRec,
                                         Mqtt5PubRelBuilder pubRel) {
                        acked.accept(payload(publish));
                    }

                    @Override
                    public void onPubRecError(Mqtt5ClientConfig config, Mqtt5Publish publish, Mqtt5PubRec pubRec) {
                        // not acknowledged: the broker refused it
                    }

                    @Override
                    public void onPubComp(Mqtt5ClientConfig config, Mqtt5PubRel pubRel, Mqtt5PubComp pubComp) {
                    }
                })
                .applyInterceptors().applyAdvancedConfig().buildAsync();
        client.connectWith().cleanStart(true).send().orTimeout(20, TimeUnit.SECONDS).join();
        thread = new Thread(this::run, "publisher-" + id);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stopping && client.getState().isConnected()) {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                Message message = messages.get();
                sent++;
                client.publishWith().topic(message.topic()).qos(qos).retain(message.retain())
                        .payload(message.payload().getBytes(StandardCharsets.UTF_8)).send()
                        .whenComplete((result, error) -> window.release());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many messages it sent (acknowledged or not). */
    long sent() {
        return sent;
    }

    private static String payload(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    /** Stops publishing and disconnects (if the broker still runs); returns once the publishing thread ended. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (client.getState().isConnected()) {
            client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
