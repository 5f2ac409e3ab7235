package io.tributary.bench.cli;

import static io.tributary.bench.cli.BrokerLoadOptions.or;
import static io.tributary.bench.cli.BrokerLoadOptions.seconds;

import io.tributary.bench.kafka.KafkaLoadSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the route benchmarks (Tributary from its jar, QoS 1 telemetry into a sink): kafka and sinks. */
final class TelemetryLoadOptions {

    @Option(names = "--quick", description = "5 s warm-up, 5 s measured, 20 s drain at most") boolean quick;
    @Option(names = "--publishers", paramLabel = "N", description = "MQTT publishers") Integer publishers;
    @Option(names = "--warmup", paramLabel = "S") Integer warmup;
    @Option(names = "--duration", paramLabel = "S") Integer duration;
    @Option(names = "--drain", paramLabel = "S") Integer drain;
    @Option(names = "--payload", paramLabel = "BYTES", description = "at least 88 with the HiveMQ driver, 40 with the raw one") Integer payload;

    @Option(names = "--inflight", paramLabel = "N", description = "publishes without PUBACK per publisher")
    Integer inflight;

    @Option(names = "--partitions", paramLabel = "N", description = "partitions of every Kafka topic written to")
    Integer partitions;

    @Option(names = "--client-threads", paramLabel = "N", description = "Netty threads of the driver's MQTT clients")
    Integer clientThreads;

    @Option(names = "--app-jar", defaultValue = "app/target/tributary.jar", paramLabel = "PATH") Path appJar;

    @Option(names = "--pid-dir", paramLabel = "DIR", description = "where every process started keeps its PID file")
    Path pidDir;

    /** The Tributary jar, which the route benchmarks run as users do. */
    Path existingAppJar() {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalArgumentException(appJar + " is missing: build it with "
                    + "mvn -q -DskipTests package -pl app -am, or pass --app-jar");
        }
        return appJar;
    }

    /** {@code base} with what was given on the command line; {@code rate} null keeps its paced rate. */
    KafkaLoadSettings settings(KafkaLoadSettings base, Integer rate) {
        return new KafkaLoadSettings(or(publishers, base.publishers()),
                seconds(warmup, base.warmUp()), seconds(duration, base.measure()), seconds(drain, base.drainTimeout()),
                or(payload, base.payloadBytes()), or(inflight, base.inFlight()),
                or(rate, base.pacedRatePerPublisher()), or(partitions, base.partitions()),
                or(clientThreads, base.clientIoThreads()));
    }
}
