package io.tributary.bench.connections;

import java.util.List;

/**
 * What idle clients cost one broker.
 *
 * @param rssIdleBytes resident memory after start-up settled, before any client, or -1 when unknown
 * @param rssWithClientsBytes resident memory while the clients were connected and idle, or -1
 * @param outcome how the connections went; null when the run failed before connecting
 * @param closedByBroker connections the broker closed while they were idle
 * @param survived whether the broker process was alive at the end
 */
public record IdleMemoryResult(String broker, int clients, long rssIdleBytes, long rssWithClientsBytes,
                               IdleConnections.Outcome outcome, int closedByBroker, boolean survived,
                               List<String> notes) {

    public IdleMemoryResult {
        notes = List.copyOf(notes);
    }

    /** Extra resident memory per connected client in bytes, or -1 when it cannot be told. */
    public double bytesPerClient() {
        if (outcome == null || outcome.connected() == 0 || rssIdleBytes < 0 || rssWithClientsBytes < 0) {
            return -1;
        }
        return (double) (rssWithClientsBytes - rssIdleBytes) / outcome.connected();
    }
}
