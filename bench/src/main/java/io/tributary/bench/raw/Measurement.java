package io.tributary.bench.raw;

/** The fields of a {@link RawResult} as a scenario fills them in; -1 for what it does not measure. */
final class Measurement {

    double deliveredPerSecond = -1;
    double writtenPerSecond = -1;
    long written = -1;
    long distinct = -1;
    long duplicates = -1;
    long outOfOrder = -1;
    long brokerRead = -1;
    long brokerDropped = -1;
    long latencySamples = -1;
    long p50Nanos = -1;
    long p99Nanos = -1;
    long p999Nanos = -1;
    long maxNanos = -1;
    double coldPerSecond = -1;
    double warmPerSecond = -1;
    int refused = -1;
    double driverCpuPercent = -1;
    double brokerCpuPercent = -1;
    double otherCpuPercent = -1;
    long rssIdleBytes = -1;
    long rssAfterBytes = -1;
    double loadAverage = -1;
    int connections = -1;
    double coldDriverCpuPercent = -1;
    double brokerMicrosPerConnection = -1;
    double driverMicrosPerConnection = -1;
    long rssConnectedBytes = -1;
    String problem;

    void problem(String text) {
        problem = problem == null ? text : problem + "; " + text;
    }

    RawResult result(RawScenario scenario, String broker) {
        return new RawResult(scenario, broker, deliveredPerSecond, writtenPerSecond, written, distinct, duplicates,
                outOfOrder, brokerRead, brokerDropped, latencySamples, p50Nanos, p99Nanos, p999Nanos, maxNanos,
                coldPerSecond, warmPerSecond, refused, driverCpuPercent, brokerCpuPercent, otherCpuPercent,
                rssIdleBytes, rssAfterBytes, loadAverage, connections, coldDriverCpuPercent, brokerMicrosPerConnection,
                driverMicrosPerConnection, rssConnectedBytes, problem);
    }
}
