package io.tributary.routes.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.RouteSink.ColumnType;
import io.tributary.routes.spi.MappingException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnValuesTest {

    @Test
    void numbersConvertToTheirJavaTypes() {
        assertEquals(21, ColumnValues.convert("t", ColumnType.INTEGER, "21"));
        assertEquals(21, ColumnValues.convert("t", ColumnType.INTEGER, " 21.0 "));
        assertEquals(21, ColumnValues.convert("t", ColumnType.INTEGER, "2.1e1"));
        assertEquals(-5_000_000_000L, ColumnValues.convert("t", ColumnType.BIGINT, "-5000000000"));
        assertEquals(-3.5, ColumnValues.convert("t", ColumnType.DOUBLE, "-3.5"));
        assertEquals(0.001, ColumnValues.convert("t", ColumnType.DOUBLE, "1e-3"));
    }

    @Test
    void booleansTimestampsJsonAndText() {
        assertEquals(true, ColumnValues.convert("b", ColumnType.BOOLEAN, "TRUE"));
        assertEquals(false, ColumnValues.convert("b", ColumnType.BOOLEAN, "0"));
        assertEquals(OffsetDateTime.of(2025, 1, 31, 12, 0, 0, 250_000_000, ZoneOffset.UTC),
                ColumnValues.convert("at", ColumnType.TIMESTAMP, "2025-01-31T12:00:00.250Z"));
        assertEquals(OffsetDateTime.of(2025, 1, 31, 13, 0, 0, 0, ZoneOffset.ofHours(1)),
                ColumnValues.convert("at", ColumnType.TIMESTAMP, "2025-01-31T13:00:00+01:00"));
        assertEquals(OffsetDateTime.of(2025, 1, 31, 12, 0, 0, 0, ZoneOffset.UTC),
                ColumnValues.convert("at", ColumnType.TIMESTAMP, "1738324800000"));
        assertEquals("{\"a\": [1, 2]}", ColumnValues.convert("j", ColumnType.JSON, "{\"a\": [1, 2]}"));
        assertEquals("42", ColumnValues.convert("j", ColumnType.JSON, "42"));
        assertEquals("", ColumnValues.convert("s", ColumnType.TEXT, ""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INTEGER   | abc                    | column c: 'abc' is not a number",
            "INTEGER   | ''                     | column c: '' is not a number",
            "INTEGER   | 21.5                   | column c: '21.5' is not a whole number",
            "INTEGER   | 3000000000             | column c: '3000000000' is out of range for an INTEGER column",
            "BIGINT    | 1e30                   | column c: '1e30' is out of range for a BIGINT column",
            "DOUBLE    | NaN                    | column c: 'NaN' is not a number",
            "DOUBLE    | 1e999                  | column c: '1e999' is out of range for a DOUBLE column",
            "BOOLEAN   | maybe                  | column c: 'maybe' is not a boolean (true or false)",
            "TIMESTAMP | 2025-01-31T12:00:00    | column c: '2025-01-31T12:00:00' is not a timestamp",
            "TIMESTAMP | yesterday              | column c: 'yesterday' is not a timestamp",
            "JSON      | '{\"a\": 1'            | column c: '{\"a\": 1' is not JSON",
            "JSON      | '{} {}'                | column c: '{} {}' is not JSON",
            "JSON      | ''                     | column c: '' is not JSON",
    })
    void aValueThatDoesNotConvertIsAMappingErrorNamingColumnAndValue(ColumnType type, String text, String expected) {
        MappingException error = assertThrows(MappingException.class, () -> ColumnValues.convert("c", type, text));
        assertTrue(error.getMessage().startsWith(expected), error.getMessage());
    }

    @Test
    void aLongValueIsShortenedInTheError() {
        String text = "x".repeat(5000);
        MappingException error = assertThrows(MappingException.class,
                () -> ColumnValues.convert("c", ColumnType.INTEGER, text));
        assertTrue(error.getMessage().length() < 200, error.getMessage());
        assertTrue(error.getMessage().contains("(5000 characters)"), error.getMessage());
    }
}
