package io.tributary.bench.report;

import io.tributary.bench.load.LoadSettings;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report of {@code bench/run.sh offline-sessions}: one row per broker, and Tributary's ratios to Mosquitto. */
public final class OfflineReport {

    /** One broker's numbers, as {@code OfflineRunResult} holds them. */
    public record Row(String broker, String settings, long accepted, double perSecond, double brokerCpu,
                      double cpuMicrosPerMessage, double driverCpu, double machineCpu, long residentBytes,
                      long diskBytes, long delivered, long lost, long duplicates, double drainPerSecond,
                      List<String> notes) {
    }

    private OfflineReport() {
    }

    public static String markdown(ZonedDateTime started, boolean quick, Path mosquitto, int publishers, int sessions,
                                  LoadSettings load, int maxQueued, List<Row> rows) {
        List<String> lines = new ArrayList<>(ReportHeading.linesWithSource(
                "QoS 1 fan-in into offline persistent sessions", started, quick, "BenchMain offline-sessions",
                mosquitto, "bench/run.sh offline-sessions"));
        lines.add(String.format(Locale.ROOT, "%d publishers (%s, %s) publish QoS 1 to `bench/N` as fast as %d "
                + "messages in flight each allow, %d-byte payloads; %d persistent session%s (MQTT 5, session expiry "
                + "1 h, subscribed to `bench/#` at QoS 1) stay offline the whole time, so every accepted message "
                + "must be kept for %s. %d s warm-up, then %d s measured: msg/s counts the PUBACKs within the window. "
                + "Then the session%s reconnect and read everything back (up to %d s), which checks that every "
                + "acknowledged message was kept (lost, duplicates) and how fast a queue is read back. Both brokers "
                + "get queues of %,d messages, above what a run accepts.",
                publishers, load.mqttVersionName(), ReportHeading.ioThreads(load.clientIoThreads()), load.inFlight(),
                load.payloadBytes(), sessions, sessions == 1 ? "" : "s", sessions == 1 ? "it" : "them",
                load.warmUp().toSeconds(), load.measure().toSeconds(), sessions == 1 ? "" : "s",
                load.drainTimeout().toSeconds(), maxQueued));
        lines.add("");
        lines.add("`driver CPU` is this driver's CPU over the window in % of one core: near 100% the driver may be "
                + "what limits the rate. `machine CPU` is every process's, in % of all cores. Memory is the "
                + "broker's resident set once publishing stopped; disk, the bytes in its work folder then.");
        lines.add("");
        lines.add("## Results");
        lines.add("");
        lines.add("| broker | msg/s accepted | broker CPU | µs CPU/msg | driver CPU | machine CPU | memory MB "
                + "| disk MB | accepted | delivered | lost | duplicates | read back msg/s |");
        lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows) {
            lines.add("| " + row.broker() + " | " + Formats.rate(row.perSecond()) + " | " + Formats.cpu(row.brokerCpu())
                    + " | " + Formats.micros(row.cpuMicrosPerMessage()) + " | " + Formats.cpu(row.driverCpu()) + " | "
                    + Formats.cpu(row.machineCpu()) + " | " + Formats.megabytes(row.residentBytes()) + " | "
                    + Formats.megabytes(row.diskBytes()) + " | " + Formats.count(row.accepted()) + " | "
                    + Formats.count(row.delivered()) + " | " + Formats.count(row.lost()) + " | "
                    + Formats.count(row.duplicates()) + " | " + Formats.rate(row.drainPerSecond()) + " |");
        }
        Row tributary = find(rows, "Tributary");
        Row mosquittoRow = find(rows, "Mosquitto");
        if (tributary != null && mosquittoRow != null) {
            lines.add("");
            lines.add("Tributary / Mosquitto: msg/s " + Formats.ratio(tributary.perSecond(), mosquittoRow.perSecond())
                    + ", CPU per message " + Formats.ratio(tributary.cpuMicrosPerMessage(),
                            mosquittoRow.cpuMicrosPerMessage())
                    + ", memory " + Formats.ratio(tributary.residentBytes(), mosquittoRow.residentBytes())
                    + ", read back " + Formats.ratio(tributary.drainPerSecond(), mosquittoRow.drainPerSecond()) + ".");
        }
        lines.add("");
        lines.add("## Settings");
        lines.add("");
        for (Row row : rows) {
            lines.add("- " + row.broker() + ": " + row.settings());
        }
        List<String> notes = new ArrayList<>();
        for (Row row : rows) {
            row.notes().forEach(note -> notes.add("- " + row.broker() + ": " + note));
        }
        if (!notes.isEmpty()) {
            lines.add("");
            lines.add("## Notes");
            lines.add("");
            lines.addAll(notes);
        }
        lines.add("");
        return String.join("\n", lines);
    }

    private static Row find(List<Row> rows, String broker) {
        return rows.stream().filter(r -> r.broker().equals(broker)).findFirst().orElse(null);
    }
}
