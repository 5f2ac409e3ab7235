package io.tributary.bench;

import io.tributary.bench.cli.BenchCommand;

/**
 * The benchmark's entry point ({@code bench/run.sh} and the docs call it by this name); the commands are in
 * {@link BenchCommand}.
 *
 * <ul>
 *   <li>{@code compare}: starts Tributary, Mosquitto and HiveMQ CE one after the other, each in its own process on a
 *       free loopback port, runs every scenario and the idle-client memory test against each, and writes a markdown
 *       report with ratios (what {@code bench/run.sh} calls);</li>
 *   <li>{@code drive}: runs scenarios against any broker already running at {@code --host}/{@code --port};</li>
 *   <li>{@code idle}: holds idle connections against any broker and reports its memory (with {@code --pid}).</li>
 *   <li>{@code kafka}: MQTT QoS 1 → Kafka end to end: Tributary's configured route ({@code tributary run}) against
 *       Mosquitto plus a plain Camel bridge (camel-paho → camel-kafka), both writing to one real Kafka in its own
 *       JVM, with a markdown report (what {@code bench/run.sh kafka} calls);</li>
 *   <li>{@code sinks}: Tributary's MQTT QoS 1 routes into a real PostgreSQL (several batch sizes) and into a webhook
 *       served by the driver, and into Kafka for context, with a markdown report (what {@code bench/run.sh sinks}
 *       calls).</li>
 * </ul>
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        // Exit explicitly: the MQTT client's and Kafka's threads would keep the JVM up.
        System.exit(BenchCommand.execute(args));
    }
}
