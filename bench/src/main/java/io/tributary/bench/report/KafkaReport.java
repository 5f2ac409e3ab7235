package io.tributary.bench.report;

import io.tributary.bench.kafka.KafkaLoadSettings;
import io.tributary.bench.kafka.KafkaRunResult;
import io.tributary.bench.kafka.KafkaScenario;
import io.tributary.bench.load.DrainEnd;
import io.tributary.bench.load.LatencySummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Turns the results of an MQTT → Kafka run into markdown: one table per scenario with a column per system and a
 * ratio column against the reference (Tributary), the loss warnings above it and the notes below.
 */
public final class KafkaReport {

    private final List<String> systems;
    private final String reference;
    private final KafkaLoadSettings settings;

    /**
     * @param systems the display names of the systems, in column order
     * @param reference the system compared with the others, or null
     */
    public KafkaReport(List<String> systems, String reference, KafkaLoadSettings settings) {
        this.systems = List.copyOf(systems);
        this.reference = reference;
        this.settings = settings;
    }

    /** One scenario's section: title, loss warnings, table, notes. */
    public String scenario(KafkaScenario scenario, Map<String, KafkaRunResult> bySystem) {
        double windowSeconds = settings.measure().toNanos() / 1e9;
        ComparisonTable<KafkaRunResult> table = new ComparisonTable<KafkaRunResult>(systems, reference,
                KafkaRunResult::failure)
                .warnings(KafkaReport::warnings)
                .notes(r -> Notes.of(r.failure(), r.notes()))
                .row("records visible in Kafka per second (higher is better)",
                        r -> Formats.rate(r.visiblePerSecond()), KafkaRunResult::visiblePerSecond)
                .row("PUBACKs per second, all publishers", r -> Formats.rate(r.acceptedPerSecond()),
                        KafkaRunResult::acceptedPerSecond)
                .row("**MISSING** (PUBACK sent, not in Kafka)", r -> r.missing() > 0
                        ? "**" + Formats.count(r.missing()) + "**" : Formats.count(r.missing()))
                .row("of the missing, sent in warm-up / window / at the end", r -> Formats.count(
                        r.arrivals().missingSentInWarmUp()) + " / " + Formats.count(r.arrivals().missingSentInWindow())
                        + " / " + Formats.count(r.arrivals().missingSentAfter()))
                .row("duplicates in Kafka", r -> Formats.count(r.duplicates()))
                .row("in Kafka without PUBACK (answer lost or pending)",
                        r -> Formats.count(r.arrivals().unacknowledgedArrived()))
                .row("latency publish → visible in Kafka, p50 ms (lower is better)",
                        r -> visible(r, LatencySummary::p50Nanos), r -> visibleValue(r, LatencySummary::p50Nanos))
                .row("latency p99 ms", r -> visible(r, LatencySummary::p99Nanos),
                        r -> visibleValue(r, LatencySummary::p99Nanos))
                .row("latency max ms", r -> visible(r, LatencySummary::maxNanos),
                        r -> visibleValue(r, LatencySummary::maxNanos))
                .row("latency publish → PUBACK, p50 / p99 ms", r -> pubackLatency(r.pubackLatency()))
                .row("slowest second, records/s", r -> Formats.count(r.window().slowest()), r -> r.window().slowest())
                .row("seconds without any record", r -> Integer.toString(r.window().silent()))
                .row("CPU of the system, % of one core (all its processes)", r -> Formats.cpu(r.systemCpuPercent()),
                        KafkaRunResult::systemCpuPercent)
                .row("CPU of the system per record, µs (lower is better)",
                        r -> Formats.micros(r.systemCpuMicrosPerRecord(windowSeconds)),
                        r -> r.systemCpuMicrosPerRecord(windowSeconds))
                .row("CPU of Kafka, % of one core", r -> Formats.cpu(r.kafkaCpuPercent()))
                .row("CPU of the driver, % of one core", r -> Formats.cpu(r.driverCpuPercent()))
                .row("RSS of the system at end, MB (lower is better)", r -> Formats.megabytes(r.rssEndBytes()),
                        r -> r.rssEndBytes())
                .row("RSS of the system, peak MB", r -> Formats.megabytes(r.rssPeakBytes()), r -> r.rssPeakBytes())
                .row("published / acknowledged / failed / unanswered", r -> Formats.count(r.published()) + " / "
                        + Formats.count(r.accepted()) + " / " + Formats.count(r.rejected()) + " / "
                        + Formats.count(r.unanswered()))
                .row("acknowledged and in Kafka", r -> Formats.count(r.arrivals().arrived()) + " of "
                        + Formats.count(r.accepted()))
                .row("drain after publishing stopped", r -> String.format(Locale.ROOT, "%.1f s, %s",
                        r.drainTime().toMillis() / 1000.0, describe(r.drainEnd())))
                .row("system survived / publishers disconnected", r -> (r.survived() ? "yes" : "**no**") + " / "
                        + r.clientsDisconnected());
        return table.section(scenario.id() + ": " + scenario.description(settings), bySystem);
    }

    /** What to say above the table about one system's run: acknowledged messages not in Kafka, its death. */
    private static String warnings(KafkaRunResult result) {
        StringBuilder out = new StringBuilder();
        if (result.ran() && result.missing() > 0) {
            out.append(String.format(Locale.ROOT, result.drainEnd() == DrainEnd.TIMED_OUT
                            ? "**NOT IN KAFKA YET: %s had acknowledged %s QoS 1 messages (PUBACK sent) that were "
                                    + "not in Kafka when the drain timed out after %d s, though records were still "
                                    + "arriving (late, maybe not lost).**%n%n"
                            : "**MISSING: %s acknowledged %s QoS 1 messages (PUBACK sent) that never reached "
                                    + "Kafka.**%n%n",
                    result.system(), Formats.count(result.missing()), result.drainTime().toSeconds()));
        }
        if (result.ran() && !result.survived()) {
            out.append("**").append(result.system()).append(" did not survive this scenario.**\n\n");
        }
        return out.toString();
    }

    /** Publish → visible in Kafka, as {@link Formats#latency} shows it. */
    private static String visible(KafkaRunResult r, ToLongFunction<LatencySummary> nanos) {
        return Formats.latency(r.visibleLatency().samples(), nanos.applyAsLong(r.visibleLatency()));
    }

    /** Publish → visible in Kafka, for ratios. */
    private static double visibleValue(KafkaRunResult r, ToLongFunction<LatencySummary> nanos) {
        return Formats.latencyValue(r.visibleLatency().samples(), nanos.applyAsLong(r.visibleLatency()));
    }

    /** "p50 / p99" in ms, or "none" when no publish sent within the window was acknowledged. */
    static String pubackLatency(LatencySummary latency) {
        return latency.samples() == 0 ? "none" : Formats.millis(latency.p50Nanos()) + " / "
                + Formats.millis(latency.p99Nanos());
    }

    /** Why the drain of a Kafka run stopped, in the words of the table and the progress lines. */
    public static String describe(DrainEnd end) {
        return switch (end) {
            case ALL_ARRIVED -> "every acknowledged message was in Kafka";
            case QUIET -> "no new record for 5 s";
            case TIMED_OUT -> "timed out";
            case DIED -> "the system died";
            case NOT_RUN -> "not run";
        };
    }
}
