package io.tributary.broker.connect;

import static io.tributary.broker.connect.Wire.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttClientIdentifier;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.mqtt.Frame;
import io.tributary.testsupport.mqtt.RawMqttClient;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client Identifier rules (section 3.1.3.1 of both specifications). */
class ClientIdentifierTest {
    private RunningBroker broker;

    @BeforeEach
    void start() {
        broker = RunningBroker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void emptyClientIdWithCleanSessionIsAcceptedInMqtt311() {
        // A zero-length ClientId is allowed with CleanSession 1; the server assigns one [MQTT-3.1.3-6].
        Mqtt3BlockingClient client = Clients.v3(broker, null);
        Mqtt3ConnAck ack = client.connectWith().cleanSession(true).send();
        assertEquals(Mqtt3ConnAckReturnCode.SUCCESS, ack.getReturnCode());
        assertFalse(ack.isSessionPresent());
        client.disconnect();
    }

    @Test
    void emptyClientIdWithPersistentSessionIsRefusedWith0x02InMqtt311() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.port())) {
            // Zero-length ClientId with CleanSession 0: CONNACK 0x02 (identifier rejected), then close [MQTT-3.1.3-8].
            c.sendBytes(Wire.connect(4, 0, 60, null, utf8("")));
            assertEquals(0x02, c.expectFrame(Frame.CONNACK, Duration.ofSeconds(3)).connectCode());
            assertTrue(c.closedWithin(Duration.ofSeconds(3)));
        }
    }

    @Test
    void emptyClientIdGetsAnAssignedClientIdentifierInMqtt5() {
        // The server assigns a unique ClientID [MQTT-3.1.3-6] and returns it in CONNACK [MQTT-3.1.3-7].
        Mqtt5BlockingClient first = Clients.v5(broker, null);
        Mqtt5BlockingClient second = Clients.v5(broker, null);
        Mqtt5ConnAck firstAck = first.connect();
        Mqtt5ConnAck secondAck = second.connect();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, firstAck.getReasonCode());
        MqttClientIdentifier firstId = firstAck.getAssignedClientIdentifier().orElseThrow();
        MqttClientIdentifier secondId = secondAck.getAssignedClientIdentifier().orElseThrow();
        assertFalse(firstId.toString().isEmpty());
        assertNotEquals(firstId, secondId, "assigned identifiers must be unique");
        first.disconnect();
        second.disconnect();
    }

    @Test
    void emptyClientIdWithCleanStartFalseIsAcceptedWithAnAssignedIdentifierInMqtt5() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.port())) {
            // MQTT 5 has no Clean Start requirement for a zero-length ClientID (section 3.1.3.1).
            c.sendBytes(Wire.connect(5, 0, 60, Wire.intProperty(Wire.SESSION_EXPIRY, 60), utf8("")));
            Frame ack = c.expectFrame(Frame.CONNACK, Duration.ofSeconds(3));
            assertEquals(0x00, ack.connectCode());
            assertFalse(ack.sessionPresent());
            // Assigned Client Identifier is property 0x12, somewhere in the CONNACK properties.
            boolean hasAssigned = false;
            for (int i = 3; i < ack.body().length; i++) {
                hasAssigned |= ack.body()[i] == 0x12;
            }
            assertTrue(hasAssigned, "no Assigned Client Identifier property in CONNACK");
        }
    }

    @Test
    void clientIdOfOneHundredCharactersIsAcceptedInMqtt5() {
        // A server MAY allow ClientIDs longer than 23 bytes (section 3.1.3.1); this one does.
        String longId = "c".repeat(100);
        Mqtt5BlockingClient client = Clients.v5(broker, longId);
        Mqtt5ConnAck ack = client.connect();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ack.getReasonCode());
        assertTrue(ack.getAssignedClientIdentifier().isEmpty(), "an id the client chose must not be replaced");
        client.disconnect();
    }

    @Test
    void clientIdOfOneHundredCharactersIsAcceptedInMqtt311() throws Exception {
        String longId = "p".repeat(100);
        MqttClient paho = new MqttClient(Clients.pahoUri(broker), longId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        paho.connect(options);
        assertTrue(paho.isConnected());
        assertEquals(1, broker.broker().stats().sessions());
        paho.disconnect();
        paho.close();
    }
}
