package io.tributary.bench.report;

import io.tributary.bench.kafka.KafkaRunResult;
import io.tributary.bench.kafka.KafkaScenario;
import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.sinks.SinkRunResult;
import io.tributary.bench.sinks.SinkScenario;
import io.tributary.bench.sinks.SinkSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Turns the results of a route-sink run into markdown: a summary with one column per run (each SQL batch size, the
 * webhook, and MQTT → Kafka for context), then one table per scenario with its notes. There is no baseline for these
 * sinks (Mosquitto has none), so there are no ratio columns: the numbers are Tributary's, absolute.
 */
public final class SinkReport {

    /** One column of the summary, from a sink run or from the Kafka run. */
    private record Headline(String column, String failure, double deliveredPerSecond, double pubacksPerSecond,
                            LatencySummary puback, long missing, long duplicates) {
    }

    private final SinkSettings settings;
    private final List<SinkRunResult> results = new ArrayList<>();
    private KafkaRunResult kafka;

    public SinkReport(SinkSettings settings) {
        this.settings = settings;
    }

    public void add(SinkRunResult result) {
        results.add(result);
    }

    /** The MQTT QoS 1 → Kafka run of the same benchmark, for context. */
    public void addKafka(KafkaRunResult result) {
        this.kafka = result;
    }

    /** The SQL run with the most rows committed per second, if any SQL run measured something. */
    public static Optional<SinkRunResult> best(List<SinkRunResult> sqlRuns) {
        return sqlRuns.stream().filter(r -> r.ran() && r.scenario() == SinkScenario.SQL)
                .max(Comparator.comparingDouble(SinkRunResult::arrivedPerSecond));
    }

    /** The summary: one column per run, and the best batch size. */
    public String renderSummary() {
        List<Headline> headlines = new ArrayList<>();
        for (SinkRunResult r : results) {
            headlines.add(new Headline((r.scenario() == SinkScenario.SQL ? "SQL, " : "webhook, ") + r.column(),
                    r.failure(), r.arrivedPerSecond(), r.acceptedPerSecond(), r.pubackLatency(), r.missing(),
                    r.duplicates()));
        }
        if (kafka != null) {
            headlines.add(new Headline("Kafka (context)", kafka.failure(), kafka.visiblePerSecond(),
                    kafka.acceptedPerSecond(), kafka.pubackLatency(), kafka.missing(), kafka.duplicates()));
        }
        Map<String, Headline> byColumn = new LinkedHashMap<>();
        headlines.forEach(h -> byColumn.put(h.column(), h));
        ComparisonTable<Headline> table = new ComparisonTable<Headline>(List.copyOf(byColumn.keySet()), null,
                Headline::failure)
                .row("delivered per second: rows committed, requests received, records in Kafka",
                        h -> Formats.rate(h.deliveredPerSecond()))
                .row("PUBACKs per second", h -> Formats.rate(h.pubacksPerSecond()))
                .row("latency publish → PUBACK, p50 ms", h -> latency(h.puback(), LatencySummary::p50Nanos))
                .row("latency publish → PUBACK, p99 ms", h -> latency(h.puback(), LatencySummary::p99Nanos))
                .row("**MISSING** (PUBACK sent, not delivered)", h -> missing(h.missing()))
                .row("duplicates at the target", h -> Formats.count(h.duplicates()));
        StringBuilder out = new StringBuilder(table.section("Summary", byColumn));
        best(results).ifPresent(r -> out.append(String.format(Locale.ROOT, "%nBest SQL batch size in this run: "
                        + "**%s** rows: %s rows committed per second, publish → PUBACK p50 %s ms, p99 %s ms.%n",
                r.column().substring("batch ".length()), Formats.rate(r.arrivedPerSecond()),
                latency(r.pubackLatency(), LatencySummary::p50Nanos), latency(r.pubackLatency(),
                        LatencySummary::p99Nanos))));
        return out.toString();
    }

