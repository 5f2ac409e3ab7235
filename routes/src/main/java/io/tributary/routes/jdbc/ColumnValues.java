package io.tributary.routes.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.bridge.config.RouteSink.ColumnType;
import io.tributary.routes.spi.MappingException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Converts a column's rendered text to the Java value bound for its {@link ColumnType}; text that does not
 * convert is a {@link MappingException} naming the column and the value.
 *
 * <ul>
 *   <li>{@code INTEGER}, {@code BIGINT}: a decimal number without a fraction ({@code 21}, {@code 21.0},
 *       {@code 2.1e1}) within the type's range.</li>
 *   <li>{@code DOUBLE}: a decimal number ({@code -3.5}, {@code 1e-3}); no NaN or infinity.</li>
 *   <li>{@code BOOLEAN}: {@code true}/{@code false} in any case, or {@code 1}/{@code 0}.</li>
 *   <li>{@code TIMESTAMP}: an ISO-8601 date and time with its UTC offset ({@code 2025-01-31T12:00:00Z},
 *       {@code 2025-01-31T13:00:00.250+01:00}), or epoch milliseconds ({@code 1738324800000}); the offset is
 *       kept. A time without offset is refused rather than guessed.</li>
 *   <li>{@code JSON}: one JSON value, stored as written.</li>
 *   <li>{@code TEXT}: the text as it is.</li>
 * </ul>
 */
final class ColumnValues {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Longer than any number the types hold: refused before parsing, so that no huge exponent is expanded. */
    private static final int MAX_NUMBER_LENGTH = 64;
    private static final int MAX_QUOTED_LENGTH = 60;

    private ColumnValues() {
    }

    /**
     * The value of {@code text} for a column of {@code type}.
     *
     * @throws MappingException "column NAME: 'TEXT' is not ..." when it does not convert
     */
    static Object convert(String column, ColumnType type, String text) {
        String problem;
        switch (type) {
            case TEXT:
                return text;
            case INTEGER: {
                BigDecimal number = number(text);
                if (number == null) {
                    problem = "is not a number";
                    break;
                }
                try {
                    return number.intValueExact();
                } catch (ArithmeticException e) {
                    problem = hasFraction(number) ? "is not a whole number" : "is out of range for an INTEGER column";
                    break;
                }
            }
            case BIGINT: {
                BigDecimal number = number(text);
                if (number == null) {
                    problem = "is not a number";
                    break;
                }
                try {
                    return number.longValueExact();
                } catch (ArithmeticException e) {
                    problem = hasFraction(number) ? "is not a whole number" : "is out of range for a BIGINT column";
                    break;
                }
            }
            case DOUBLE: {
                BigDecimal number = number(text);
                if (number == null) {
                    problem = "is not a number";
                    break;
                }
                double value = number.doubleValue();
                if (Double.isInfinite(value)) {
                    problem = "is out of range for a DOUBLE column";
                    break;
                }
                return value;
            }
            case BOOLEAN: {
                String value = text.strip().toLowerCase(Locale.ROOT);
                if (value.equals("true") || value.equals("1")) {
                    return Boolean.TRUE;
                }
                if (value.equals("false") || value.equals("0")) {
                    return Boolean.FALSE;
                }
                problem = "is not a boolean (true or false)";
                break;
            }
            case TIMESTAMP: {
                OffsetDateTime time = timestamp(text.strip());
                if (time != null) {
                    return time;
                }
                problem = "is not a timestamp (ISO-8601 with a UTC offset, such as 2025-01-31T12:00:00Z, "
                        + "or epoch milliseconds)";
                break;
            }
            case JSON: {
                String error = jsonError(text);
                if (error == null) {
                    return text;
                }
                problem = "is not JSON (" + error + ")";
                break;
            }
            default:
                throw new IllegalArgumentException("no conversion to " + type);
        }
        throw new MappingException("column " + column + ": " + quoted(text) + " " + problem);
    }

    private static BigDecimal number(String text) {
        String value = text.strip();
        if (value.isEmpty() || value.length() > MAX_NUMBER_LENGTH) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean hasFraction(BigDecimal number) {
        return number.signum() != 0 && number.stripTrailingZeros().scale() > 0;
    }

    private static OffsetDateTime timestamp(String text) {
        if (!text.isEmpty() && text.length() <= 19 && text.chars().allMatch(Character::isDigit)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text)).atOffset(ZoneOffset.UTC);
            } catch (RuntimeException e) {
                return null;
            }
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(text);
            if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                return null;
            }
            return OffsetDateTime.from(parsed);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String jsonError(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isMissingNode() ? "it is empty" : null;
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            int end = message.indexOf('\n');
            return end < 0 ? message : message.substring(0, end);
        }
    }

    /** The text in quotes, shortened when long: errors go to logs and dead letters. */
    private static String quoted(String text) {
        return text.length() <= MAX_QUOTED_LENGTH ? "'" + text + "'"
                : "'" + text.substring(0, MAX_QUOTED_LENGTH) + "...' (" + text.length() + " characters)";
    }
}
