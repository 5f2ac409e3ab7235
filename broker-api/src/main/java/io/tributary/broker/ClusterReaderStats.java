package io.tributary.broker;

/**
 * This node's cluster log reader at one moment, for metrics.
 *
 * @param messagesTopic     the cluster's messages topic, which the reader reads
 * @param lagRecords        records behind the end of that topic, summed over its partitions, as of the last
 *                          checkpoint interval; -1 until the consumer knows any partition's lag
 * @param pendingDeliveries messages handed to this node's sessions whose delivery has not completed
 * @param paused            true while a session with a full queue pauses the reader
 */
public record ClusterReaderStats(String messagesTopic, long lagRecords, int pendingDeliveries, boolean paused) {
}
