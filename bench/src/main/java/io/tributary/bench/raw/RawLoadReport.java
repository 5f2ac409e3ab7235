package io.tributary.bench.raw;

import io.tributary.bench.report.ReportHeading;
import io.tributary.bench.server.BrokerLauncher;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The raw-socket comparison's markdown report: one table per scenario, then the ratios against the baseline. */
public final class RawLoadReport {

    private static final String NONE = "—";

    private final ZonedDateTime started;
    private final boolean quick;
    private final RawSettings settings;
    private final List<BrokerLauncher> brokers;
    private final Path mosquittoBinary;

    public RawLoadReport(ZonedDateTime started, boolean quick, RawSettings settings, List<BrokerLauncher> brokers,
                         Path mosquittoBinary) {
        this.started = started;
        this.quick = quick;
        this.settings = settings;
        this.brokers = List.copyOf(brokers);
        this.mosquittoBinary = mosquittoBinary;
    }

    boolean quick() {
        return quick;
    }

    String markdown(List<RawResult> results) {
        List<String> lines = new ArrayList<>(ReportHeading.linesWithSource("Raw-socket driver: overload, latency, "
                + "connection rate, idle connections", started, quick, "BenchMain raw-load", mosquittoBinary, "bench/run.sh raw-load"));
        lines.add(String.format(Locale.ROOT, "The driver (`io.tributary.bench.raw`) runs in its own JVM and talks MQTT "
                + "%s over plain NIO socket channels: PUBLISH packets encoded once into direct buffers, stamped in "
                + "place with publisher, sequence number and send time, written about 64 KB at a time (a QoS 1 "
                + "window topped up in one write); PUBACKs read in large reads and only counted. The subscriber "
                + "counts loss, duplicates and order per publisher from the sequence numbers; latency is its receive "
                + "time minus the stamped send time (one JVM, one clock). Payload %d bytes. Each scenario starts each "
                + "broker afresh; *RSS idle* is its VmRSS 2 s after start, *after* when the scenario ended. *Broker "
                + "read* and *dropped* are the broker's own `$SYS` counters over the run (sys interval 1 s); *CPU* "
                + "is per cent of one core over the measured window, *other CPU* what the rest of the machine (other "
                + "processes) used in that window; *load* is the machine's 1-minute load average when the scenario "
                + "started. The machine is shared: a figure measured while *other CPU* was high is not to be "
                + "trusted.",
                settings.mqttVersion() == 5 ? "5" : "3.1.1", settings.payloadBytes()));
        lines.add("");
        lines.add("Brokers:");
        lines.add("");
        for (BrokerLauncher broker : brokers) {
            lines.add("- " + broker.displayName() + ": " + broker.settings());
        }
        for (RawScenario scenario : RawScenario.ALL) {
            List<RawResult> rows = results.stream().filter(r -> r.scenario() == scenario).toList();
            if (!rows.isEmpty()) {
                lines.add("");
                lines.add("## " + scenario.id() + ": " + scenario.title());
                lines.add("");
                lines.add(describe(scenario));
                lines.add("");
                lines.addAll(table(scenario, rows));
            }
        }
        lines.add("");
        lines.add("## Against Mosquitto");
        lines.add("");
        lines.addAll(ratios(results));
        List<String> problems = results.stream().filter(r -> r.problem() != null)
                .map(r -> "- " + r.scenario().id() + ", " + r.broker() + ": " + r.problem()).toList();
        if (!problems.isEmpty()) {
            lines.add("");
            lines.add("## Problems");
            lines.add("");
            lines.addAll(problems);
        }
        return String.join("\n", lines) + "\n";
    }

