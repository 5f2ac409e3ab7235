package io.tributary.bench.sinks;

import io.tributary.bench.kafka.KafkaComparison;
import io.tributary.bench.kafka.KafkaRunResult;
import io.tributary.bench.kafka.KafkaScenario;
import io.tributary.bench.kafka.TributarySystem;
import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.report.Progress;
import io.tributary.bench.report.ReportDocument;
import io.tributary.bench.report.ReportHeading;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.report.SinkReport;
import io.tributary.bench.server.StopOnExit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The route-sink benchmark ({@code BenchMain sinks}): Tributary's MQTT QoS 1 routes into PostgreSQL (one run per
 * batch size, against a PostgreSQL the benchmark starts in processes of its own) and into a webhook (served by the
 * driver), and, for context, into Kafka under the same load; writes a markdown report.
 */
public final class SinkBenchmark {

    private final SinkSettings settings;
    private final List<SinkScenario> scenarios;
    private final Path appJar;
    private final Path mosquitto;
    private final boolean quick;

    /**
     * @param mosquitto the Mosquitto binary, only for the report's machine facts (shared with the other benchmarks)
     */
    public SinkBenchmark(SinkSettings settings, List<SinkScenario> scenarios, Path appJar, Path mosquitto,
                         boolean quick) {
        this.settings = settings;
        this.scenarios = List.copyOf(scenarios);
        this.appJar = appJar;
        this.mosquitto = mosquitto;
        this.quick = quick;
    }

    /**
     * Runs every scenario and writes the report; returns its file.
     *
     * @param folders the run's work folder (PostgreSQL's data, Tributary's configurations, every log) and report
     * @param pidDir where every process started keeps its PID file while it runs
     * @param postgresBinaries where the PostgreSQL binaries are unpacked (kept between runs)
     */
    public Path run(RunFolders folders, Path pidDir, Path postgresBinaries) throws IOException, InterruptedException {
        ZonedDateTime now = folders.started();
        String stamp = folders.stamp();
        Path workRoot = folders.workRoot();
        Files.createDirectories(workRoot);
        Files.createDirectories(pidDir);
        ReportDocument document = new ReportDocument(header(now));
        SinkReport report = new SinkReport(settings);
        StopOnExit stopOnExit = new StopOnExit("stop-sink-systems");
        SinkRunner runner = new SinkRunner(settings, appJar, pidDir, stopOnExit);
        List<String> systems = new ArrayList<>();
        systems.add("- Tributary: " + runner.tributarySettings());

        if (scenarios.contains(SinkScenario.SQL)) {
            Progress.say("starting PostgreSQL (binaries in %s)", postgresBinaries);
            try (PostgresDatabase postgres = PostgresDatabase.start(postgresBinaries, workRoot.resolve("postgres"),
                    pidDir.resolve("postgres.pid"))) {
                stopOnExit.watch(postgres);
                String described = postgres.describe();
                Progress.say("%s ready: %s", postgres, described);
                systems.add("- PostgreSQL: " + described);
                for (int batchSize : settings.batchSizes()) {
                    PostgresTable table = new PostgresTable(postgres, batchSize, settings.batchTime());
                    Progress.say("sql: Tributary starting, %s, table %s", table.column(), table.table());
                    SinkRunResult result = postgres.isRunning() ? runner.run(table, workRoot.resolve(table.id()))
                            : SinkRunResult.failed(SinkScenario.SQL, table.column(), "PostgreSQL is not running any "
                                    + "more; last log lines: " + postgres.logTail(3), true, List.of());
                    report.add(result);
                    Progress.say("sql: %s", summary(result));
                }
            } catch (IOException e) {
                Progress.say("PostgreSQL did not start: %s", e.getMessage());
                for (int batchSize : settings.batchSizes()) {
                    report.add(SinkRunResult.failed(SinkScenario.SQL, PostgresTable.column(batchSize),
                            "PostgreSQL did not start: " + e.getMessage(), true,
                            List.of()));
                }
            } finally {
                stopOnExit.forgetAll();
            }
            document.add(report.renderScenario(SinkScenario.SQL));
        }
        if (scenarios.contains(SinkScenario.WEBHOOK)) {
            WebhookTarget webhook = WebhookTarget.start(settings.webhookThreads(), settings.load().publishers(),
                    settings.webhookConcurrency());
            try {
                systems.add("- Webhook: " + webhook.describe());
                Progress.say("webhook: Tributary starting, webhook on 127.0.0.1:%d, %s", webhook.port(),
                        webhook.column());
                SinkRunResult result = runner.run(webhook, workRoot.resolve(webhook.id()));
                report.add(result);
                Progress.say("webhook: %s", summary(result));
            } finally {
                webhook.finish();
            }
            document.add(report.renderScenario(SinkScenario.WEBHOOK));
        }
        if (scenarios.contains(SinkScenario.KAFKA)) {
            systems.add("- Kafka (context): " + KafkaComparison.kafkaSettings() + "; Tributary's route as in the Kafka "
                    + "benchmark (`to: { kafka: { connection: main, topic: T, key: \"{publisher}\" } }`), a topic of "
                    + settings.load().partitions() + " partitions");
            AtomicReference<KafkaRunResult> kafka = new AtomicReference<>();
            new KafkaComparison(settings.load(), List.of(KafkaScenario.KAFKA_QOS1),
                    List.of(new TributarySystem(appJar)), null, mosquitto, quick)
                    .measure(stamp, workRoot.resolve("kafka"), pidDir,
                            (scenario, bySystem) -> kafka.set(bySystem.values().iterator().next()));
            if (kafka.get() != null) {
                report.addKafka(kafka.get());
                document.add(report.renderKafka());
            }
        }
        List<String> all = new ArrayList<>();
        all.add("");
        all.add("## Systems");
        all.add("");
        all.addAll(systems);
        all.add("");
        all.add("## Routes");
        all.add("");
        all.add("Each run's configuration is a `broker:` section with one TCP listener on 127.0.0.1 and one of "
                + "these routes (ports filled in per run; the table is `bench_telemetry_b<batch size>`):");
        all.add("");
        all.add("```yaml");
        all.add(PostgresTable.routeConfig("jdbc:postgresql://127.0.0.1:PORT/postgres", "bench_telemetry_bN", "N",
                settings.batchTime()).stripTrailing());
        all.add("```");
        all.add("");
        all.add("```yaml");
        all.add(WebhookTarget.routeConfig("http://127.0.0.1:PORT" + WebhookTarget.PATH, settings.webhookConcurrency())
                .stripTrailing());
        all.add("```");
        document.addFirst(report.renderSummary());
        return folders.writeReport(quick, document.render(all));
    }

