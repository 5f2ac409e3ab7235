package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