    private String describe(RawScenario scenario) {
        return switch (scenario) {
            case FLOOD_QOS0 -> String.format(Locale.ROOT, "%d publishers, QoS 0, each writing as fast as its socket "
                    + "takes it, into one QoS 0 subscriber; %d s warm-up, %d s measured, then the publishers stop and "
                    + "the subscriber may drain.", settings.publishers(), settings.warmUp().toSeconds(),
                    settings.measure().toSeconds());
            case FAN_IN_QOS1 -> String.format(Locale.ROOT, "%d publishers, QoS 1, %d in flight each, into one QoS 1 "
                    + "subscriber (which acknowledges each read's messages in one write); %d s warm-up, %d s "
                    + "measured.", settings.publishers(), settings.inFlight(), settings.warmUp().toSeconds(),
                    settings.measure().toSeconds());
            case LATENCY_QOS0, LATENCY_QOS1 -> String.format(Locale.ROOT, "One publisher at %,d msg/s paced, one "
                    + "subscriber, QoS %d on both sides%s; %d s warm-up (counted for loss, not latency), %d s "
                    + "measured.", settings.rate(), scenario.qos(), scenario.qos() == 1 ? " (at most "
                    + settings.inFlight() + " in flight)" : "", settings.latencyWarmUp().toSeconds(),
                    settings.latencyMeasure().toSeconds());
            case CONNECT_RATE -> String.format(Locale.ROOT, "%,d clients connect (TCP, CONNECT, CONNACK), %d "
                    + "handshakes under way at once, on %d driver threads (a selector each, the CONNECT packets "
                    + "encoded before the clock starts); they stay connected until the round ends, then all send "
                    + "DISCONNECT and close, and the broker is left to go quiet. A cold round on the fresh broker "
                    + "(*RSS connected* read with its connections open), %d warm-up rounds, then %d measured rounds: "
                    + "*warm* is their median; CPU is over the measured rounds only, *µs/conn* the CPU per connection "
                    + "opened.", settings.clients(), settings.concurrency(), settings.connectThreads(),
                    ScenarioDriver.WARM_UP_ROUNDS, ScenarioDriver.WARM_ROUNDS);
            case IDLE -> String.format(Locale.ROOT, "%,d clients connect as above (keep-alive %d s) and stay "
                    + "connected, silent%s; %d s after the broker went quiet its RSS is read (*RSS connected*); "
                    + "*per connection* is that minus the RSS idle, divided by the connections.",
                    settings.idleClients(), ScenarioDriver.IDLE_KEEP_ALIVE_SECONDS,
                    ScenarioDriver.sourceAddressesFor(settings.idleClients()) == 0 ? ""
                            : String.format(Locale.ROOT, ", from %d source addresses (127.0.0.2 and up)",
                                    ScenarioDriver.sourceAddressesFor(settings.idleClients())),
                    ScenarioDriver.IDLE_SETTLE_MILLIS / 1000);
        };
    }

    private static List<String> table(RawScenario scenario, List<RawResult> rows) {
        List<String> lines = new ArrayList<>();
        switch (scenario) {
            case FLOOD_QOS0, FAN_IN_QOS1 -> {
                lines.add("| broker | delivered msg/s | written msg/s | written (run) | broker read (run) | dropped "
                        + "(broker) | dropped / read | delivered / written | lost | dup | out of order | broker CPU "
                        + "| driver CPU | other CPU | RSS idle → after (MB) | load |");
                lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (RawResult r : rows) {
                    lines.add("| " + String.join(" | ", r.broker(), rate(r.deliveredPerSecond()),
                            rate(r.writtenPerSecond()), count(r.written()), count(r.brokerRead()),
                            count(r.brokerDropped()), fraction(r.brokerDropped(), r.brokerRead()),
                            fraction(r.distinct(), r.written()), count(r.lost()), count(r.duplicates()),
                            count(r.outOfOrder()), cpu(r.brokerCpuPercent()), cpu(r.driverCpuPercent()),
                            cpu(r.otherCpuPercent()), rss(r), load(r.loadAverage())) + " |");
                }
            }
            case LATENCY_QOS0, LATENCY_QOS1 -> {
                lines.add("| broker | p50 µs | p99 µs | p99.9 µs | max µs | samples | delivered msg/s | sent (run) "
                        + "| lost | dup | out of order | broker CPU | driver CPU | other CPU | RSS idle → after (MB) "
                        + "| load |");
                lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (RawResult r : rows) {
                    lines.add("| " + String.join(" | ", r.broker(), micros(r.p50Nanos()), micros(r.p99Nanos()),
                            micros(r.p999Nanos()), micros(r.maxNanos()), count(r.latencySamples()),
                            rate(r.deliveredPerSecond()), count(r.written()), count(r.lost()),
                            count(r.duplicates()), count(r.outOfOrder()), cpu(r.brokerCpuPercent()),
                            cpu(r.driverCpuPercent()), cpu(r.otherCpuPercent()), rss(r), load(r.loadAverage()))
                            + " |");
                }
            }
            case CONNECT_RATE -> {
                lines.add("| broker | cold conn/s | warm conn/s (median) | refused | broker CPU (warm) "
                        + "| broker µs/conn | driver CPU (cold / warm) | driver µs/conn | other CPU (warm) "
                        + "| RSS idle → connected → after (MB) | load |");
                lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (RawResult r : rows) {
                    lines.add("| " + String.join(" | ", r.broker(), rate(r.coldPerSecond()), rate(r.warmPerSecond()),
                            count(r.refused()), cpu(r.brokerCpuPercent()), micros1(r.brokerMicrosPerConnection()),
                            cpu(r.coldDriverCpuPercent()) + " / " + cpu(r.driverCpuPercent()),
                            micros1(r.driverMicrosPerConnection()), cpu(r.otherCpuPercent()), rssConnected(r),
                            load(r.loadAverage())) + " |");
                }
            }
            case IDLE -> {
                lines.add("| broker | connected | conn/s | refused | broker µs/conn | driver CPU | RSS idle → "
                        + "connected → after (MB) | RSS per connection | load |");
                lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (RawResult r : rows) {
                    lines.add("| " + String.join(" | ", r.broker(), count(r.connections()), rate(r.coldPerSecond()),
                            count(r.refused()), micros1(r.brokerMicrosPerConnection()),
                            cpu(r.coldDriverCpuPercent()), rssConnected(r), kb(r.rssPerConnectionBytes()),
                            load(r.loadAverage())) + " |");
                }
            }
            default -> throw new IllegalStateException(scenario.toString());
        }
        return lines;
    }

