package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Condition;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.QoS;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The value types that configuration keys are declared with. */
public final class ValueTypes {

    /** The methods a webhook request may use, in the configuration and in the HTTP API. */
    public static final List<String> HTTP_METHODS = List.of("POST", "PUT", "PATCH");

    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]{1,19}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]{1,15}(\\.[0-9]{1,15})?");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");
    private static final Pattern MQTT_URL = Pattern.compile(
            "(?i)(tcp|mqtt|ssl|mqtts)://([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.%]+\\])(?::([0-9]{1,5}))?/?");
    private static final Pattern HTTP_HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+"); // RFC 9110's token
    private static final String ADDRESS = "(?:[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.%]+\\]):[0-9]{1,5}";
    private static final Pattern BOOTSTRAP_SERVERS = Pattern.compile(ADDRESS + "(?:\\s*,\\s*" + ADDRESS + ")*");

    private ValueTypes() {
    }

    /** A whole number from {@code min} to {@code max}, inclusive. */
    public static ValueType<Integer> integer(int min, int max) {
        ValueType<Long> wide = longInteger(min, max);
        return type(wide.expected(), text -> wide.parse(text).map(Long::intValue), v -> wide.accepts(v.longValue()));
    }

    /** A whole number from {@code min} to {@code max}, inclusive, that may need more than 32 bits. */
    public static ValueType<Long> longInteger(long min, long max) {
        String expected = max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                ? "an integer of at least " + min
                : "an integer " + min + "-" + max;
        return type(expected, text -> {
            try {
                return Optional.of(text).filter(INTEGER.asMatchPredicate()).map(Long::parseLong);
            } catch (NumberFormatException tooLong) {
                return Optional.empty();
            }
        }, value -> value >= min && value <= max);
    }

    /** A number from {@code min} to {@code max}, inclusive, with or without a fraction: {@code 2}, {@code 1.5}. */
    public static ValueType<Double> decimal(double min, double max) {
        String expected = max == Double.MAX_VALUE
                ? "a number of at least " + formatDecimal(min)
                : "a number " + formatDecimal(min) + "-" + formatDecimal(max);
        return type(expected, text -> Optional.of(text).filter(DECIMAL.asMatchPredicate()).map(Double::parseDouble),
                value -> value >= min && value <= max, ValueTypes::formatDecimal);
    }

    /** A positive duration: a whole number followed by {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}. */
    public static ValueType<Duration> duration() {
        return duration(false);
    }

    /** Like {@link #duration()}, and zero ({@code 0s}) too: for keys where zero turns something off. */
    public static ValueType<Duration> durationOrZero() {
        return duration(true);
    }

    /** A duration of at least {@code min}: for keys where a shorter one could only misfire. */
    public static ValueType<Duration> durationAtLeast(Duration min) {
        return duration("a duration of at least " + formatDuration(min) + ", such as 30s or 10m",
                value -> value.compareTo(min) >= 0);
    }

    private static ValueType<Duration> duration(boolean zero) {
        String expected = zero ? "a duration such as 500ms, 5s or 2m, or 0s" : "a duration such as 500ms, 5s or 2m";
        return duration(expected, value -> !value.isNegative() && (zero || !value.isZero()));
    }

    private static ValueType<Duration> duration(String expected, Predicate<Duration> valid) {
        return type(expected, text -> {
            var m = DURATION.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            ChronoUnit unit = switch (m.group(2)) {
                case "ms" -> ChronoUnit.MILLIS;
                case "s" -> ChronoUnit.SECONDS;
                case "m" -> ChronoUnit.MINUTES;
                case "h" -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            return Optional.of(Duration.of(Long.parseLong(m.group(1)), unit));
        }, valid, ValueTypes::formatDuration);
    }

    private static String formatDuration(Duration value) {
        long millis = value.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** {@code true} or {@code false}, in any case. */
    public static ValueType<Boolean> bool() {
        return type("true or false", text -> text.equalsIgnoreCase("true") ? Optional.of(true)
                : text.equalsIgnoreCase("false") ? Optional.of(false) : Optional.empty(), value -> true);
    }

    /**
     * One constant of an enum, written in kebab case: {@code DROP_OLDEST} is {@code drop-oldest}. Any case is
     * accepted.
     */
    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
        return oneOf(type, Map.of());
    }

    /**
     * As {@link #oneOf(Class)}, also taking the words of {@code aliases} (lower case), which earlier versions
     * accepted; the expected text names the constants only.
     */
    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type, Map<String, E> aliases) {
        E[] constants = type.getEnumConstants();
        String expected = "one of " + Arrays.stream(constants).map(ValueTypes::kebab).collect(Collectors.joining(", "));
        return type(expected, text -> Arrays.stream(constants).filter(c -> kebab(c).equalsIgnoreCase(text)).findFirst()
                        .or(() -> Optional.ofNullable(aliases.get(text.toLowerCase(java.util.Locale.ROOT)))),
                value -> true, ValueTypes::kebab);
    }

    /** An address to bind: a host name, an IPv4 address or an IPv6 address; not resolved here. */
    public static ValueType<String> host() {
        return matching("a host name or IP address", "[A-Za-z0-9._:%\\[\\]-]+");
    }

    /**
     * Where an MQTT broker is: {@code tcp://host[:port]} or {@code ssl://host[:port]} ({@code mqtt://} and
     * {@code mqtts://} alike), port 1883 or 8883 when left out.
     */
    public static ValueType<MqttConnectionSettings.Address> mqttUrl() {
        return type("an MQTT broker address such as tcp://host:1883", text -> {
            var m = MQTT_URL.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            boolean tls = m.group(1).equalsIgnoreCase("ssl") || m.group(1).equalsIgnoreCase("mqtts");
            int port = m.group(3) == null ? (tls ? 8883 : 1883) : Integer.parseInt(m.group(3));
            return Optional.of(new MqttConnectionSettings.Address(tls, m.group(2), port));
        }, address -> address.port() >= 1 && address.port() <= 65_535);
    }

    /** An MQTT protocol version: {@code 5} or {@code 3.1.1}, as written (YAML reads the first as a number). */
    public static ValueType<String> mqttVersion() {
        return matching("5 or 3.1.1", "5|3\\.1\\.1");
    }

    /** An MQTT client identifier: up to 256 characters, none of them white space. */
    public static ValueType<String> mqttClientId() {
        return matching("a client identifier of up to 256 characters without spaces", "\\S{1,256}");
    }

    /** A name for logs and metrics: letters, digits, '.', '_' and '-'. */
    public static ValueType<String> name() {
        return matching("a name of letters, digits, '.', '_' or '-'", "[A-Za-z0-9._-]+");
    }

    /** A cluster node's name or topic prefix: letters, digits, '.', '_' and '-', at most 100 characters. */
    public static ValueType<String> clusterName() {
        return matching("a name of letters, digits, '.', '_' or '-', at most 100 characters", CLUSTER_NAME);
    }

    /** The pattern of {@link #clusterName()}, for a default taken from elsewhere (the host name). */
    static final String CLUSTER_NAME = "[A-Za-z0-9._-]{1,100}";

    /** An HTTP path such as {@code /mqtt}. */
    public static ValueType<String> httpPath() {
        return matching("a path starting with '/'", "/\\S*");
    }

    /** An MQTT QoS level: 0, 1 or 2. */
    public static ValueType<QoS> qos() {
        return type("0, 1 or 2", text -> Optional.of(text).filter(t -> t.matches("[012]"))
                .map(t -> QoS.of(Integer.parseInt(t))), value -> true, value -> String.valueOf(value.value()));
    }

    /** Any single value, kept as the text written: a string, a number or a boolean. */
    public static ValueType<String> text() {
        return type("a single value (text, number or true/false)", Optional::of, value -> true);
    }

    /** Exactly {@code word}, such as a shorthand that stands for a whole mapping. */
    public static ValueType<String> exactly(String word, String expected) {
        return type(expected, Optional::of, word::equals);
    }

    /** A Kafka topic name: letters, digits, '.', '_' and '-', at most 249 characters. */
    public static ValueType<String> kafkaTopic() {
        // Kafka refuses '.' and '..' as topic names, and names longer than 249 characters.
        return matching("a Kafka topic name of letters, digits, '.', '_' or '-', at most 249 characters",
                "(?!\\.{1,2}$)[A-Za-z0-9._-]{1,249}");
    }

    /** The {@code host:port} addresses of a Kafka cluster, separated by commas. */
    public static ValueType<String> bootstrapServers() {
        return type("host:port, or several separated by commas", Optional::of,
                value -> BOOTSTRAP_SERVERS.matcher(value).matches() && Arrays.stream(value.split(","))
                        .map(a -> a.substring(a.lastIndexOf(':') + 1).trim())
                        .allMatch(port -> Integer.parseInt(port) <= 65_535));
    }

    /** A JDBC URL such as {@code jdbc:postgresql://db:5432/tributary}; the driver checks the rest. */
    public static ValueType<String> jdbcUrl() {
        return matching("a JDBC URL starting with jdbc:", "jdbc:\\S+");
    }

    /**
     * A table or column name that needs no quoting in SQL: letters, digits and '_', not starting with a digit,
     * at most 63 characters.
     */
    public static ValueType<String> sqlName() {
        // PostgreSQL cuts longer names to 63 characters, so two long names could become one.
        return matching("a SQL name of letters, digits and '_', not starting with a digit, at most 63 characters",
                "[A-Za-z_][A-Za-z0-9_]{0,62}");
    }

    /** The name of an environment variable: letters, digits and '_', not starting with a digit. */
    public static ValueType<String> environmentVariable() {
        return matching("an environment variable name of letters, digits and '_', not starting with a digit",
                "[A-Za-z_][A-Za-z0-9_]*");
    }

    /** The user name of HTTP basic authentication, which cannot hold ':' (it separates the password). */
    public static ValueType<String> userName() {
        return matching("a user name without ':'", "[^:\\p{Cntrl}]+");
    }

    /** The method of a webhook request: POST, PUT or PATCH, in any case; parsed upper-cased. */
    public static ValueType<String> httpMethod() {
        return type("one of " + String.join(", ", HTTP_METHODS),
                text -> Optional.of(text.toUpperCase(Locale.ROOT)), HTTP_METHODS::contains);
    }

    /**
     * The name of a header a webhook request adds. {@code Authorization} is refused: credentials are given by
     * {@code auth}, so that they come from the environment or a file rather than the configuration.
     */
    public static ValueType<String> httpHeaderName() {
        return type("an HTTP header name of letters, digits and !#$%&'*+-.^_`|~", text -> {
            if (text.equalsIgnoreCase("Authorization")) {
                throw new IllegalArgumentException("a secret is never written in the configuration: give "
                        + "credentials as auth: { bearer: ... } or auth: { basic: ... }");
            }
            return Optional.of(text);
        }, value -> HTTP_HEADER.matcher(value).matches() && !value.equalsIgnoreCase("Authorization"));
    }

    /** A {@link Template} such as {@code telemetry.{site}}; a malformed one is reported with its problem. */
    public static ValueType<Template> template() {
        return parsedBy("a template", Template::parse, true);
    }

    /** A {@link TopicPattern} such as {@code sites/{site}/telemetry}, reported with its problem when malformed. */
    public static ValueType<TopicPattern> topicPattern() {
        return parsedBy("an MQTT topic filter", TopicPattern::parse, false);
    }

    /** A {@link Condition} such as {@code {site} == 's1'}, reported with its problem when malformed. */
    public static ValueType<Condition> condition() {
        return parsedBy("a condition", Condition::parse, true);
    }

    /** A folder; a relative one is resolved against the directory of the configuration file. */
    public static ValueType<Path> folder() {
        return path("a folder path");
    }

    /** A file; a relative one is resolved against the directory of the configuration file. */
    public static ValueType<Path> file() {
        return path("a file path");
    }

    private static ValueType<Path> path(String expected) {
        return type(expected, text -> {
            try {
                return text.isBlank() ? Optional.empty() : Optional.of(Path.of(text));
            } catch (InvalidPathException invalid) {
                return Optional.empty();
            }
        }, value -> true);
    }

    /**
     * A mapping or list read by its own section reader. Written as a plain scalar it is always invalid, which
     * gives the error {@code expected <what>, got 'x'}.
     */
    public static <T> ValueType<T> structure(String expected) {
        return new Declared<>(expected, text -> Optional.<T>empty(), value -> true, String::valueOf, false, false);
    }

    /** The kebab-case YAML spelling of an enum constant. */
    public static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String formatDecimal(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** A type whose parser throws {@link IllegalArgumentException} with a message that says what is wrong. */
    private static <T> ValueType<T> parsedBy(String expected, Function<String, T> parser, boolean inContext) {
        return new Declared<>(expected, text -> Optional.of(parser.apply(text)), value -> true, Object::toString, true,
                inContext);
    }

    private static ValueType<String> matching(String expected, String regex) {
        return type(expected, Optional::of, Pattern.compile(regex).asMatchPredicate());
    }

    private static <T> ValueType<T> type(String expected, Function<String, Optional<T>> parser, Predicate<T> valid) {
        return type(expected, parser, valid, String::valueOf);
    }

    private static <T> ValueType<T> type(String expected, Function<String, Optional<T>> parser, Predicate<T> valid,
                                         Function<T, String> formatter) {
        return new Declared<>(expected, parser, valid, formatter, true, false);
    }

    /**
     * A value type made of its parts.
     *
     * @param parser the text's value, before {@code valid} checks it; empty when the text is no value at all
     * @param valid whether a non-null value is in range
     * @param checkedInContext see {@link ValueType#checkedInContext()}
     */
    private record Declared<T>(String expected, Function<String, Optional<T>> parser, Predicate<T> valid,
                               Function<T, String> formatter, boolean isScalar, boolean checkedInContext)
            implements ValueType<T> {

        @Override
        public Optional<T> parse(String text) {
            return parser.apply(text).filter(this::accepts);
        }

        @Override
        public boolean accepts(T value) {
            return value != null && valid.test(value);
        }

        @Override
        public String format(T value) {
            return formatter.apply(value);
        }
    }
}