    private List<String> header(ZonedDateTime now) {
        List<String> lines = ReportHeading.linesWithSource("Route sinks benchmark: Tributary, MQTT QoS 1 → PostgreSQL "
                + "and → webhook", now, quick, "BenchMain sinks", mosquitto, "bench/run.sh sinks");
        lines.add(String.format(Locale.ROOT, "- Load: %d publishers (MQTT 3.1.1, HiveMQ MQTT client), each publishing "
                        + "QoS 1 to `bench/<i>/telemetry` with at most %d publishes without PUBACK (%,d in flight in "
                        + "all); %d-byte JSON payloads "
                        + "`{\"publisher\":3,\"seq\":1234,\"sentNanos\":...,\"pad\":\"xx\"}`; "
                        + "%d s warm-up, then %d s measured; up to %d s for the last PUBACKs after publishing stops; "
                        + "the driver's MQTT clients share %d I/O thread(s).",
                settings.load().publishers(), settings.load().inFlight(),
                settings.load().publishers() * settings.load().inFlight(), settings.load().payloadBytes(),
                settings.load().warmUp().toSeconds(), settings.load().measure().toSeconds(),
                settings.load().drainTimeout().toSeconds(), settings.load().clientIoThreads()));
        lines.add("- Every run starts Tributary afresh (`tributary run`) with one route, publishes probe messages "
                + "until one is acknowledged and has arrived (not counted), then measures, and stops Tributary by its "
                + "PID. Runs go one after the other.");
        lines.add("- The route sends a QoS 1 PUBACK only once its sink has the message: for SQL once the transaction "
                + "holding the row has committed, for the webhook once it answered 2xx. Publish → PUBACK (both "
                + "System.nanoTime() of the driver, for messages sent within the window) is therefore the end-to-end "
                + "latency: publish → committed, publish → webhook answered.");
        lines.add("- Throughput: rows committed per second are two `SELECT count(*)` of the table, at the start and "
                + "at the end of the window, over the time between them (each count sees what had committed when it "
                + "started); requests received per second come from the webhook server's counter the same way. "
                + "PUBACKs per second are shown too: the two agree unless something is lost.");
        lines.add("- **MISSING**: acknowledged with PUBACK, not in the table (not received by the webhook) once the "
                + "last PUBACK came in. After each SQL run the driver reads `(publisher, seq)` of every row; the table "
                + "has no key, so a message written twice is two rows, counted as a duplicate. The webhook counts "
                + "`(publisher, seq)` of every request the same way.");
        lines.add("- SQL: one PostgreSQL for all SQL runs, started by the driver in processes of its own on the same "
                + "machine and stopped by its PID at the end. Each run's route creates a fresh table "
                + "(`create-table: true`), which is dropped after the run, followed by a `CHECKPOINT`. The batches "
                + "PostgreSQL committed are counted from the rows' `xmin` (one transaction per batch).");
        lines.add("- CPU is utime+stime from /proc over the window: Tributary's JVM; PostgreSQL's postmaster and all "
                + "its processes (backends, WAL writer, checkpointer, autovacuum workers, those that ended included); "
                + "the driver (publishers, the count queries' client side, and for the webhook its HTTP server). The "
                + "whole machine's busy time comes from /proc/stat; what is left after those is \"other processes\": "
                + "work that is not part of the run, and kernel time charged to no process (interrupts).");
        lines.add("- There is no baseline: Mosquitto has no SQL or HTTP sink. The numbers are Tributary's, absolute."
                + (scenarios.contains(SinkScenario.KAFKA) ? " For context, the same load goes through Tributary's "
                + "MQTT → Kafka route (the Kafka benchmark's `kafka-qos1`, a fresh Kafka in its own JVM, started "
                + "after "
                + "the other runs)." : ""));
        lines.add("- Driver JVM flags: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return lines;
    }

    private static String summary(SinkRunResult r) {
        if (!r.ran()) {
            return r.column() + " FAILED: " + r.failure();
        }
        LatencySummary latency = r.pubackLatency();
        return String.format(Locale.ROOT, "%s: %,.0f/s delivered, %,.0f PUBACKs/s, p50 %.2f ms, p99 %.2f ms, "
                        + "MISSING %,d, duplicates %,d, CPU: Tributary %.0f%%, target %.0f%%, driver %.0f%%, "
                        + "other processes "
                        + "%.0f%%%s",
                r.column(), r.arrivedPerSecond(), r.acceptedPerSecond(), latency.p50Nanos() / 1e6,
                latency.p99Nanos() / 1e6, r.missing(), r.duplicates(), r.tributaryCpuPercent(), r.targetCpuPercent(),
                r.driverCpuPercent(), r.otherCpuPercent(), r.survived() ? "" : ", TRIBUTARY DIED");
    }

}
