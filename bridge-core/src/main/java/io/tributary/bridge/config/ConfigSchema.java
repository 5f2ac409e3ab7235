package io.tributary.bridge.config;

import java.util.List;

/** The top-level keys of a configuration file, and every section in documentation order. */
public final class ConfigSchema {

    public static final ConfigKey<BrokerSettings> BROKER = ConfigKey.withoutFixedDefault("broker",
            ValueTypes.structure("a mapping"), "every key at its default",
            "The MQTT broker, with the keys of `broker`.");

    /** The top level of the file; {@code connections} and {@code routes} will join {@code broker} here. */
    public static final ConfigSection ROOT = new ConfigSection("",
            "A configuration file is one YAML mapping with these keys.",
            List.of(BROKER),
            false);

    /** Every section, in the order of the reference documentation. */
    public static final List<ConfigSection> SECTIONS =
            List.of(ROOT, BrokerKeys.BROKER, BrokerKeys.LISTENER, BrokerKeys.TLS);

    private ConfigSchema() {
    }
}
