package io.tributary.bridge.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The value types that configuration keys are declared with. */
public final class ValueTypes {

    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]{1,19}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern HTTP_PATH = Pattern.compile("/\\S*");

    private ValueTypes() {
    }

    /** A whole number from {@code min} to {@code max}, inclusive. */
    public static ValueType<Integer> integer(int min, int max) {
        ValueType<Long> wide = longInteger(min, max);
        return new ValueType<>() {
            @Override
            public String expected() {
                return wide.expected();
            }

            @Override
            public Optional<Integer> parse(String text) {
                return wide.parse(text).map(Long::intValue);
            }

            @Override
            public boolean accepts(Integer value) {
                return value != null && wide.accepts(value.longValue());
            }
        };
    }

    /** A whole number from {@code min} to {@code max}, inclusive, that may need more than 32 bits. */
    public static ValueType<Long> longInteger(long min, long max) {
        String expected = max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                ? "an integer of at least " + min
                : "an integer " + min + "-" + max;
        return new ValueType<>() {
            @Override
            public String expected() {
                return expected;
            }

            @Override
            public Optional<Long> parse(String text) {
                if (!INTEGER.matcher(text).matches()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Long.parseLong(text)).filter(this::accepts);
                } catch (NumberFormatException tooLong) {
                    return Optional.empty();
                }
            }

            @Override
            public boolean accepts(Long value) {
                return value != null && value >= min && value <= max;
            }
        };
    }

    /** {@code true} or {@code false}, in any case. */
    public static ValueType<Boolean> bool() {
        return new ValueType<>() {
            @Override
            public String expected() {
                return "true or false";
            }

            @Override
            public Optional<Boolean> parse(String text) {
                if (text.equalsIgnoreCase("true")) {
                    return Optional.of(true);
                }
                return text.equalsIgnoreCase("false") ? Optional.of(false) : Optional.empty();
            }

            @Override
            public boolean accepts(Boolean value) {
                return value != null;
            }
        };
    }

    /**
     * One constant of an enum, written in kebab case: {@code DROP_OLDEST} is {@code drop-oldest}. Any case is
     * accepted.
     */
    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String expected = "one of " + Arrays.stream(constants).map(ValueTypes::kebab).collect(Collectors.joining(", "));
        return new ValueType<>() {
            @Override
            public String expected() {
                return expected;
            }

            @Override
            public Optional<E> parse(String text) {
                return Arrays.stream(constants).filter(c -> kebab(c).equalsIgnoreCase(text)).findFirst();
            }

            @Override
            public boolean accepts(E value) {
                return value != null;
            }

            @Override
            public String format(E value) {
                return kebab(value);
            }
        };
    }

    /** An address to bind: a host name, an IPv4 address or an IPv6 address; not resolved here. */
    public static ValueType<String> host() {
        return matching("a host name or IP address", HOST);
    }

    /** A name for logs and metrics: letters, digits, '.', '_' and '-'. */
    public static ValueType<String> name() {
        return matching("a name of letters, digits, '.', '_' or '-'", NAME);
    }

    /** An HTTP path such as {@code /mqtt}. */
    public static ValueType<String> httpPath() {
        return matching("a path starting with '/'", HTTP_PATH);
    }

    /** A file; a relative one is resolved against the directory of the configuration file. */
    public static ValueType<Path> file() {
        return new ValueType<>() {
            @Override
            public String expected() {
                return "a file path";
            }

            @Override
            public Optional<Path> parse(String text) {
                if (text.isBlank()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Path.of(text));
                } catch (InvalidPathException invalid) {
                    return Optional.empty();
                }
            }

            @Override
            public boolean accepts(Path value) {
                return value != null;
            }
        };
    }

    /**
     * A mapping or list read by its own section reader. Written as a plain scalar it is always invalid, which
     * gives the error {@code expected <what>, got 'x'}.
     */
    public static <T> ValueType<T> structure(String expected) {
        return new ValueType<>() {
            @Override
            public String expected() {
                return expected;
            }

            @Override
            public Optional<T> parse(String text) {
                return Optional.empty();
            }

            @Override
            public boolean accepts(T value) {
                return value != null;
            }

            @Override
            public boolean isScalar() {
                return false;
            }
        };
    }

    /** The kebab-case YAML spelling of an enum constant. */
    public static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static ValueType<String> matching(String expected, Pattern pattern) {
        return new ValueType<>() {
            @Override
            public String expected() {
                return expected;
            }

            @Override
            public Optional<String> parse(String text) {
                return pattern.matcher(text).matches() ? Optional.of(text) : Optional.empty();
            }

            @Override
            public boolean accepts(String value) {
                return value != null && pattern.matcher(value).matches();
            }
        };
    }
}
