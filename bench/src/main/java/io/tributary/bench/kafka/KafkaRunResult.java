package io.tributary.bench.kafka;

import io.tributary.bench.load.Arrivals;
import io.tributary.bench.load.DrainEnd;
import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.WindowSeconds;
import java.time.Duration;
import java.util.List;

/**
 * What one MQTT → Kafka run measured for one system.
 *
 * @param failure why the run measured nothing, or null
 * @param published publishes sent
 * @param accepted publishes acknowledged with PUBACK
 * @param rejected publishes that failed (connection closed)
 * @param unanswered publishes still without an answer when the drain ended
 * @param acceptedPerSecond PUBACKs per second within the window
 * @param visiblePerSecond records that became visible in Kafka per second within the window
 * @param arrivals the acknowledged messages found in Kafka, the missing ones by when they were sent, and those in
 *     Kafka that were never acknowledged (PUBACK lost or pending)
 * @param duplicates records of a message already read before
 * @param malformed records this driver did not write
 * @param visibleLatency publish → visible in Kafka of the messages sent within the window
 * @param pubackLatency publish → PUBACK of the messages sent within the window
 * @param window the window's whole seconds, counted in records that became visible
 * @param systemCpuPercent CPU of all the system's processes over the window, in % of one core
 * @param processCpuPercent the same per process, as "name NN%" texts
 * @param kafkaCpuPercent CPU of the Kafka process over the window
 * @param driverCpuPercent CPU of the driver (publishers and reader) over the window
 * @param rssEndBytes resident memory of all the system's processes after the drain
 * @param rssPeakBytes the highest such sum sampled during the run
 * @param survived whether every process of the system was still running at the end
 */
public record KafkaRunResult(String system, KafkaScenario scenario, String failure,
                             long published, long accepted, long rejected, long unanswered,
                             double acceptedPerSecond, double visiblePerSecond,
                             Arrivals arrivals, long duplicates, long malformed,
                             LatencySummary visibleLatency, LatencySummary pubackLatency, WindowSeconds window,
                             double systemCpuPercent, List<String> processCpuPercent, double kafkaCpuPercent,
                             double driverCpuPercent, long rssEndBytes, long rssPeakBytes, boolean survived,
                             int clientsDisconnected, Duration drainTime, DrainEnd drainEnd, List<String> notes) {

    public KafkaRunResult {
        processCpuPercent = List.copyOf(processCpuPercent);
        notes = List.copyOf(notes);
    }

    public boolean ran() {
        return failure == null;
    }

    /** Acknowledged with PUBACK, never found in Kafka when the drain ended. */
    public long missing() {
        return accepted - arrivals.arrived();
    }

    /** Microseconds of the system's CPU per record visible in Kafka within the window, or -1. */
    public double systemCpuMicrosPerRecord(double windowSeconds) {
        double records = visiblePerSecond * windowSeconds;
        return systemCpuPercent < 0 || records <= 0 ? -1
                : systemCpuPercent / 100.0 * windowSeconds * 1e6 / records;
    }

    /** The same result with other notes. */
    public KafkaRunResult withNotes(List<String> otherNotes) {
        return new KafkaRunResult(system, scenario, failure, published, accepted, rejected, unanswered,
                acceptedPerSecond, visiblePerSecond, arrivals, duplicates, malformed, visibleLatency, pubackLatency,
                window, systemCpuPercent, processCpuPercent, kafkaCpuPercent, driverCpuPercent, rssEndBytes,
                rssPeakBytes, survived, clientsDisconnected, drainTime, drainEnd, otherNotes);
    }

    /** A result for a run that did not measure anything. */
    public static KafkaRunResult failed(String system, KafkaScenario scenario, String failure, boolean survived,
                                        List<String> notes) {
        return new KafkaRunResult(system, scenario, failure, 0, 0, 0, 0, 0, 0, Arrivals.NONE, 0, 0,
                LatencySummary.NONE, LatencySummary.NONE, new WindowSeconds(0, 0, 0), -1, List.of(), -1, -1, -1, -1,
                survived, 0, Duration.ZERO, DrainEnd.TIMED_OUT, notes);
    }
}