    /** One scenario's section: title, loss warnings, a column per run, notes. */
    public String renderScenario(SinkScenario scenario) {
        List<SinkRunResult> runs = results.stream().filter(r -> r.scenario() == scenario).toList();
        boolean sql = scenario == SinkScenario.SQL;
        String arrived = sql ? "rows committed" : "requests received";
        String target = sql ? "the table" : "the webhook";
        double windowSeconds = settings.load().measure().toNanos() / 1e9;
        Map<String, SinkRunResult> byColumn = new LinkedHashMap<>();
        runs.forEach(r -> byColumn.put(r.column(), r));
        ComparisonTable<SinkRunResult> table = new ComparisonTable<SinkRunResult>(List.copyOf(byColumn.keySet()),
                null, SinkRunResult::failure)
                .warnings(r -> warnings(r, target))
                .notes(r -> Notes.of(r.failure(), r.notes()))
                .row(arrived + " per second (higher is better)", r -> Formats.rate(r.arrivedPerSecond()))
                .row("PUBACKs per second, all publishers", r -> Formats.rate(r.acceptedPerSecond()))
                .row("latency publish → PUBACK" + (sql ? " (after the commit)" : " (after the 2xx)") + ", p50 ms",
                        r -> latency(r.pubackLatency(), LatencySummary::p50Nanos))
                .row("latency publish → PUBACK, p99 ms", r -> latency(r.pubackLatency(), LatencySummary::p99Nanos))
                .row("latency publish → PUBACK, max ms", r -> latency(r.pubackLatency(), LatencySummary::maxNanos))
                .row("PUBACKs that took 1 s or more", r -> Formats.count(r.slowPubacks()))
                .row("longest wait for a PUBACK, any message of the run (warm-up included), ms",
                        r -> Formats.millis(r.longestPubackNanos()));
        if (!sql) {
            table.row("latency publish → request at the webhook, p50 / p99 ms", r -> latency(r.arrivalLatency(),
                    LatencySummary::p50Nanos) + " / " + latency(r.arrivalLatency(), LatencySummary::p99Nanos));
        }
        table.row("**MISSING** (PUBACK sent, not in " + target + ")", r -> missing(r.missing()))
                .row("of the missing, sent in warm-up / window / at the end", r -> Formats.count(
                        r.arrivals().missingSentInWarmUp()) + " / " + Formats.count(r.arrivals().missingSentInWindow())
                        + " / " + Formats.count(r.arrivals().missingSentAfter()))
                .row(sql ? "duplicate rows (a publisher and seq seen before)"
                        : "duplicate requests (a publisher and seq seen before)", r -> Formats.count(r.duplicates()))
                .row("in " + target + " without PUBACK (answer pending at the end)",
                        r -> Formats.count(r.arrivals().unacknowledgedArrived()));
        for (String fact : facts(runs)) {
            table.row(fact, r -> r.facts().getOrDefault(fact, Formats.NONE));
        }
        table.row("slowest second, PUBACKs", r -> Formats.count(r.window().slowest()))
                .row("seconds without any PUBACK", r -> Integer.toString(r.window().silent()))
                .row("CPU of Tributary, % of one core", r -> Formats.cpu(r.tributaryCpuPercent()))
                .row("CPU of Tributary per message, µs", r -> Formats.micros(perMessage(r.tributaryCpuPercent(),
                        r.acceptedPerSecond())));
        if (sql) {
            table.row("CPU of PostgreSQL (all its processes), % of one core", r -> Formats.cpu(r.targetCpuPercent()));
        }
        table.row(sql ? "CPU of the driver, % of one core"
                        : "CPU of the driver (with the webhook's server), % of one core",
                        r -> Formats.cpu(r.driverCpuPercent()))
                .row("CPU of the whole machine, % of one core (200% = both cores busy)",
                        r -> Formats.cpu(r.machineCpuPercent()))
                .row("of it, other processes (no part of the run)", r -> Formats.cpu(r.otherCpuPercent()))
                .row("RSS of Tributary at end / peak, MB", r -> Formats.megabytes(r.rssEndBytes()) + " / "
                        + Formats.megabytes(r.rssPeakBytes()))
                .row("published / acknowledged / failed / unanswered", r -> Formats.count(r.published()) + " / "
                        + Formats.count(r.accepted()) + " / " + Formats.count(r.rejected()) + " / "
                        + Formats.count(r.unanswered()))
                .row("acknowledged per publisher, fewest / most", r -> Formats.count(r.fewestAccepted()) + " / "
                        + Formats.count(r.mostAccepted()))
                .row("acknowledged and in " + target, r -> Formats.count(r.arrivals().arrived()) + " of "
                        + Formats.count(r.accepted()))
                .row("wait for the last PUBACKs after publishing stopped", r -> String.format(Locale.ROOT, "%.1f s",
                        r.drainTime().toMillis() / 1000.0))
                .row("Tributary survived / publishers disconnected", r -> (r.survived() ? "yes" : "**no**") + " / "
                        + r.clientsDisconnected());
        return table.section(scenario.id() + ": " + description(scenario), byColumn);
    }

