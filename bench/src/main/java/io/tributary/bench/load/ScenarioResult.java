package io.tributary.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one scenario run against one broker measured. Counts cover the whole run (warm-up, window and drain); rates
 * and latencies cover the measured window only.
 *
 * @param failure why the run could not take place, or null when it did (then every other field is meaningful)
 * @param published publishes sent
 * @param accepted publishes the broker accepted: PUBACK received (QoS 1), or written to the socket (QoS 0)
 * @param rejected publishes that failed: an error reason code, or the connection broke
 * @param unanswered publishes still waiting for an answer when the drain timeout ran out
 * @param acceptedPerSecond accepted publishes per second within the window
 * @param deliveredPerSecond messages received by all subscribers together per second within the window
 * @param expected accepted publishes times the number of subscribers
 * @param delivered distinct expected messages that arrived, summed over subscribers
 * @param lost expected messages that never arrived; at QoS 1 each was acknowledged to its publisher, so each is a
 *     broken delivery promise
 * @param clientDropped of the lost, the QoS 0 messages the broker did deliver but the driver's client dropped because
 *     its own buffer was full (counted from the client's log)
 * @param duplicates messages a subscriber received more than once
 * @param unacknowledgedDelivered messages delivered whose publish was never acknowledged (in flight at the end)
 * @param lostSentInWarmUp of the lost, those sent during the warm-up
 * @param lostSentInWindow of the lost, those sent during the measured window
 * @param lostSentAfter of the lost, those sent after the window (while publishers stopped)
 * @param latencySamples deliveries of messages sent within the window, whose latency was recorded
 * @param slowestSecond the fewest deliveries in any whole second of the window
 * @param silentSeconds whole seconds of the window in which no subscriber received anything
 * @param rssEndBytes broker resident memory after the drain, or -1 when unknown
 * @param rssPeakBytes highest broker resident memory sampled during the run (every 200 ms), or -1
 * @param brokerCpuPercent broker CPU time within the window, in percent of one core, or -1
 * @param driverCpuPercent this driver's CPU time within the window, in percent of one core
 * @param brokerSurvived whether the broker process was alive after the drain
 * @param clientsDisconnected driver clients the broker or network disconnected
 * @param drainTime how long the drain took
 * @param drainEnd why the drain stopped: it tells lost messages (nothing arrived any more) from late ones
 */
public record ScenarioResult(
        String broker, Scenario scenario, LoadSettings settings, String failure,
        long published, long accepted, long rejected, long unanswered,
        double acceptedPerSecond, double deliveredPerSecond,
        long expected, long delivered, long lost, long clientDropped, long duplicates, long unacknowledgedDelivered,
        long latencySamples, long p50Nanos, long p99Nanos, long maxNanos,
        long lostSentInWarmUp, long lostSentInWindow, long lostSentAfter,
        long slowestSecond, int silentSeconds,
        long rssEndBytes, long rssPeakBytes, double brokerCpuPercent, double driverCpuPercent,
        boolean brokerSurvived, int clientsDisconnected, Duration drainTime, DrainEnd drainEnd, List<String> notes) {

    public ScenarioResult {
        notes = List.copyOf(notes);
    }

    /** A run that could not take place. */
    public static ScenarioResult failed(String broker, Scenario scenario, LoadSettings settings, String failure,
                                        boolean brokerSurvived, List<String> notes) {
        return new ScenarioResult(broker, scenario, settings, failure, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, -1, -1, -1, 0, brokerSurvived, 0, Duration.ZERO, DrainEnd.NOT_RUN, notes);
    }

    public boolean ran() {
        return failure == null;
    }

    /** Messages the broker accepted and never delivered: the lost ones less those the driver's client dropped. */
    public long brokerLost() {
        return lost - clientDropped;
    }

    /** Delivered over expected, 1.0 when nothing was expected. */
    public double deliveryRatio() {
        return expected == 0 ? 1.0 : (double) delivered / expected;
    }

    /**
     * Broker CPU time per delivered message in microseconds, or -1 when unknown: what the broker spends on each
     * delivery whatever the driver managed to push, so it stays comparable when the driver is the bottleneck.
     */
    public double brokerCpuMicrosPerDelivery() {
        if (brokerCpuPercent < 0 || deliveredPerSecond <= 0) {
            return -1;
        }
        return brokerCpuPercent / 100.0 / deliveredPerSecond * 1e6;
    }

    /**
     * A copy for a broker found dead after the run by whoever owns its process, with a note on how it ended (and
     * when, if it still lived at the end of the drain).
     */
    public ScenarioResult withBrokerDeath(String howItEnded) {
        List<String> all = new ArrayList<>(notes);
        all.add(brokerSurvived ? "the broker died after the drain, while the driver disconnected: " + howItEnded
                : howItEnded);
        return copy(false, all);
    }

    private ScenarioResult copy(boolean survived, List<String> all) {
        return new ScenarioResult(broker, scenario, settings, failure, published, accepted, rejected, unanswered,
                acceptedPerSecond, deliveredPerSecond, expected, delivered, lost, clientDropped, duplicates,
                unacknowledgedDelivered,
                latencySamples, p50Nanos, p99Nanos, maxNanos, lostSentInWarmUp, lostSentInWindow, lostSentAfter,
                slowestSecond, silentSeconds, rssEndBytes, rssPeakBytes,
                brokerCpuPercent, driverCpuPercent, survived, clientsDisconnected, drainTime, drainEnd, all);
    }
}
