package io.tributary.bench.sinks;

import io.tributary.bench.load.Arrivals;
import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.WindowSeconds;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one route-sink run measured.
 *
 * @param column the run's column in the report, such as {@code batch 500}
 * @param failure why the run measured nothing, or null
 * @param published publishes sent
 * @param accepted publishes acknowledged with PUBACK
 * @param rejected publishes that failed (connection closed)
 * @param unanswered publishes still without an answer when the drain ended
 * @param acceptedPerSecond PUBACKs per second within the window
 * @param arrivedPerSecond messages that arrived at the target (rows committed, requests received) per second, from
 *     two counts at the start and the end of the window
 * @param arrivals the acknowledged messages found at the target, and the missing ones by when they were sent
 * @param duplicates arrivals of a (publisher, sequence) that had arrived before
 * @param malformed arrivals that were not the driver's messages
 * @param pubackLatency publish → PUBACK of the messages sent within the window
 * @param arrivalLatency publish → arrival at the target, where the driver sees the arrival (the webhook)
 * @param window the window's whole seconds, counted in PUBACKs
 * @param slowPubacks messages sent within the window whose PUBACK took a second or more
 * @param longestPubackNanos the longest publish → PUBACK of any message of the run, the warm-up's included
 * @param fewestAccepted the fewest publishes one publisher had acknowledged (far below {@code mostAccepted} when
 *     one was starved)
 * @param mostAccepted the most publishes one publisher had acknowledged
 * @param tributaryCpuPercent CPU of the Tributary process over the window, in % of one core
 * @param targetCpuPercent CPU of the target's processes (PostgreSQL and its children), or -1 when it has none
 * @param driverCpuPercent CPU of the driver (publishers, counting, the webhook's server) over the window
 * @param machineCpuPercent CPU of every process on the machine over the window (200% on two busy cores), or -1
 * @param rssEndBytes resident memory of Tributary after the drain
 * @param rssPeakBytes the highest value sampled during the run
 * @param survived whether Tributary was still running at the end
 * @param facts what the target tells about the run, such as the batches PostgreSQL committed
 */
public record SinkRunResult(SinkScenario scenario, String column, String failure,
                            long published, long accepted, long rejected, long unanswered,
                            double acceptedPerSecond, double arrivedPerSecond,
                            Arrivals arrivals, long duplicates, long malformed,
                            LatencySummary pubackLatency, LatencySummary arrivalLatency, WindowSeconds window,
                            long slowPubacks, long longestPubackNanos, long fewestAccepted, long mostAccepted,
                            double tributaryCpuPercent, double targetCpuPercent, double driverCpuPercent,
                            double machineCpuPercent,
                            long rssEndBytes, long rssPeakBytes, boolean survived, int clientsDisconnected,
                            Duration drainTime, Map<String, String> facts, List<String> notes) {

    public SinkRunResult {
        facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
        notes = List.copyOf(notes);
    }

    public boolean ran() {
        return failure == null;
    }

    /** Acknowledged with PUBACK, not at the target after the run: a broken promise. */
    public long missing() {
        return accepted - arrivals.arrived();
    }

    /**
     * CPU over the window of the processes that are no part of the run (other work on the machine), in % of one
     * core, or -1 when unknown.
     */
    public double otherCpuPercent() {
        if (machineCpuPercent < 0 || tributaryCpuPercent < 0 || driverCpuPercent < 0) {
            return -1;
        }
        return Math.max(0, machineCpuPercent - tributaryCpuPercent - Math.max(0, targetCpuPercent)
                - driverCpuPercent);
    }

    /** The same result with other notes. */
    public SinkRunResult withNotes(List<String> otherNotes) {
        return new SinkRunResult(scenario, column, failure, published, accepted, rejected, unanswered,
                acceptedPerSecond, arrivedPerSecond, arrivals, duplicates, malformed, pubackLatency, arrivalLatency,
                window, slowPubacks, longestPubackNanos, fewestAccepted, mostAccepted, tributaryCpuPercent, targetCpuPercent,
                driverCpuPercent, machineCpuPercent, rssEndBytes,
                rssPeakBytes, survived, clientsDisconnected, drainTime, facts, otherNotes);
    }

    /** A result for a run that did not measure anything. */
    public static SinkRunResult failed(SinkScenario scenario, String column, String failure, boolean survived,
                                       List<String> notes) {
        return new SinkRunResult(scenario, column, failure, 0, 0, 0, 0, 0, 0, Arrivals.NONE, 0, 0,
                LatencySummary.NONE, LatencySummary.NONE, new WindowSeconds(0, 0, 0), 0, 0, 0, 0, -1, -1, -1, -1, -1, -1,
                survived,
                0, Duration.ZERO, Map.of(), notes);
    }
}
