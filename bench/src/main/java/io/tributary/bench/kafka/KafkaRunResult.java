package io.tributary.bench.kafka;

import io.tributary.bench.load.DrainEnd;
import io.tributary.bench.load.LatencySummary;
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
 * @param acceptedInKafka distinct acknowledged messages found in Kafka
 * @param missing acknowledged with PUBACK, never found in Kafka when the drain ended
 * @param missingSentInWarmUp of {@code missing}, sent during the warm-up
 * @param missingSentInWindow of {@code missing}, sent within the window
 * @param missingSentAfter of {@code missing}, sent after the window
 * @param duplicates records of a message already read before
 * @param unacknowledgedInKafka distinct messages in Kafka that were never acknowledged (PUBACK lost or pending)
 * @param malformed records this driver did not write
 * @param latencySamples messages sent within the window that were read from Kafka
 * @param pubackLatency publish → PUBACK of the messages sent within the window
 * @param slowestSecond the fewest records that became visible in one whole second of the window
 * @param silentSeconds whole seconds of the window in which no record became visible
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
                             long acceptedInKafka, long missing,
                             long missingSentInWarmUp, long missingSentInWindow, long missingSentAfter,
                             long duplicates, long unacknowledgedInKafka, long malformed,
                             long latencySamples, long p50Nanos, long p99Nanos, long maxNanos,
                             LatencySummary pubackLatency,
                             long slowestSecond, int silentSeconds,
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

    /** Microseconds of the system's CPU per record visible in Kafka within the window, or -1. */
    public double systemCpuMicrosPerRecord(double windowSeconds) {
        double records = visiblePerSecond * windowSeconds;
        return systemCpuPercent < 0 || records <= 0 ? -1
                : systemCpuPercent / 100.0 * windowSeconds * 1e6 / records;
    }

    /** A result for a run that did not measure anything. */
    public static KafkaRunResult failed(String system, KafkaScenario scenario, String failure, boolean survived,
                                        List<String> notes) {
        return new KafkaRunResult(system, scenario, failure, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                LatencySummary.NONE, 0, 0, -1, List.of(), -1, -1, -1, -1, survived, 0, Duration.ZERO,
                DrainEnd.TIMED_OUT, notes);
    }
}
