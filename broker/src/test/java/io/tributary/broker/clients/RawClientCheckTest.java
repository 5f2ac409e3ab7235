package io.tributary.broker.clients;

import io.tributary.testsupport.mqtt.RawMqttClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RawClientCheckTest {
    @Test
    void unacknowledgedQos1IsRedeliveredWithDupAfterReconnect() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            try (RawMqttClient sub = new RawMqttClient(broker.port())) {
                MqttConnAckMessage ack = (MqttConnAckMessage) sub.connect(MqttVersion.MQTT_3_1_1, "raw-sub", false, null);
                assertEquals(0, ack.variableHeader().connectReturnCode().byteValue());
                sub.subscribe(1, "t/#", 1);
                sub.expect(MqttMessageType.SUBACK, Duration.ofSeconds(5));
                try (RawMqttClient pub = new RawMqttClient(broker.port())) {
                    pub.connect(MqttVersion.MQTT_3_1_1, "raw-pub", true, null);
                    pub.publish("t/1", "x".getBytes(), 1, false, 7, false, null);
                    MqttMessage puback = pub.expect(MqttMessageType.PUBACK, Duration.ofSeconds(5));
                    assertEquals(7, RawMqttClient.packetId(puback));
                }
                MqttPublishMessage first = (MqttPublishMessage) sub.expect(MqttMessageType.PUBLISH, Duration.ofSeconds(5));
                assertTrue(!first.fixedHeader().isDup());
            }
            try (RawMqttClient again = new RawMqttClient(broker.port())) {
                MqttConnAckMessage ack = (MqttConnAckMessage) again.connect(MqttVersion.MQTT_3_1_1, "raw-sub", false, null);
                assertTrue(ack.variableHeader().isSessionPresent());
                MqttPublishMessage redelivered = (MqttPublishMessage) again.expect(MqttMessageType.PUBLISH, Duration.ofSeconds(5));
                assertTrue(redelivered.fixedHeader().isDup());
                assertEquals("t/1", redelivered.variableHeader().topicName());
                redelivered.release();
            }
        }
    }
}
