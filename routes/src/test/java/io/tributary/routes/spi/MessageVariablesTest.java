package io.tributary.routes.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The variables of a broker's message, as a route's templates and condition read them. */
class MessageVariablesTest {

    private static final TopicPattern FILTER = TopicPattern.parse("sites/{site}/devices/{device}/telemetry");

    @Test
    void aMessageGivesItsFiltersPlaceholdersAndItsOwnValues() {
        MessageVariables values = MessageVariables.ofMqtt(message("sites/s1/devices/d1/telemetry", 1_738_324_800_250L),
                FILTER);

        assertEquals("s1", values.apply("site"));
        assertEquals("d1", values.apply("device"));
        assertEquals("sites/s1/devices/d1/telemetry", values.apply("topic"));
        assertEquals("1", values.apply("qos"));
        assertEquals("d1-client", values.apply("client-id"));
        assertEquals("2025-01-31T12:00:00.250Z", values.apply("timestamp"));
        assertEquals("{\"t\": 1}", values.apply("payload"));
    }

    @Test
    void withoutAReceptionTimeThereIsNoTimestamp() {
        MessageVariables values = MessageVariables.ofMqtt(message("sites/s1/devices/d1/telemetry", -1), FILTER);

        assertNull(values.apply("timestamp"));
    }

    @Test
    void aValueAddedLaterReplacesTheTimestampAsItReplacesAnyOther() {
        MessageVariables values = MessageVariables.ofMqtt(message("sites/s1/devices/d1/telemetry", 0), FILTER)
                .with("error", "refused")
                .with("timestamp", "later");

        assertEquals("refused", values.apply("error"));
        assertEquals("later", values.apply("timestamp"));
        assertEquals("1970-01-01T00:00:00Z",
                MessageVariables.ofMqtt(message("sites/s1/devices/d1/telemetry", 0), FILTER).apply("timestamp"));
    }

    private static Message message(String topic, long receivedAt) {
        return new Message(topic, "{\"t\": 1}".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                MessageProperties.NONE, "d1-client", receivedAt);
    }
}
