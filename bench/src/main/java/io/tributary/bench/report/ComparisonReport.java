package io.tributary.bench.report;

import io.tributary.bench.connections.IdleMemoryResult;
import io.tributary.bench.load.DrainEnd;
import io.tributary.bench.load.Scenario;
import io.tributary.bench.load.ScenarioResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sections of the broker comparison: one per scenario and one for idle-client memory, each with ratio columns
 * against the reference broker.
 */
public final class ComparisonReport {

    private final List<String> brokers;
    private final String reference;

    /**
     * @param brokers the display names of the brokers, in column order
     * @param reference the broker compared with the others (Tributary), or null
     */
    public ComparisonReport(List<String> brokers, String reference) {
        this.brokers = List.copyOf(brokers);
        this.reference = reference;
    }

    /** One scenario's section: title, loss warnings, table, notes. */
    public String scenario(Scenario scenario, Map<String, ScenarioResult> byBroker) {
        boolean qos1 = scenario.qos() > 0;
        ComparisonTable<ScenarioResult> table = new ComparisonTable<ScenarioResult>(brokers, reference,
                ScenarioResult::failure)
                .warnings(r -> warnings(scenario, r))
                .notes(r -> Notes.of(r.failure(), r.notes()))
                .row("delivered msg/s, all subscribers (higher is better)", r -> Formats.rate(r.deliveredPerSecond()),
                        ScenarioResult::deliveredPerSecond)
                .row("accepted msg/s, all publishers (" + (qos1 ? "PUBACK" : "written") + ")",
                        r -> Formats.rate(r.acceptedPerSecond()), ScenarioResult::acceptedPerSecond)
                .row("delivered / expected", r -> Formats.percent(r.deliveryRatio()))
                .row(qos1 ? "**LOST** (PUBACK sent, never delivered)" : "dropped by the broker (accepted, never sent)",
                        r -> r.brokerLost() > 0 && qos1 ? "**" + Formats.count(r.brokerLost()) + "**"
                                : Formats.count(r.brokerLost()))
                .row("dropped by the driver's client (its buffer was full)", r -> Formats.count(r.clientDropped()))
                .row("of all not delivered, sent in warm-up / window / at the end", r -> Formats.count(
                        r.lostSentInWarmUp()) + " / " + Formats.count(r.lostSentInWindow()) + " / "
                        + Formats.count(r.lostSentAfter()))
                .row("duplicates", r -> Formats.count(r.duplicates()))
                .row("latency p50 ms (lower is better)", r -> Formats.latency(r.latencySamples(), r.p50Nanos()),
                        r -> Formats.latencyValue(r.latencySamples(), r.p50Nanos()))
                .row("latency p99 ms", r -> Formats.latency(r.latencySamples(), r.p99Nanos()),
                        r -> Formats.latencyValue(r.latencySamples(), r.p99Nanos()))
                .row("latency max ms", r -> Formats.latency(r.latencySamples(), r.maxNanos()),
                        r -> Formats.latencyValue(r.latencySamples(), r.maxNanos()))
                .row("slowest second, msg/s", r -> Formats.count(r.slowestSecond()), r -> r.slowestSecond())
                .row("seconds without any delivery", r -> Integer.toString(r.silentSeconds()))
                .row("broker RSS at end, MB (lower is better)", r -> Formats.megabytes(r.rssEndBytes()),
                        r -> r.rssEndBytes())
                .row("broker RSS peak, MB", r -> Formats.megabytes(r.rssPeakBytes()), r -> r.rssPeakBytes())
                .row("broker CPU, % of one core", r -> Formats.cpu(r.brokerCpuPercent()), r -> r.brokerCpuPercent())
                .row("broker CPU per delivered message, µs (lower is better)",
                        r -> Formats.micros(r.brokerCpuMicrosPerDelivery()), ScenarioResult::brokerCpuMicrosPerDelivery)
                .row("driver CPU, % of one core", r -> Formats.cpu(r.driverCpuPercent()))
                .row("published / accepted / rejected / unanswered", r -> Formats.count(r.published()) + " / "
                        + Formats.count(r.accepted()) + " / " + Formats.count(r.rejected()) + " / "
                        + Formats.count(r.unanswered()))
                .row("delivered / expected (counts)", r -> Formats.count(r.delivered()) + " / "
                        + Formats.count(r.expected()))
                .row("drain after publishing stopped", r -> String.format(Locale.ROOT, "%.1f s, %s",
                        r.drainTime().toMillis() / 1000.0, describe(r.drainEnd())))
                .row("broker survived / clients disconnected", r -> (r.brokerSurvived() ? "yes" : "**no**") + " / "
                        + r.clientsDisconnected());
        return table.section(scenario.name() + ": " + scenario.description(), byBroker);
    }

