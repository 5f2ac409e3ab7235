package io.tributary.bench.cli;

import io.tributary.bench.kafka.BridgeSystem;
import io.tributary.bench.kafka.KafkaComparison;
import io.tributary.bench.kafka.KafkaLoad;
import io.tributary.bench.kafka.KafkaLoadSettings;
import io.tributary.bench.kafka.KafkaScenarioRunner;
import io.tributary.bench.raw.RawRouteLoad;
import io.tributary.bench.kafka.KafkaScenario;
import io.tributary.bench.kafka.ExternalCamelSystem;
import io.tributary.bench.kafka.ExternalTributarySystem;
import io.tributary.bench.kafka.HiveMqExtensionSystem;
import io.tributary.bench.kafka.TributarySystem;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.server.BrokerLauncher;
import io.tributary.bench.server.HiveMqExtensionLauncher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kafka}: MQTT QoS 1 → Kafka, Tributary's route against Mosquitto plus a Camel bridge. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "MQTT QoS 1 -> Kafka: Tributary against Mosquitto plus a plain Camel bridge.")
final class KafkaCommand implements Callable<Integer> {

    @Mixin TelemetryLoadOptions load;
    @Mixin RunPlaceOptions places;
    @Mixin MosquittoOptions mosquitto;

    @Option(names = "--systems", split = ",", paramLabel = "LIST", defaultValue = "tributary,mosquitto-camel",
            description = "which systems, in column order: tributary, tributary-before, and BROKER-camel and "
                    + "BROKER-tributary (the broker the publishers talk to, read by a Camel bridge or by Tributary over "
                    + "its MQTT link) for BROKER mosquitto, hivemq or tributary, and hivemq-extension (HiveMQ CE with "
                    + "Tributary's extension from its zip running the route: build hivemq-extension first)")
    List<String> systems;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", defaultValue = "kafka-qos1,kafka-qos1-paced")
    List<String> scenarios;

    @Option(names = "--rate", paramLabel = "N", description = "msg/s per publisher in kafka-qos1-paced; default 2500")
    Integer rate;

    @Option(names = "--tributary-kafka", paramLabel = "ENTRIES", defaultValue = "",
            description = "more keys of Tributary's Kafka connection, as YAML mapping entries, to compare producer "
                    + "settings, e.g. 'linger: 2ms, compression: lz4'")
    String tributaryKafka;

    @Option(names = "--tributary-link", paramLabel = "ENTRIES", defaultValue = "",
            description = "more keys of the BROKER-tributary systems' MQTT connection, as YAML mapping entries, "
                    + "e.g. 'max-inflight: 1000'")
    String tributaryLink;

    @Option(names = "--hivemq-extension-target", paramLabel = "DIR", defaultValue = "hivemq-extension/target",
            description = "the hivemq-extension module's target folder after mvn package: the extension's zip and "
                    + "HiveMQ CE's class path, for the system hivemq-extension")
    java.nio.file.Path hivemqExtensionTarget;

    @Option(names = "--driver", paramLabel = "NAME", defaultValue = "hivemq",
            description = "hivemq (the HiveMQ MQTT client, MQTT 3.1.1, JSON payloads) or raw (raw sockets, MQTT 5, "
                    + "pre-encoded batches: kafka-qos1 only)")
    String driver;

    @Option(names = "--before-jar", paramLabel = "PATH",
            description = "an earlier build of the application jar, run as the system tributary-before (add it to "
                    + "--systems), to measure a change in the same run")
    java.nio.file.Path beforeJar;

    @Override
    public Integer call() throws Exception {
        KafkaLoadSettings settings = load.settings(load.quick ? KafkaLoadSettings.quick()
                : KafkaLoadSettings.standard(), rate);
        List<KafkaScenario> chosen = Choices.pick(scenarios, KafkaScenario.ALL, KafkaScenario::id, "scenario");
        Map<String, BridgeSystem> known = new LinkedHashMap<>();
        known.put("tributary", new TributarySystem(load.existingAppJar(), tributaryKafka));
        if (beforeJar != null) {
            known.put("tributary-before", new TributarySystem(beforeJar, "", "tributary-before", "Tributary before"));
        }
        for (BrokerLauncher external : Brokers.known("Tributary broker", mosquitto, places.mosquitto).values()) {
            known.put(external.id() + "-camel", new ExternalCamelSystem(external));
            known.put(external.id() + "-tributary", new ExternalTributarySystem(external, load.existingAppJar(),
                    tributaryLink));
        }
        known.put(HiveMqExtensionLauncher.ID, new HiveMqExtensionSystem(hivemqExtensionTarget, tributaryKafka,
                mosquitto.maxQueued));
        KafkaLoad driving = switch (driver) {
            case "hivemq" -> new KafkaScenarioRunner(settings);
            case "raw" -> new RawRouteLoad(settings);
            default -> throw new IllegalArgumentException("--driver: expected hivemq or raw, got " + driver);
        };
        RunFolders folders = RunFolders.now(driver.equals("raw") ? "-kafka-raw" : "-kafka", places.workDir,
                places.resultsDir);
        List<BridgeSystem> picked = Choices.pick(systems, known, "system");
        new KafkaComparison(settings, chosen, picked, reference(picked), places.mosquitto, load.quick, driving).run(folders, load.pidDir != null ? load.pidDir : folders.workRoot().resolve("pids"));
        return 0;
    }

    /**
     * The system in the numerator of the ratios: Tributary with its own broker, or else Tributary's extension inside
     * HiveMQ CE, or else the first Tributary beside another broker, whose comparison with the Camel bridge beside the same broker is the point of that system.
     */
    private static String reference(List<BridgeSystem> picked) {
        return picked.stream().map(BridgeSystem::id).anyMatch("tributary"::equals) ? "Tributary"
                : picked.stream().anyMatch(s -> s instanceof HiveMqExtensionSystem)
                        ? HiveMqExtensionLauncher.DISPLAY_NAME
                : picked.stream().filter(s -> s instanceof ExternalTributarySystem).map(BridgeSystem::displayName)
                        .findFirst().orElse("Tributary");
    }
}
