package io.tributary.bench.cli;

import io.tributary.bench.report.RunFolders;
import io.tributary.bench.sinks.SinkBenchmark;
import io.tributary.bench.sinks.SinkScenario;
import io.tributary.bench.sinks.SinkSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sinks}: Tributary's MQTT QoS 1 routes into PostgreSQL and a webhook, and into Kafka for context. */
@Command(name = "sinks", mixinStandardHelpOptions = true,
        description = "Tributary's MQTT QoS 1 routes into PostgreSQL, a webhook and Kafka.")
final class SinksCommand implements Callable<Integer> {

    @Mixin TelemetryLoadOptions load;
    @Mixin RunPlaceOptions places;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", defaultValue = "sql,webhook,kafka")
    List<String> scenarios;

    @Option(names = "--batch-sizes", split = ",", paramLabel = "LIST",
            description = "the SQL route's batch.size, one run each; default 50,500,2000")
    List<String> batchSizes;

    @Option(names = "--batch-time-ms", paramLabel = "N", description = "the SQL route's batch.time; default 20")
    Integer batchTimeMs;

    @Option(names = "--concurrency", paramLabel = "N", description = "the webhook route's concurrency; default 16")
    Integer concurrency;

    @Option(names = "--http-threads", paramLabel = "N", description = "threads of the driver's webhook server; "
            + "default 16")
    Integer httpThreads;

    @Option(names = "--postgres-dir", paramLabel = "DIR", description = "where the PostgreSQL binaries are unpacked")
    Path postgresDir;

    @Override
    public Integer call() throws Exception {
        SinkSettings base = load.quick ? SinkSettings.quick() : SinkSettings.standard();
        SinkSettings settings = new SinkSettings(load.settings(base.load(), null),
                batchSizes == null ? base.batchSizes()
                        : batchSizes.stream().map(String::trim).map(Integer::parseInt).toList(),
                batchTimeMs == null ? base.batchTime() : Duration.ofMillis(batchTimeMs),
                BrokerLoadOptions.or(concurrency, base.webhookConcurrency()),
                BrokerLoadOptions.or(httpThreads, base.webhookThreads()));
        List<SinkScenario> chosen = Choices.pick(scenarios, List.of(SinkScenario.values()), SinkScenario::id,
                "scenario");
        RunFolders folders = RunFolders.now("-sinks", places.workDir, places.resultsDir);
        new SinkBenchmark(settings, chosen, load.existingAppJar(), places.mosquitto, load.quick).run(folders,
                load.pidDir != null ? load.pidDir : folders.workRoot().resolve("pids"),
                postgresDir != null ? postgresDir : places.workDir.resolve("postgres-binaries"));
        return 0;
    }
}
