package io.tributary.bench.report;

import io.tributary.bench.cluster.ClusterRunResult;
import io.tributary.bench.cluster.ClusterSystem;
import io.tributary.bench.cluster.LatencyPercentiles;
import io.tributary.bench.kafka.KafkaComparison;
import io.tributary.bench.load.DrainEnd;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Turns the results of a cluster run into markdown: the method, two tables over every run (delivery and latency;
 * cost), and per system what arrived on which node and the notes. Stateless apart from what the run fixed.
 */
public final class ClusterReport {

    private final ZonedDateTime started;
    private final boolean quick;
    private final Path mosquitto;
    private final List<String> nodeJvmFlags;
    private final String nodeSettings;

    /**
     * @param mosquitto the Mosquitto binary, for the report's machine facts only
     * @param nodeJvmFlags every node's JVM flags
     * @param nodeSettings how the nodes run, in one line
     */
    public ClusterReport(ZonedDateTime started, boolean quick, Path mosquitto, List<String> nodeJvmFlags,
                         String nodeSettings) {
        this.started = started;
        this.quick = quick;
        this.mosquitto = mosquitto;
        this.nodeJvmFlags = List.copyOf(nodeJvmFlags);
        this.nodeSettings = nodeSettings;
    }

    /** The title, the machine and the method. */
    public List<String> header(String load) {
        List<String> lines = ReportHeading.linesWithSource("Cluster benchmark: one node, one-node cluster, three "
                + "nodes", started, quick, "BenchMain cluster", mosquitto, "bench/run.sh cluster");
        lines.add("- **Raw throughput is not the point.** Every process of a run shares this machine's cores: up to "
                + "three Tributary JVMs, Kafka and the driver. The numbers say what the cluster path costs per "
                + "message (CPU, Kafka bytes, latency) and whether every message arrives, not how far three machines "
                + "would scale.");
        lines.add("- Load: " + load);
        lines.add("- Scenarios: `remote` spreads the subscribers round-robin over the nodes (subscriber k on node "
                + "k mod N + 1), so that on three nodes two thirds of the messages must cross to another node; "
                + "`local` puts every subscriber on node 1, so nothing needs another node (the interest filter's "
                + "zero-append path). On one node both are the same, so only `local` runs there.");
        lines.add("- Before measuring, the driver publishes QoS 1 probe messages on node 1 to every subscriber's "
                + "filter until each got one (a subscription on another node may take a moment to count); a "
                + "subscriber still without one after the probe timeout is named in the notes and the run goes on.");
        lines.add("- Each message has exactly one subscriber, so **delivered / expected** compares what arrived with "
                + "what was acknowledged (PUBACK at QoS 1, written to the socket at QoS 0); **lost** is acknowledged "
                + "and never arrived by the end of the drain; **dup** counts second arrivals. Latency is publish → "
                + "delivery at the subscriber, both System.nanoTime() of the driver (one clock), for the messages "
                + "sent within the window: over every subscriber, and over those on another node than the publishers "
                + "(cross-node). PUBACK latency is publish → PUBACK at QoS 1.");
        lines.add("- CPU is utime+stime from /proc/PID/stat over the measured window, in % of one core: per node, "
                + "Kafka's, and the driver's (the driver must not be the bottleneck). **CPU µs / delivered** is the "
                + "sum over every node and Kafka divided by the messages delivered within the window, and again "
                + "without Kafka's (Kafka runs, and is counted, in the `single` runs too, though nothing uses it). RSS is each "
                + "node's VmRSS at the end of the window.");
        lines.add("- " + (quick ? "In quick mode the first system's first run is measured cold (the driver's and "
                + "Kafka's JIT still at work): its tail latency and CPU are not comparable." : "The first system runs "
                + "its first scenario once more before its measured runs, not reported, so that it does not pay "
                + "alone for the driver's and Kafka's JIT."));
        lines.add("- Right after each system started, the driver reads the CPU of every node and Kafka over a few "
                + "seconds with no client connected (the system's **idle** line): a cluster's fixed cost, which the "
                + "per-message figures of a loaded run include.");
        lines.add("- Kafka records and bytes per publish: the growth of the cluster's messages topic during the run "
                + "(the sum of its partitions' end offsets; the size of its log segments as Kafka's describeLogDirs "
                + "reports it), divided by the acknowledged publishes. Zero where no node appends a device publish.");
        lines.add("- Driver JVM flags: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        lines.add("");
        lines.add("## Systems");
        lines.add("");
        lines.add("- Kafka: " + KafkaComparison.kafkaSettings() + "; one for the whole run, warmed up by the driver's "
                + "own producer first; each system gets a fresh `cluster.topic-prefix`, whose topics are deleted "
                + "after it.");
        lines.add("- Every node: " + nodeSettings + "; JVM flags: " + String.join(" ", nodeJvmFlags));
        lines.add("- `single`: one node without `cluster:`. `one-node-cluster`: one node with it (the cost of the "
                + "cluster path alone). `three-nodes`: three nodes with it, started one after the other; each "
                + "waited for until `/health/ready` answered 200.");
        return lines;
    }

    /** The two tables over every run. */
    public String summary(List<ClusterRunResult> results) {
        List<String> lines = new ArrayList<>();
        lines.add("## Results");
        lines.add("");
        lines.add("### Delivery and latency (ms)");
        lines.add("");
        List<String> gaps = results.stream().filter(r -> r.ran() && r.otherNodes().expected() > 0
                        && r.otherNodes().delivered() == 0)
                .map(r -> r.system().id() + " " + r.scenario().id() + " at " + Formats.count(r.rate()) + " msg/s")
                .toList();
        if (!gaps.isEmpty()) {
            lines.add("**No message crossed nodes** in " + String.join(", ", gaps) + ": the subscribers on other "
                    + "nodes than the publishers' got nothing (a build that does not carry device publishes across "
                    + "nodes); their share counts as lost.");
            lines.add("");
        }
        lines.add("| system | scenario | offered msg/s | delivered/s | delivered / expected | cross-node delivered / "
                + "expected | lost | dup | p50 | p99 | p99.9 | cross-node p50 | cross-node p99 | cross-node p99.9 | "
                + "PUBACK p50 | PUBACK p99 |");
        lines.add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (ClusterRunResult r : results) {
            if (!r.ran()) {
                lines.add("| " + r.system().id() + " | " + r.scenario().id() + " | " + Formats.count(r.rate())
                        + " | FAILED: " + r.failure().replace("|", "/").replace("\n", " ") + " ||||||||||||||");
                continue;
            }
            lines.add("| " + String.join(" | ", r.system().id(), r.scenario().id(), Formats.count(r.rate()),
                    Formats.rate(r.deliveredPerSecond()), Formats.count(r.delivered()) + " / "
                            + Formats.count(r.expected()), crossNode(r), r.lost() > 0 ? "**" + Formats.count(r.lost()) + "**"
                            : "0", Formats.count(r.duplicates()),
                    latency(r.endToEnd(), LatencyPercentiles::p50Nanos),
                    latency(r.endToEnd(), LatencyPercentiles::p99Nanos),
                    latency(r.endToEnd(), LatencyPercentiles::p999Nanos),
                    latency(r.crossNode(), LatencyPercentiles::p50Nanos),
                    latency(r.crossNode(), LatencyPercentiles::p99Nanos),
                    latency(r.crossNode(), LatencyPercentiles::p999Nanos),
                    r.scenario().qos() == 0 ? Formats.NONE : Formats.latency(r.puback().samples(),
                            r.puback().p50Nanos()),
                    r.scenario().qos() == 0 ? Formats.NONE : Formats.latency(r.puback().samples(),
                            r.puback().p99Nanos())) + " |");
        }
        lines.add("");
        lines.add("### Cost");
        lines.add("");
        lines.add("| system | scenario | offered msg/s | CPU µs / delivered (nodes + Kafka) | CPU µs / delivered "
                + "(nodes) | CPU per process | driver CPU | RSS per node (MB) | Kafka records / publish | Kafka bytes / "
                + "publish |");
        lines.add("|---|---|---:|---:|---:|---|---:|---|---:|---:|");
        for (ClusterRunResult r : results) {
            if (!r.ran()) {
                continue;
            }
            lines.add("| " + String.join(" | ", r.system().id(), r.scenario().id(), Formats.count(r.rate()),
                    Formats.micros(r.cpuMicrosPerDelivered()), Formats.micros(r.nodesCpuMicrosPerDelivered()),
                    cpu(r.cpuPercent()),
                    Formats.cpu(r.driverCpuPercent()), rss(r.rssBytes()),
                    r.system().clustered() ? perPublish(r.written().records(), r.accepted(), "%.2f") : Formats.NONE,
                    r.system().clustered() ? perPublish(r.written().bytes(), r.accepted(), "%.0f") : Formats.NONE)
                    + " |");
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * One system's section: its CPU with no client, then per run what arrived on which node, how the drain ended,
     * the notes.
     *
     * @param idle CPU per node and Kafka with no client, or null when the system did not start
     */
    public String system(ClusterSystem system, Map<String, Double> idle, List<ClusterRunResult> results) {
        List<String> lines = new ArrayList<>();
        lines.add("## " + system.displayName() + " (`" + system.id() + "`)");
        lines.add("");
        if (idle != null) {
            lines.add("- **idle** (started, no client): CPU " + cpu(idle));
        }
        for (ClusterRunResult r : results) {
            String title = "- **" + r.scenario().id() + " at " + Formats.count(r.rate()) + " msg/s**: ";
            if (!r.ran()) {
                lines.add(title + "FAILED: " + r.failure());
            } else {
                lines.add(title + "delivered / expected per node of the subscribers: " + r.byNode().stream()
                        .map(n -> n.node() + " " + Formats.count(n.delivered()) + " / " + Formats.count(n.expected()))
                        .collect(Collectors.joining(", ")) + "; drain " + String.format(Locale.ROOT, "%.1f s",
                        r.drainTime().toMillis() / 1000.0) + " (" + describe(r.drainEnd()) + ")");
            }
            r.notes().forEach(note -> lines.add("  - " + note));
        }
        return String.join("\n", lines) + "\n";
    }

    /** One result in one line, for the progress output. */
    public static String oneLine(ClusterRunResult r) {
        if (!r.ran()) {
            return r.system().id() + " " + r.scenario().id() + " FAILED: " + r.failure();
        }
        return String.format(Locale.ROOT, "%s %s %,d msg/s: delivered %,d of %,d (%,.0f/s), lost %,d, dup %,d, p50 "
                        + "%s ms, p99 %s ms, cross-node p99 %s ms, CPU %s µs/delivered, driver CPU %s",
                r.system().id(), r.scenario().id(), r.rate(), r.delivered(), r.expected(), r.deliveredPerSecond(),
                r.lost(), r.duplicates(), latency(r.endToEnd(), LatencyPercentiles::p50Nanos),
                latency(r.endToEnd(), LatencyPercentiles::p99Nanos),
                latency(r.crossNode(), LatencyPercentiles::p99Nanos), Formats.micros(r.cpuMicrosPerDelivered()),
                Formats.cpu(r.driverCpuPercent()));
    }

    /** Cross-node delivered / expected, or none on one node. */
    private static String crossNode(ClusterRunResult r) {
        if (r.byNode().size() < 2) {
            return Formats.NONE;
        }
        return Formats.count(r.otherNodes().delivered()) + " / " + Formats.count(r.otherNodes().expected());
    }

    private static String latency(LatencyPercentiles p, ToLongFunction<LatencyPercentiles> which) {
        return p.samples() == 0 ? Formats.NONE : Formats.millis(which.applyAsLong(p));
    }

    private static String cpu(Map<String, Double> percent) {
        return percent.entrySet().stream().map(e -> e.getKey() + " " + Formats.cpu(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String rss(Map<String, Long> bytes) {
        return bytes.values().stream().map(Formats::megabytes).collect(Collectors.joining(" / "));
    }

    private static String perPublish(long amount, long publishes, String format) {
        return publishes == 0 ? Formats.NONE : String.format(Locale.ROOT, format, (double) amount / publishes);
    }

    private static String describe(DrainEnd end) {
        return switch (end) {
            case ALL_ARRIVED -> "every acknowledged message arrived";
            case QUIET -> "nothing arrived for 5 s at QoS 1, 1 s at QoS 0";
            case TIMED_OUT -> "timed out while messages still arrived";
            case DIED -> "a node died";
            case NOT_RUN -> "not run";
        };
    }
}
