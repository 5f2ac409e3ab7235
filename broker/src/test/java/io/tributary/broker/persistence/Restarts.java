package io.tributary.broker.persistence;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.BrokerConfig;
import io.tributary.testsupport.mqtt.RawMqttClient;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Brokers that keep their state in a directory, and the clients the restart tests use. */
final class Restarts {
    static final Duration WAIT = Duration.ofSeconds(3);

    private Restarts() {
    }

    static RunningBroker start(Path dir) {
        return start(dir, config -> { });
    }

    static RunningBroker start(Path dir, Consumer<BrokerConfig.Builder> more) {
        return RunningBroker.start(config -> {
            config.persistenceDirectory(dir);
            more.accept(config);
        });
    }

    /** An MQTT 5 HiveMQ client, not connected. */
    static Mqtt5BlockingClient v5(RunningBroker broker, String clientId) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
    }

    /** Waits until no client is connected and its session has been handed back. */
    static void awaitOffline(RunningBroker broker) {
        Await.until(WAIT, "no connection left", () -> broker.broker().stats().connections() == 0);
        Await.sleep(50); // the connection is counted out just before its session is detached
    }

    static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    /** CONNECT properties for a raw client: Session Expiry 300 s in MQTT 5, none in 3.1.1 (Clean Session 0 is enough). */
    static MqttProperties persistent(MqttVersion version) {
        if (version != MqttVersion.MQTT_5) {
            return null;
        }
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(
                MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 300));
        return properties;
    }

    /** Whatever packet arrives in the next 300 ms, released, or null. */
    static MqttMessage nextOrNull(RawMqttClient client) throws Exception {
        MqttMessage next = client.next(Duration.ofMillis(300));
        ReferenceCountUtil.release(next);
        return next;
    }
}