    /** Each other broker's figures divided by the first broker's (the baseline, Mosquitto), per scenario. */
    private List<String> ratios(List<RawResult> results) {
        List<String> lines = new ArrayList<>();
        String baseline = brokers.get(0).displayName();
        lines.add("Ratios of each broker's figure to " + baseline + "'s in the same run (for latency and RSS lower "
                + "is better, for rates higher).");
        lines.add("");
        lines.add("| broker | QoS 0 flood delivered | dropped / read | QoS 1 fan-in delivered | p99 QoS 0 "
                + "| p99.9 QoS 0 | p99 QoS 1 | p99.9 QoS 1 | conn/s cold | conn/s warm | broker µs/conn "
                + "| RSS per idle connection | RSS idle |");
        lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (BrokerLauncher broker : brokers.subList(1, brokers.size())) {
            String name = broker.displayName();
            RawResult flood = find(results, RawScenario.FLOOD_QOS0, name);
            lines.add("| " + String.join(" | ", name,
                    ratio(results, RawScenario.FLOOD_QOS0, name, baseline, RawResult::deliveredPerSecond),
                    flood == null ? NONE : fraction(flood.brokerDropped(), flood.brokerRead()),
                    ratio(results, RawScenario.FAN_IN_QOS1, name, baseline, RawResult::deliveredPerSecond),
                    ratio(results, RawScenario.LATENCY_QOS0, name, baseline, r -> r.p99Nanos()),
                    ratio(results, RawScenario.LATENCY_QOS0, name, baseline, r -> r.p999Nanos()),
                    ratio(results, RawScenario.LATENCY_QOS1, name, baseline, r -> r.p99Nanos()),
                    ratio(results, RawScenario.LATENCY_QOS1, name, baseline, r -> r.p999Nanos()),
                    ratio(results, RawScenario.CONNECT_RATE, name, baseline, RawResult::coldPerSecond),
                    ratio(results, RawScenario.CONNECT_RATE, name, baseline, RawResult::warmPerSecond),
                    ratio(results, RawScenario.CONNECT_RATE, name, baseline, RawResult::brokerMicrosPerConnection),
                    ratio(results, RawScenario.IDLE, name, baseline, r -> r.rssPerConnectionBytes()),
                    ratio(results, null, name, baseline, r -> r.rssIdleBytes())) + " |");
        }
        return lines;
    }

    private static String ratio(List<RawResult> results, RawScenario scenario, String broker, String baseline,
                                java.util.function.ToDoubleFunction<RawResult> value) {
        RawResult ours = scenario == null ? minIdle(results, broker) : find(results, scenario, broker);
        RawResult theirs = scenario == null ? minIdle(results, baseline) : find(results, scenario, baseline);
        if (ours == null || theirs == null) {
            return NONE;
        }
        double a = value.applyAsDouble(ours);
        double b = value.applyAsDouble(theirs);
        return a < 0 || b <= 0 ? NONE : String.format(Locale.ROOT, "%.2f×", a / b);
    }

