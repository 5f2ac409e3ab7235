package io.tributary.bench.sinks;

import io.tributary.bench.load.LatencySummary;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RunClock;
import java.util.Map;

/**
 * Where one run's route delivers, as the driver sees it: the route that Tributary is configured with, how many
 * messages have arrived so far, and afterwards which ones.
 */
interface SinkTarget {

    /** The scenario the run belongs to: {@code sql} or {@code webhook}. */
    SinkScenario scenario();

    /** Names the run in file names: {@code sql-b500}. */
    String id();

    /** Names the run in the report's columns: {@code batch 500}. */
    String column();

    /** The {@code connections:} and {@code routes:} of Tributary's configuration, after its {@code broker:} section. */
    String routeConfig();

    /** Called before Tributary starts: a fresh table, fresh counts. */
    void prepare() throws Exception;

    /** Called once the run's clock is known, before the first measured message is published. */
    void useClock(RunClock clock);

    /** Messages that have arrived so far (committed rows, received requests), probes and duplicates included. */
    long count() throws Exception;

    /** What arrived, by publisher and sequence, once publishing has stopped and the last PUBACK is in. */
    Receipts received(int publishers) throws Exception;

    /** Publish → arrival latency of the messages sent within the window, where the driver can see the arrival. */
    LatencySummary arrivalLatency();

    /**
     * CPU time of the target's own processes (PostgreSQL and its children), or empty when it has none: the webhook's
     * server runs in the driver, whose CPU is reported apart.
     */
    java.util.OptionalLong cpuNanos();

    /** Facts for the report's table, by label in the order to show them, once the run is over. */
    Map<String, String> facts() throws Exception;

    /** Called after the run: drops the table, stops the server. */
    void finish();
}
