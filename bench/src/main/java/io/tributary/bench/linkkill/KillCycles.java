package io.tributary.bench.linkkill;

import io.tributary.bench.report.Progress;
import io.tributary.bench.report.ReportHeading;
import io.tributary.bench.report.RunFolders;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * The Paho comparison of issue 15 ({@code BenchMain link-kills}): a QoS 1 stream flows from a publisher through
 * Mosquitto (with persistence, saved at every change) to the source under test; Mosquitto is killed with SIGKILL and
 * restarted on the same port, {@code cycles} times. Each cycle records whether the source delivered a message
 * published after Mosquitto listened again within the bound (5 s, the issue's), and how long it took; at the end,
 * what Mosquitto acknowledged to the publisher and never reached the source's sink (lost), and what reached it twice.
 * Not a test: a measurement to rerun by hand, with its report in bench/results.
 */
public final class KillCycles {

    static final String TOPIC = "kills/stream";
    static final String FILTER = "kills/+";

    /** One kill and restart. recoveryNanos is from Mosquitto listening again to the first new message, or -1. */
    record Cycle(int number, long recoveryNanos, long publisherNanos, long deliveredDuring, double loadAverage) {
    }

    private final KillCycleSource source;
    private final int cycles;
    private final int ratePerSecond;
    private final Duration down;
    private final Duration flow;
    private final Duration bound;
    private final Duration giveUp;

    public KillCycles(KillCycleSource source, int cycles, int ratePerSecond, Duration down, Duration flow,
                      Duration bound, Duration giveUp) {
        this.source = source;
        this.cycles = cycles;
        this.ratePerSecond = ratePerSecond;
        this.down = down;
        this.flow = flow;
        this.bound = bound;
        this.giveUp = giveUp;
    }

    /** Runs the cycles and writes the report; returns its file. */
    public Path run(RunFolders folders, Path mosquittoBinary) throws Exception {
        Path work = folders.workRoot();
        Files.createDirectories(work.resolve("mosquitto"));
        Deliveries deliveries = new Deliveries();
        List<Cycle> done = new ArrayList<>();
        BitSet acknowledged;
        long failedPublishes;
        long published;
        String sourceFailure = null;
        double loadStart = loadAverage();
        try (MosquittoBroker mosquitto = MosquittoBroker.builder(work.resolve("mosquitto")).persistence().start()) {
            Thread cleanup = new Thread(mosquitto::close, "link-kills-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try (StreamPublisher publisher = new StreamPublisher(mosquitto.port(), TOPIC)) {
                try {
                    source.start(mosquitto.port(), FILTER, deliveries);
                    publisher.start(ratePerSecond);
                    if (!await(() -> deliveries.highest() >= 0, Duration.ofSeconds(60))) {
                        throw new IllegalStateException("no message reached the source's sink within 60 s");
                    }
                    Progress.say("%s: stream flowing at %d msg/s; %d kill -9 cycles", source.id(), ratePerSecond,
                            cycles);
                    for (int i = 1; i <= cycles; i++) {
                        done.add(cycle(i, mosquitto, publisher, deliveries));
                    }
                } catch (IllegalStateException e) {
                    sourceFailure = e.getMessage();
                }
                publisher.stop();
                published = publisher.next();
                // The drain: until every acknowledged message arrived, or nothing new came for 10 s.
                awaitDrain(publisher, deliveries);
                acknowledged = publisher.acknowledged();
                failedPublishes = publisher.failed();
            } finally {
                source.close();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
        String report = report(folders.started(), done, deliveries, acknowledged, published, failedPublishes,
                sourceFailure, loadStart, mosquittoBinary);
        System.out.println(summary(done, deliveries, acknowledged));
        return folders.writeReport(false, report);
    }

    private Cycle cycle(int number, MosquittoBroker mosquitto, StreamPublisher publisher, Deliveries deliveries)
            throws InterruptedException {
        Thread.sleep(flow.toMillis());
        long before = deliveries.arrivals();
        mosquitto.kill();
        Thread.sleep(down.toMillis());
        mosquitto.restart();
        long listening = System.nanoTime();
        long firstNew = publisher.next();
        double load = loadAverage();
        long recovered = -1;
        long deadline = listening + giveUp.toNanos();
        while (System.nanoTime() < deadline) {
            if (deliveries.highest() >= firstNew) {
                recovered = System.nanoTime() - listening;
                break;
            }
            Thread.sleep(10);
        }
        long publisherAt = publisher.connectedNanos() - listening;
        Cycle cycle = new Cycle(number, recovered, publisherAt, deliveries.arrivals() - before, load);
        Progress.say("%s cycle %d: %s (publisher reconnected after %s, load %.2f)", source.id(), number,
                recovered < 0 ? "NOT recovered within " + giveUp.toSeconds() + " s"
                        : "recovered after " + millis(recovered), millis(publisherAt), load);
        return cycle;
    }

    private static void awaitDrain(StreamPublisher publisher, Deliveries deliveries) throws InterruptedException {
        long quietSince = System.nanoTime();
        long seen = deliveries.arrivals();
        while (System.nanoTime() - quietSince < 10_000_000_000L) {
            if (deliveries.missingOf(publisher.acknowledged()).isEmpty() && deliveries.unique() > 0) {
                Thread.sleep(1000); // publishes in flight at the stop may still be acknowledged and delivered
                if (deliveries.missingOf(publisher.acknowledged()).isEmpty()) {
                    return;
                }
            }
            if (deliveries.arrivals() != seen) {
                seen = deliveries.arrivals();
                quietSince = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    private String summary(List<Cycle> done, Deliveries deliveries, BitSet acknowledged) {
        long within = done.stream().filter(c -> c.recoveryNanos() >= 0 && c.recoveryNanos() <= bound.toNanos())
                .count();
        return String.format(Locale.ROOT, "[link-kills] %s: recovered within %d s in %d of %d cycles; "
                        + "acknowledged %d, lost %d, duplicates %d", source.id(), bound.toSeconds(), within,
                cycles, acknowledged.cardinality(), deliveries.missingOf(acknowledged).cardinality(),
                deliveries.arrivals() - deliveries.unique());
    }

    private String report(ZonedDateTime started, List<Cycle> done, Deliveries deliveries, BitSet acknowledged,
                          long published, long failedPublishes, String sourceFailure, double loadStart,
                          Path mosquittoBinary) {
        List<String> lines = ReportHeading.linesWithSource("External broker kill cycles: " + source.id(), started,
                false, "BenchMain link-kills --client " + source.id(), mosquittoBinary,
                "bench/run.sh link-kills");
        lines.add("- Source under test (`--client " + source.id() + "`): " + source.describe() + ".");
        lines.add("- Mosquitto (test-support MosquittoBroker): one loopback listener, anonymous, `persistence true`, "
                + "`autosave_on_changes true`, `autosave_interval 1` (saved at every change, so a kill loses no "
                + "session), other settings default (max_queued_messages 1000).");
        lines.add(String.format(Locale.ROOT, "- Stream: one HiveMQ MQTT 5 client (persistent session, automatic "
                + "reconnect 100-500 ms) publishing its sequence number at QoS 1 to `%s`, %d msg/s, also while "
                + "Mosquitto is down; the source subscribes to `%s` at QoS 1.", TOPIC, ratePerSecond, FILTER));
        lines.add(String.format(Locale.ROOT, "- Each cycle: %d ms of flow, `kill -9` of Mosquitto, %d ms down, "
                + "restart on the same port. *Recovered* = the sink got a message published after Mosquitto "
                + "listened again, measured from that moment (polled every 10 ms); the bound is %d s (issue 15), "
                + "the wait gives up after %d s. The publisher's own reconnect is shown beside it: the recovery "
                + "cannot come before it.", flow.toMillis(), down.toMillis(), bound.toSeconds(),
                giveUp.toSeconds()));
        lines.add("- *Lost* = acknowledged to the publisher by Mosquitto (PUBACK) and never at the sink after the "
                + "drain (every acknowledged message arrived, or nothing new for 10 s); *duplicates* = arrivals of a "
                + "sequence number seen before.");
        lines.add(String.format(Locale.ROOT, "- 1-minute load average at the start: %.2f (the machine is shared).",
                loadStart));
        lines.add("");
        lines.add("## Cycles");
        lines.add("");
        lines.add("| cycle | recovered within " + bound.toSeconds() + " s | recovery after listening, ms | "
                + "publisher reconnected after, ms | arrivals in the cycle | load |");
        lines.add("|---|---|---|---|---|---|");
        for (Cycle c : done) {
            boolean within = c.recoveryNanos() >= 0 && c.recoveryNanos() <= bound.toNanos();
            lines.add(String.format(Locale.ROOT, "| %d | %s | %s | %s | %d | %.2f |", c.number(),
                    within ? "yes" : "**no**", c.recoveryNanos() < 0 ? "none within " + giveUp.toSeconds() + " s"
                            : millis(c.recoveryNanos()), millis(c.publisherNanos()), c.deliveredDuring(),
                    c.loadAverage()));
        }
        long within = done.stream().filter(c -> c.recoveryNanos() >= 0 && c.recoveryNanos() <= bound.toNanos())
                .count();
        BitSet missing = deliveries.missingOf(acknowledged);
        lines.add("");
        lines.add("## Totals");
        lines.add("");
        lines.add(String.format(Locale.ROOT, "- Recovered within %d s: **%d of %d** cycles%s.", bound.toSeconds(),
                within, cycles, done.size() < cycles ? " (only " + done.size() + " ran)" : ""));
        lines.add(String.format(Locale.ROOT, "- Published %d; acknowledged by Mosquitto %d; failed or unanswered "
                        + "%d; arrived at the sink %d (%d distinct); **lost %d**; duplicates %d%s.", published,
                acknowledged.cardinality(), failedPublishes, deliveries.arrivals(), deliveries.unique(),
                missing.cardinality(), deliveries.arrivals() - deliveries.unique(),
                deliveries.unreadable() > 0 ? "; unreadable payloads " + deliveries.unreadable() : ""));
        if (!missing.isEmpty()) {
            lines.add("- First lost sequence numbers: " + missing.stream().limit(20).boxed().toList() + ".");
        }
        if (sourceFailure != null) {
            lines.add("- **The run stopped early: " + sourceFailure + "**");
        }
        lines.add(String.format(Locale.ROOT, "- 1-minute load average at the end: %.2f.", loadAverage()));
        lines.add("");
        return String.join("\n", lines);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%,d", nanos / 1_000_000);
    }

    private static boolean await(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }
}
