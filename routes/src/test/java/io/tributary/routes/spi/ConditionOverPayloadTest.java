package io.tributary.routes.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.mapping.Condition;
import io.tributary.bridge.mapping.TopicPattern;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * A condition over a JSON field of a payload that is not JSON is false, as docs/configuration.md says: the message
 * is filtered, not a route failure that refuses the device's message (or disconnects an MQTT 3.1.1 device) again
 * and again.
 */
class ConditionOverPayloadTest {
    private static final TopicPattern FILTER = TopicPattern.parse("sites/{site}/telemetry");
    private static final Condition HOT = Condition.parse("{json.temp} > 20");

    @Test
    void aJsonFieldOfAPayloadThatIsNotJsonMakesTheComparisonFalse() {
        assertFalse(HOT.test(variables("plain text").forCondition()));
        assertFalse(HOT.test(variables("").forCondition()));
        assertFalse(Condition.parse("{json.temp} == 'x' or {site} == 's2'").test(variables("{oops").forCondition()));
    }

    @Test
    void theSameConditionStillReadsJsonAndTheOtherVariables() {
        assertTrue(HOT.test(variables("{\"temp\": 25}").forCondition()));
        assertFalse(HOT.test(variables("{\"hum\": 5}").forCondition()));
        assertTrue(Condition.parse("{json.temp} > 20 or {site} == 's1'").test(variables("plain text").forCondition()));
    }

    @Test
    void aMappingStillFailsOnAPayloadThatIsNotJson() {
        // Only the condition treats it as no value; a template that needs the field cannot be filled.
        assertThrows(MappingException.class, () -> variables("plain text").apply("json.temp"));
    }

    private static MessageVariables variables(String payload) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader(MqttHeaders.TOPIC, "sites/s1/telemetry");
        exchange.getIn().setHeader(MqttHeaders.QOS, 1);
        exchange.getIn().setBody(payload.getBytes(StandardCharsets.UTF_8));
        return MessageVariables.ofMqtt(exchange, FILTER);
    }
}
