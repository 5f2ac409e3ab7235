package io.tributary.bench.cluster;

import io.tributary.bench.load.DrainEnd;
import io.tributary.bench.load.LatencySummary;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run (a system, a scenario, a rate) measured. Immutable.
 *
 * @param rate the offered load, msg/s over all publishers
 * @param failure why the run did not take place, or null when it did
 * @param acceptedPerSecond publishes acknowledged within the window (PUBACK at QoS 1, written at QoS 0), per second
 * @param deliveredPerSecond deliveries within the window, per second
 * @param expected acknowledged messages (each has exactly one subscriber)
 * @param delivered acknowledged messages that reached their subscriber
 * @param lost acknowledged messages that never did
 * @param byNode expected and delivered per node of the subscribers
 * @param endToEnd publish → delivery of the messages sent within the window, every subscriber
 * @param crossNode the same, only the subscribers on another node than the publishers
 * @param puback publish → PUBACK of the messages sent within the window (QoS 1)
 * @param cpuPercent CPU over the window in % of one core, per node and for Kafka, in that order
 * @param cpuMicrosPerDelivered the CPU of every node and Kafka over the window, per message delivered in it, or -1
 * @param nodesCpuMicrosPerDelivered the same without Kafka's
 * @param rssBytes resident memory of each node at the end of the window (-1 unknown)
 * @param written what the run added to the cluster's messages topic
 */
public record ClusterRunResult(ClusterSystem system, ClusterScenario scenario, int rate, String failure,
                               long accepted, double acceptedPerSecond, double deliveredPerSecond, long expected,
                               long delivered, long lost, long duplicates, List<NodeDelivery> byNode,
                               LatencyPercentiles endToEnd, LatencyPercentiles crossNode, LatencySummary puback,
                               Map<String, Double> cpuPercent, double driverCpuPercent, double cpuMicrosPerDelivered,
                               double nodesCpuMicrosPerDelivered,
                               Map<String, Long> rssBytes, MessagesTopic.Size written, DrainEnd drainEnd,
                               Duration drainTime, List<String> notes) {

    /** Expected and delivered messages of the subscribers on one node. */
    public record NodeDelivery(String node, long expected, long delivered) {
    }

    public ClusterRunResult {
        byNode = List.copyOf(byNode);
        cpuPercent = Collections.unmodifiableMap(new LinkedHashMap<>(cpuPercent));
        rssBytes = Collections.unmodifiableMap(new LinkedHashMap<>(rssBytes));
        notes = List.copyOf(notes);
    }

    /** A run that did not take place. */
    static ClusterRunResult failed(ClusterSystem system, ClusterScenario scenario, int rate, String why,
                                   List<String> notes) {
        LatencyPercentiles none = new LatencyPercentiles(0, 0, 0, 0);
        return new ClusterRunResult(system, scenario, rate, why, 0, 0, 0, 0, 0, 0, 0, List.of(), none, none,
                LatencySummary.NONE, Map.of(), -1, -1, -1, Map.of(), MessagesTopic.Size.NONE, DrainEnd.NOT_RUN,
                Duration.ZERO, notes);
    }

    /** The same result with {@code more} notes in place of its own. */
    ClusterRunResult withNotes(List<String> more) {
        return new ClusterRunResult(system, scenario, rate, failure, accepted, acceptedPerSecond, deliveredPerSecond,
                expected, delivered, lost, duplicates, byNode, endToEnd, crossNode, puback, cpuPercent,
                driverCpuPercent, cpuMicrosPerDelivered, nodesCpuMicrosPerDelivered, rssBytes, written, drainEnd, drainTime,
                more);
    }

    /** Expected and delivered messages of the subscribers on other nodes than the publishers' (node 1). */
    public NodeDelivery otherNodes() {
        return new NodeDelivery("other nodes", byNode.stream().skip(1).mapToLong(NodeDelivery::expected).sum(),
                byNode.stream().skip(1).mapToLong(NodeDelivery::delivered).sum());
    }

    public boolean ran() {
        return failure == null;
    }
}
