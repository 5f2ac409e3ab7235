package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.util.concurrent.TimeUnit;

/**
 * Real MQTT clients (HiveMQ MQTT client) connected to a {@link HiveMqWithTributary} as devices, and the check of a
 * device's positive acknowledgement. Stateless; each client is the caller's to disconnect.
 */
final class Devices {

    private Devices() {
    }

    /** An MQTT 5 device with a clean start and no session expiry. */
    static Mqtt5AsyncClient connect(HiveMqWithTributary hivemq, String clientId) throws Exception {
        Mqtt5AsyncClient client = mqtt5(hivemq, clientId);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    /** Connects {@code client} keeping its session for an hour after it disconnects, resuming it if there is one. */
    static void connectPersistent(Mqtt5AsyncClient client) throws Exception {
        client.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().get(10, TimeUnit.SECONDS);
    }

    /** An MQTT 3.1.1 device with a clean session. */
    static Mqtt3AsyncClient connect311(HiveMqWithTributary hivemq, String clientId) throws Exception {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(hivemq.port()).buildAsync();
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    /** A PUBACK Success, or "No matching subscribers" (0x10, success too) when HiveMQ has no subscriber for it. */
    static void assertSuccess(Mqtt5PublishResult result) {
        assertTrue(result.getError().isEmpty(), () -> "publish failed: " + result.getError());
        Mqtt5PubAckReasonCode code = ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
        assertFalse(code.isError(), () -> "PUBACK " + code);
    }

    /** An MQTT 5 client for {@code hivemq}, not connected yet. */
    static Mqtt5AsyncClient mqtt5(HiveMqWithTributary hivemq, String clientId) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(hivemq.port()).buildAsync();
    }
}
