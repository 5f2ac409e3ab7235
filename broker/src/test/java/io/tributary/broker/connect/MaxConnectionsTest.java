package io.tributary.broker.connect;

import io.tributary.testsupport.await.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.broker.clients.RunningBroker;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code BrokerConfig.maxConnections}: connections beyond it are refused with Server Busy / Server unavailable. */
class MaxConnectionsTest {
    private RunningBroker broker;
    private Mqtt5BlockingClient first;
    private Mqtt3BlockingClient second;

    @BeforeEach
    void startWithTwoClients() {
        broker = RunningBroker.start(config -> config.maxConnections(2));
        first = Clients.v5(broker, "first");
        first.connect();
        second = Clients.v3(broker, "second");
        second.connect();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void thirdMqtt5ClientIsRefusedWith0x89() {
        Mqtt5BlockingClient third = Clients.v5(broker, "third5");
        // CONNACK 0x89 (Server busy), then close (MQTT 5 section 3.2.2.2) [MQTT-3.2.2-7].
        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, third::connect);
        assertEquals(Mqtt5ConnAckReasonCode.SERVER_BUSY, refused.getMqttMessage().getReasonCode());
    }

    @Test
    void thirdMqtt311ClientIsRefusedWith0x03() throws Exception {
        Mqtt3BlockingClient third = Clients.v3(broker, "third3");
        // CONNACK 0x03 (Server unavailable) (MQTT 3.1.1 section 3.2.2.3).
        Mqtt3ConnAckException refused = assertThrows(Mqtt3ConnAckException.class, third::connect);
        assertEquals(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE, refused.getMqttMessage().getReturnCode());

        MqttClient paho = new MqttClient(Clients.pahoUri(broker), "third-paho", new MemoryPersistence());
        MqttException pahoRefused = assertThrows(MqttException.class, paho::connect);
        assertEquals(MqttException.REASON_CODE_BROKER_UNAVAILABLE, pahoRefused.getReasonCode());
        paho.close();
    }

    @Test
    void aClientIsAcceptedAgainOnceAConnectionClosed() throws Exception {
        first.disconnect();
        Await.until(Duration.ofSeconds(3), "the first connection counted out",
                () -> broker.broker().stats().connections() == 1);
        Mqtt5BlockingClient third = Clients.v5(broker, "third-later");
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, third.connect().getReasonCode());
        third.disconnect();
    }
}