    private static RawResult find(List<RawResult> results, RawScenario scenario, String broker) {
        return results.stream().filter(r -> r.scenario() == scenario && r.broker().equals(broker)).findFirst()
                .orElse(null);
    }

    /** The result with the broker's lowest idle RSS (every scenario reads one). */
    private static RawResult minIdle(List<RawResult> results, String broker) {
        return results.stream().filter(r -> r.broker().equals(broker) && r.rssIdleBytes() > 0)
                .min(java.util.Comparator.comparingLong(RawResult::rssIdleBytes)).orElse(null);
    }

    /** One line for the progress output. */
    static String oneLine(RawResult r) {
        return switch (r.scenario()) {
            case FLOOD_QOS0, FAN_IN_QOS1 -> String.format(Locale.ROOT, "delivered %s msg/s, written %s msg/s, read %s, "
                    + "dropped %s, lost %s, broker CPU %s, driver CPU %s, other CPU %s%s", rate(r.deliveredPerSecond()),
                    rate(r.writtenPerSecond()), count(r.brokerRead()), count(r.brokerDropped()), count(r.lost()),
                    cpu(r.brokerCpuPercent()), cpu(r.driverCpuPercent()), cpu(r.otherCpuPercent()), problem(r));
            case LATENCY_QOS0, LATENCY_QOS1 -> String.format(Locale.ROOT, "p50 %s µs, p99 %s µs, p99.9 %s µs, "
                    + "lost %s, driver CPU %s, other CPU %s%s", micros(r.p50Nanos()), micros(r.p99Nanos()),
                    micros(r.p999Nanos()), count(r.lost()), cpu(r.driverCpuPercent()), cpu(r.otherCpuPercent()),
                    problem(r));
            case CONNECT_RATE -> String.format(Locale.ROOT, "cold %s conn/s, warm %s conn/s, broker %s µs/conn, "
                    + "driver CPU %s / %s (%s µs/conn), other CPU %s, RSS connected %s MB%s", rate(r.coldPerSecond()),
                    rate(r.warmPerSecond()), micros1(r.brokerMicrosPerConnection()), cpu(r.coldDriverCpuPercent()),
                    cpu(r.driverCpuPercent()), micros1(r.driverMicrosPerConnection()), cpu(r.otherCpuPercent()),
                    mb(r.rssConnectedBytes()), problem(r));
            case IDLE -> String.format(Locale.ROOT, "%s connected at %s conn/s, RSS %s → %s MB, %s per connection, "
                    + "driver CPU %s%s", count(r.connections()), rate(r.coldPerSecond()), mb(r.rssIdleBytes()),
                    mb(r.rssConnectedBytes()), kb(r.rssPerConnectionBytes()), cpu(r.coldDriverCpuPercent()),
                    problem(r));
        };
    }

    private static String problem(RawResult r) {
        return r.problem() == null ? "" : "; problem: " + r.problem();
    }

    private static String rate(double value) {
        return value < 0 ? NONE : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String count(long value) {
        return value < 0 ? NONE : String.format(Locale.ROOT, "%,d", value);
    }

    private static String fraction(long part, long whole) {
        return part < 0 || whole <= 0 ? NONE : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }

    private static String cpu(double percent) {
        return percent < 0 ? NONE : String.format(Locale.ROOT, "%.0f%%", percent);
    }

    private static String micros(long nanos) {
        return nanos < 0 ? NONE : String.format(Locale.ROOT, "%,.0f", nanos / 1e3);
    }

    private static String micros1(double micros) {
        return micros < 0 ? NONE : String.format(Locale.ROOT, "%,.1f", micros);
    }

    private static String kb(long bytes) {
        return bytes < 0 ? NONE : String.format(Locale.ROOT, "%,.1f KB", bytes / 1024.0);
    }

    private static String rssConnected(RawResult r) {
        return mb(r.rssIdleBytes()) + " → " + mb(r.rssConnectedBytes()) + " → " + mb(r.rssAfterBytes());
    }

    private static String load(double value) {
        return value < 0 ? NONE : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String rss(RawResult r) {
        return mb(r.rssIdleBytes()) + " → " + mb(r.rssAfterBytes());
    }

    private static String mb(long bytes) {
        return bytes < 0 ? NONE : String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }
}
