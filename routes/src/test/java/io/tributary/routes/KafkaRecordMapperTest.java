package io.tributary.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.mapping.Template;
import io.tributary.routes.spi.MappingException;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaRecordMapperTest {

    private static Exchange map(String site) {
        KafkaRecordMapper mapper = new KafkaRecordMapper(
                new RouteSink.Kafka("main", Template.parse("telemetry.{site}"), Optional.empty(), Map.of()),
                exchange -> Map.of("site", site)::get);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        mapper.process(exchange);
        return exchange;
    }

    @ParameterizedTest
    @ValueSource(strings = {"plant-1", "a_b", "A.9"})
    void aTopicLevelThatMakesAValidKafkaTopicIsUsed(String site) {
        assertEquals("telemetry." + site, map(site).getIn().getHeader(KafkaConstants.OVERRIDE_TOPIC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plant 1", "plant/1", "ü", "a:b"})
    void aTopicLevelThatMakesAnInvalidKafkaTopicIsAMappingError(String site) {
        MappingException error = assertThrows(MappingException.class, () -> map(site));
        assertTrue(error.getMessage().contains("not a Kafka topic name"), error.getMessage());
    }

    @Test
    void aTopicNameLongerThanKafkaTakesIsAMappingError() {
        assertThrows(MappingException.class, () -> map("x".repeat(240)));
    }
}
