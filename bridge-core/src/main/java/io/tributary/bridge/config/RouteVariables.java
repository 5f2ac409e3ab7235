package io.tributary.bridge.config;

import io.tributary.bridge.mapping.TopicPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The template variables a route's source gives each message, which the route's templates and condition may
 * use. A name ending in '.' is a prefix: {@code header.} allows {@code {header.tenant}}.
 *
 * @param allowed the names and prefixes, in the order errors list them
 */
record RouteVariables(List<String> allowed) {

    /** Variables of every MQTT message: beside the filter's placeholders. */
    static final List<String> MQTT = List.of("topic", "client-id", "qos", "header.", "json.");
    /** Variables of every Kafka record. */
    static final List<String> KAFKA = List.of("key", "topic", "partition", "offset", "header.", "json.");
    /** Variables of every message, whatever its source: when it was received or written, and its payload as text. */
    static final List<String> EVERY_SOURCE = List.of("timestamp", "payload");
    /** What a dead-letter destination knows beside the message: why it failed, and which route failed. */
    static final List<String> DEAD_LETTER = List.of("error", "route");

    RouteVariables {
        allowed = List.copyOf(allowed);
    }

    /** The variables of messages from {@code source}. */
    static RouteVariables of(RouteSource source) {
        if (source instanceof RouteSource.Mqtt mqtt) {
            return ofMqtt(mqtt.filter());
        }
        if (source instanceof RouteSource.ExternalMqtt mqtt) {
            return ofMqtt(mqtt.filter());
        }
        return new RouteVariables(concat(KAFKA, EVERY_SOURCE));
    }

    /** The variables of a message from an MQTT broker, built-in or external: the same for both. */
    private static RouteVariables ofMqtt(TopicPattern filter) {
        return new RouteVariables(concat(concat(filter.placeholders(), MQTT), EVERY_SOURCE));
    }

    /** These variables and those a dead-letter destination adds. */
    RouteVariables forDeadLetter() {
        return new RouteVariables(concat(allowed, DEAD_LETTER));
    }

    /** The plain names, for "did you mean" hints. */
    List<String> names() {
        return allowed.stream().filter(name -> !name.endsWith(".")).toList();
    }

    /** As listed in errors: {@code site, topic, header.*}. */
    String describe() {
        return allowed.stream().map(name -> name.endsWith(".") ? name + "*" : name).collect(Collectors.joining(", "));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        second.stream().filter(name -> !all.contains(name)).forEach(all::add);
        return all;
    }
}