    /** What to say above the table about one run: acknowledged messages not at the target, Tributary's death. */
    private static String warnings(SinkRunResult r, String target) {
        StringBuilder out = new StringBuilder();
        if (r.ran() && r.missing() > 0) {
            out.append(String.format(Locale.ROOT, "**MISSING: with %s, Tributary acknowledged %s QoS 1 messages "
                    + "(PUBACK sent) that were not in %s after the run.**%n%n", r.column(),
                    Formats.count(r.missing()), target));
        }
        if (r.ran() && !r.survived()) {
            out.append("**Tributary did not survive the run with ").append(r.column()).append(".**\n\n");
        }
        return out.toString();
    }

    /** The Kafka run's section, as the Kafka benchmark shows it. */
    public String renderKafka() {
        return new KafkaReport(List.of(kafka.system()), null, settings.load()).scenario(KafkaScenario.KAFKA_QOS1,
                Map.of(kafka.system(), kafka)).replaceFirst("^## kafka-qos1: ", "## kafka (context): ");
    }

    private String description(SinkScenario scenario) {
        int publishers = settings.load().publishers();
        return switch (scenario) {
            case SQL -> String.format(Locale.ROOT, "%d publishers → QoS 1 → PostgreSQL table, batch.time %d ms, "
                    + "as fast as PUBACKs allow (%d in flight each)", publishers, settings.batchTime().toMillis(),
                    settings.load().inFlight());
            case WEBHOOK -> String.format(Locale.ROOT, "%d publishers → QoS 1 → webhook (204), as fast as PUBACKs "
                    + "allow (%d in flight each)", publishers, settings.load().inFlight());
            case KAFKA -> "for context";
        };
    }

    /** The fact labels of the runs, in the order the first run that has them gives them. */
    private static List<String> facts(List<SinkRunResult> runs) {
        List<String> labels = new ArrayList<>();
        runs.forEach(r -> r.facts().keySet().stream().filter(l -> !labels.contains(l)).forEach(labels::add));
        return labels;
    }

    private static String latency(LatencySummary latency, ToDoubleFunction<LatencySummary> nanos) {
        return latency.samples() == 0 ? "none" : Formats.millis((long) nanos.applyAsDouble(latency));
    }

    private static String missing(long missing) {
        return missing > 0 ? "**" + Formats.count(missing) + "**" : Formats.count(missing);
    }

    /** Microseconds of CPU per acknowledged message, or -1. */
    private static double perMessage(double cpuPercent, double perSecond) {
        return cpuPercent < 0 || perSecond <= 0 ? -1 : cpuPercent / 100.0 * 1e6 / perSecond;
    }
}
