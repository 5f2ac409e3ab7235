package io.tributary.bench.raw;

/**
 * What one scenario measured against one broker. Fields a scenario does not measure are -1.
 *
 * @param deliveredPerSecond distinct messages the subscriber received per second in the measured window
 * @param writtenPerSecond messages the publishers' sockets took per second in the measured window
 * @param written messages written over the whole run, warm-up included
 * @param distinct of those, how many the subscriber received (after the drain)
 * @param brokerRead PUBLISH packets the broker counted as received over the run ($SYS), or -1
 * @param brokerDropped messages the broker counted as dropped over the run ($SYS), or -1
 * @param coldPerSecond connection rate of the first round
 * @param warmPerSecond connection rate of the second round
 * @param driverCpuPercent the driver JVM's CPU in the measured window, percent of one core
 * @param brokerCpuPercent the broker process's CPU in the measured window, percent of one core
 * @param otherCpuPercent the rest of the machine's busy CPU in the window (other processes), percent of one core
 * @param rssIdleBytes the broker's VmRSS before the scenario, two seconds after it started
 * @param rssAfterBytes its VmRSS after the scenario, before it is stopped
 * @param loadAverage the machine's 1-minute load average when the scenario started
 * @param connections connections per round (connection rate) or held (idle)
 * @param coldDriverCpuPercent the driver's CPU during the cold connection round, percent of one core
 * @param brokerMicrosPerConnection the broker's CPU per connection over the warm rounds (opening it), µs
 * @param driverMicrosPerConnection the driver's CPU per connection over the warm rounds, µs
 * @param rssConnectedBytes the broker's VmRSS with every connection of the first round open (idle: settled)
 * @param problem what went wrong, or null
 */
public record RawResult(RawScenario scenario, String broker, double deliveredPerSecond, double writtenPerSecond,
                        long written, long distinct, long duplicates, long outOfOrder, long brokerRead,
                        long brokerDropped, long latencySamples, long p50Nanos, long p99Nanos, long p999Nanos,
                        long maxNanos, double coldPerSecond, double warmPerSecond, int refused,
                        double driverCpuPercent, double brokerCpuPercent, double otherCpuPercent,
                        long rssIdleBytes, long rssAfterBytes,
                        double loadAverage, int connections, double coldDriverCpuPercent,
                        double brokerMicrosPerConnection, double driverMicrosPerConnection, long rssConnectedBytes,
                        String problem) {

    /** What each open connection added to the broker's RSS, or -1. */
    public long rssPerConnectionBytes() {
        return rssConnectedBytes < 0 || rssIdleBytes < 0 || connections <= 0 ? -1
                : (rssConnectedBytes - rssIdleBytes) / connections;
    }

    /** Messages written but never received, after the drain. */
    public long lost() {
        return written < 0 ? -1 : written - distinct;
    }
}
