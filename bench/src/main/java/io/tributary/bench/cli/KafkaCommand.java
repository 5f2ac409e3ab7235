package io.tributary.bench.cli;

import io.tributary.bench.kafka.BridgeSystem;
import io.tributary.bench.kafka.KafkaComparison;
import io.tributary.bench.kafka.KafkaLoadSettings;
import io.tributary.bench.kafka.KafkaScenario;
import io.tributary.bench.kafka.MosquittoCamelSystem;
import io.tributary.bench.kafka.TributarySystem;
import io.tributary.bench.report.RunFolders;
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
            description = "which systems, in column order")
    List<String> systems;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", defaultValue = "kafka-qos1,kafka-qos1-paced")
    List<String> scenarios;

    @Option(names = "--rate", paramLabel = "N", description = "msg/s per publisher in kafka-qos1-paced; default 2500")
    Integer rate;

    @Override
    public Integer call() throws Exception {
        KafkaLoadSettings settings = load.settings(load.quick ? KafkaLoadSettings.quick()
                : KafkaLoadSettings.standard(), rate);
        List<KafkaScenario> chosen = Choices.pick(scenarios, KafkaScenario.ALL, KafkaScenario::id, "scenario");
        Map<String, BridgeSystem> known = new LinkedHashMap<>();
        known.put("tributary", new TributarySystem(load.existingAppJar()));
        known.put("mosquitto-camel", new MosquittoCamelSystem(mosquitto.launcher(places.mosquitto)));
        RunFolders folders = RunFolders.now("-kafka", places.workDir, places.resultsDir);
        new KafkaComparison(settings, chosen, Choices.pick(systems, known, "system"), "Tributary", places.mosquitto,
                load.quick).run(folders, load.pidDir != null ? load.pidDir : folders.workRoot().resolve("pids"));
        return 0;
    }
}
