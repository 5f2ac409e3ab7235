package io.tributary.bridge.config;

import static io.tributary.bridge.config.RouteKeys.INITIAL_BACKOFF;
import static io.tributary.bridge.config.RouteKeys.MAX_ATTEMPTS;
import static io.tributary.bridge.config.RouteKeys.MAX_BACKOFF;
import static io.tributary.bridge.config.RouteKeys.MULTIPLIER;

import java.time.Duration;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads a route's {@code retry}; every key left out takes its default. */
final class RetrySettingsReader {

    private final YamlNodeReader reader;

    RetrySettingsReader(YamlNodeReader reader) {
        this.reader = reader;
    }

    /** The retry settings of {@code route}; empty when they are invalid (reported). */
    Optional<RetrySettings> read(YamlMapping route) {
        Optional<Node> node = route.value(RouteKeys.RETRY);
        if (node.isEmpty()) {
            return Optional.of(RetrySettings.defaults());
        }
        int errorsBefore = reader.errors().count();
        Optional<YamlMapping> found = reader.mapping(node.get(), route.pathOf(RouteKeys.RETRY), RouteKeys.RETRY_SECTION,
                reader.locate(node.get()));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping retry = found.get();
        Optional<Integer> maxAttempts = reader.read(retry, MAX_ATTEMPTS);
        Optional<Duration> initialBackoff = reader.read(retry, INITIAL_BACKOFF);
        Optional<Double> multiplier = reader.read(retry, MULTIPLIER);
        Optional<Duration> maxBackoff = reader.read(retry, MAX_BACKOFF);
        if (initialBackoff.isPresent() && maxBackoff.isPresent()
                && initialBackoff.get().compareTo(maxBackoff.get()) > 0) {
            // Reported at the key given, so that the message points at the value to change.
            ConfigKey<Duration> given = retry.has(MAX_BACKOFF) ? MAX_BACKOFF : INITIAL_BACKOFF;
            reader.report(retry.value(given).orElseThrow(), retry.pathOf(given), "max-backoff "
                    + MAX_BACKOFF.type().format(maxBackoff.get()) + " is shorter than initial-backoff "
                    + INITIAL_BACKOFF.type().format(initialBackoff.get()));
        }
        if (reader.errors().count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new RetrySettings(maxAttempts.orElseThrow(), initialBackoff.orElseThrow(),
                multiplier.orElseThrow(), maxBackoff.orElseThrow()));
    }
}
