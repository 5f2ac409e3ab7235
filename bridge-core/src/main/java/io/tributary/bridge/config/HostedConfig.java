package io.tributary.bridge.config;

import java.util.Objects;

/**
 * A configuration read for Tributary hosted inside another broker: the routes' configuration, whose broker part is
 * only defaults and never used, and the host's own section.
 */
public record HostedConfig(TributaryConfig config, HiveMqSettings hivemq) {

    public HostedConfig {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hivemq, "hivemq");
    }
}
