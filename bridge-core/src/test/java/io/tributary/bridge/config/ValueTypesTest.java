package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.broker.QueueFullPolicy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void integerAcceptsItsBoundsAndNothingBeyond() {
        ValueType<Integer> port = ValueTypes.integer(0, 65_535);

        assertEquals(Optional.of(0), port.parse("0"));
        assertEquals(Optional.of(65_535), port.parse("65535"));
        assertEquals(Optional.empty(), port.parse("65536"));
        assertEquals(Optional.empty(), port.parse("-1"));
    }

    @Test
    void integerRejectsFractionsHexAndHugeNumbers() {
        ValueType<Integer> port = ValueTypes.integer(0, 65_535);

        assertEquals(Optional.empty(), port.parse("1.5"));
        assertEquals(Optional.empty(), port.parse("0x10"));
        assertEquals(Optional.empty(), port.parse("99999999999999999999999"));
    }

    @Test
    void unboundedIntegerIsDescribedByItsMinimum() {
        assertEquals("an integer of at least 1", ValueTypes.integer(1, Integer.MAX_VALUE).expected());
    }

    @Test
    void enumIsWrittenInKebabCaseAndReadInAnyCase() {
        ValueType<QueueFullPolicy> policy = ValueTypes.oneOf(QueueFullPolicy.class);

        assertEquals("drop-oldest", policy.format(QueueFullPolicy.DROP_OLDEST));
        assertEquals(Optional.of(QueueFullPolicy.DROP_OLDEST), policy.parse("DROP-OLDEST"));
        assertEquals(Optional.empty(), policy.parse("drop_oldest"));
    }

    @Test
    void booleanIsTrueOrFalseOnly() {
        assertEquals(Optional.of(true), ValueTypes.bool().parse("true"));
        assertEquals(Optional.of(false), ValueTypes.bool().parse("False"));
        assertEquals(Optional.empty(), ValueTypes.bool().parse("yes"));
    }

    @Test
    void httpPathStartsWithASlash() {
        assertEquals(Optional.empty(), ValueTypes.httpPath().parse("mqtt"));
        assertEquals(Optional.of("/mqtt"), ValueTypes.httpPath().parse("/mqtt"));
    }

    @Test
    void durationIsAWholeNumberWithAUnit() {
        ValueType<Duration> duration = ValueTypes.duration();

        assertEquals(Optional.of(Duration.ofMillis(250)), duration.parse("250ms"));
        assertEquals(Optional.of(Duration.ofSeconds(5)), duration.parse("5s"));
        assertEquals(Optional.of(Duration.ofMinutes(2)), duration.parse("2m"));
        assertEquals(Optional.of(Duration.ofHours(1)), duration.parse("1h"));
        assertEquals(Optional.of(Duration.ofDays(2)), duration.parse("2d"));
    }

    @Test
    void durationRejectsZeroFractionsAndMissingUnits() {
        ValueType<Duration> duration = ValueTypes.duration();

        assertEquals(Optional.empty(), duration.parse("0s"));
        assertEquals(Optional.empty(), duration.parse("1.5s"));
        assertEquals(Optional.empty(), duration.parse("30"));
        assertEquals(Optional.empty(), duration.parse("5 s"));
        assertEquals(Optional.empty(), duration.parse("-1s"));
    }

    @Test
    void durationOrZeroAlsoAcceptsZero() {
        ValueType<Duration> duration = ValueTypes.durationOrZero();

        assertEquals(Optional.of(Duration.ZERO), duration.parse("0s"));
        assertEquals(Optional.of(Duration.ZERO), duration.parse("0ms"));
        assertEquals(Optional.of(Duration.ofSeconds(10)), duration.parse("10s"));
        assertEquals(Optional.empty(), duration.parse("-1s"));
        assertEquals(Optional.empty(), duration.parse("0"));
        assertEquals("0s", duration.format(Duration.ZERO));
    }

    @Test
    void durationIsWrittenInItsLargestWholeUnit() {
        ValueType<Duration> duration = ValueTypes.duration();

        assertEquals("90s", duration.format(Duration.ofSeconds(90)));
        assertEquals("2m", duration.format(Duration.ofSeconds(120)));
        assertEquals("1500ms", duration.format(Duration.ofMillis(1500)));
        assertEquals("36h", duration.format(Duration.ofHours(36)));
        assertEquals("1d", duration.format(Duration.ofHours(24)));
    }

    @Test
    void decimalAcceptsWholeAndFractionalNumbersWithinItsBounds() {
        ValueType<Double> multiplier = ValueTypes.decimal(1, Double.MAX_VALUE);

        assertEquals(Optional.of(2.0), multiplier.parse("2"));
        assertEquals(Optional.of(1.5), multiplier.parse("1.5"));
        assertEquals(Optional.empty(), multiplier.parse("0.5"));
        assertEquals(Optional.empty(), multiplier.parse("NaN"));
        assertEquals("2", multiplier.format(2.0));
        assertEquals("a number of at least 1", multiplier.expected());
    }

    @Test
    void bootstrapServersAreHostPortPairsSeparatedByCommas() {
        ValueType<String> servers = ValueTypes.bootstrapServers();

        assertEquals(Optional.of("a:9092,b.example:9093"), servers.parse("a:9092,b.example:9093"));
        assertEquals(Optional.of("[::1]:9092"), servers.parse("[::1]:9092"));
        assertEquals(Optional.empty(), servers.parse("a"));
        assertEquals(Optional.empty(), servers.parse("a:99999"));
        assertEquals(Optional.empty(), servers.parse("a:9092,"));
    }

    @Test
    void kafkaTopicNameRefusesDotsAloneAndOtherCharacters() {
        ValueType<String> topic = ValueTypes.kafkaTopic();

        assertEquals(Optional.of("telemetry.s1_a-b"), topic.parse("telemetry.s1_a-b"));
        assertEquals(Optional.empty(), topic.parse(".."));
        assertEquals(Optional.empty(), topic.parse("a/b"));
        assertEquals(Optional.empty(), topic.parse("x".repeat(250)));
    }
}
