package io.tributary.broker;

import java.util.Objects;

/** An MQTT 5 user property: a name/value pair that travels with a message, order and repeats kept. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
