package io.tributary.bridge.config;

import static io.tributary.bridge.config.RouteKeys.INITIAL_BACKOFF;
import static io.tributary.bridge.config.RouteKeys.MAX_ATTEMPTS;
import static io.tributary.bridge.config.RouteKeys.MAX_BACKOFF;
import static io.tributary.bridge.config.RouteKeys.MULTIPLIER;

import java.time.Duration;
import java.util.Optional;

/** Reads a route's {@code retry}: its keys by their declaration, then that the waits are in order. */
final class RetrySettingsReader {

    private final YamlNodeReader reader;

    RetrySettingsReader(YamlNodeReader reader) {
        this.reader = reader;
    }

    /** The retry settings of {@code route}; empty when they are invalid (reported). */
    Optional<RetrySettings> read(YamlMapping route) {
        if (!route.has(RouteKeys.RETRY)) {
            return Optional.of(RetrySettings.defaults());
        }
        return reader.section(route.value(RouteKeys.RETRY).orElseThrow(), route.pathOf(RouteKeys.RETRY),
                RouteKeys.RETRY_SECTION, retry -> {
                    Optional<Duration> initial = retry.optional(INITIAL_BACKOFF);
                    Optional<Duration> max = retry.optional(MAX_BACKOFF);
                    if (initial.isPresent() && max.isPresent() && initial.get().compareTo(max.get()) > 0) {
                        // Reported at the key given, so that the message points at the value to change.
                        retry.report(retry.has(MAX_BACKOFF) ? MAX_BACKOFF : INITIAL_BACKOFF, "max-backoff "
                                + MAX_BACKOFF.type().format(max.get()) + " is shorter than initial-backoff "
                                + INITIAL_BACKOFF.type().format(initial.get()));
                    }
                    return () -> new RetrySettings(retry.get(MAX_ATTEMPTS), initial.orElseThrow(),
                            retry.get(MULTIPLIER), max.orElseThrow());
                });
    }
}