    /** What to say above the table about one broker's run: losses, its death. */
    private static String warnings(Scenario scenario, ScenarioResult result) {
        StringBuilder out = new StringBuilder();
        if (result.ran() && result.brokerLost() > 0 && scenario.qos() > 0 && result.drainEnd() == DrainEnd.TIMED_OUT) {
            out.append(String.format(Locale.ROOT, "**UNDELIVERED: %s had not delivered %s acknowledged QoS 1 "
                            + "messages when the drain timed out after %d s, though messages were still arriving "
                            + "(late, maybe not lost).**%n%n", result.broker(), Formats.count(result.brokerLost()),
                    result.drainTime().toSeconds()));
        } else if (result.ran() && result.brokerLost() > 0) {
            out.append(String.format(Locale.ROOT, scenario.qos() > 0
                            ? "**LOST: %s acknowledged %s QoS 1 messages (PUBACK sent) that never reached their "
                                    + "subscriber.**\n\n"
                            : "Dropped: %s accepted %s QoS 0 messages that never reached their subscriber "
                                    + "(QoS 0 allows this).\n\n",
                    result.broker(), Formats.count(result.brokerLost())));
        }
        if (!result.brokerSurvived()) {
            out.append("**").append(result.broker()).append(" did not survive this scenario.**\n\n");
        }
        return out.toString();
    }

    /** The idle-client memory section. */
    public String memory(Map<String, IdleMemoryResult> byBroker) {
        int clients = byBroker.values().stream().mapToInt(IdleMemoryResult::clients).max().orElse(0);
        ComparisonTable<IdleMemoryResult> table = new ComparisonTable<IdleMemoryResult>(brokers, reference,
                r -> r.outcome() == null ? "no clients" : null)
                .notes(IdleMemoryResult::notes)
                .row("RSS idle after start, MB (lower is better)", r -> Formats.megabytes(r.rssIdleBytes()),
                        r -> r.rssIdleBytes())
                .row("RSS with idle clients, MB", r -> Formats.megabytes(r.rssWithClientsBytes()),
                        r -> r.rssWithClientsBytes())
                .row("RSS per idle client, KB", r -> Formats.kilobytes(r.bytesPerClient()), r -> r.bytesPerClient())
                .row("clients connected", r -> Formats.count(r.outcome().connected()) + " / "
                        + Formats.count(r.clients()))
                .row("time to connect all, s", r -> String.format(Locale.ROOT, "%.1f",
                        r.outcome().elapsed().toMillis() / 1000.0), r -> r.outcome().elapsed().toMillis())
                .row("closed by the broker while idle", r -> Formats.count(r.closedByBroker()))
                .row("broker survived", r -> r.survived() ? "yes" : "**no**");
        return table.section("memory: resident memory idle, and with " + Formats.count(clients)
                + " idle MQTT 3.1.1 clients", byBroker);
    }

    /** Why the drain of a broker run stopped, in the words of the table. */
    private static String describe(DrainEnd end) {
        return switch (end) {
            case ALL_ARRIVED -> "all delivered";
            case QUIET -> "nothing arrived any more";
            case TIMED_OUT -> "timed out while messages still arrived";
            case DIED -> "the broker died";
            case NOT_RUN -> "not run";
        };
    }
}
