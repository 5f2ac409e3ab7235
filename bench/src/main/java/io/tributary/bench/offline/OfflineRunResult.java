package io.tributary.bench.offline;

import java.util.List;

/**
 * What one broker did in the offline-sessions benchmark.
 *
 * @param accepted PUBACKs the publishers received over the whole run (warm-up, window, stop)
 * @param acceptedPerSecond PUBACKs within the measured window, per second
 * @param brokerCpuPercent the broker's CPU time over the window, in percent of one core
 * @param driverCpuPercent this driver's CPU time over the window, in percent of one core: near 100% the driver, not
 *     the broker, may be what limits the rate
 * @param machineCpuPercent busy CPU of the whole machine over the window, in percent of all cores
 * @param residentBytes the broker's resident memory once publishing stopped (-1 if unknown)
 * @param diskBytes the bytes under the broker's work folder once publishing stopped (its persisted state)
 * @param delivered distinct accepted messages the sessions received when they came back
 * @param lost accepted messages a session never received
 * @param duplicates receptions beyond the first
 * @param drainNanos from the sessions' reconnect until the last message arrived
 * @param notes anything that went wrong, for the report
 */
record OfflineRunResult(String broker, String settings, long accepted, double acceptedPerSecond,
                        double brokerCpuPercent, double driverCpuPercent, double machineCpuPercent,
                        long residentBytes, long diskBytes, long delivered, long lost, long duplicates,
                        long drainNanos, List<String> notes) {

    /** Broker CPU microseconds per accepted message, or -1 when unknown. */
    double cpuMicrosPerMessage() {
        return brokerCpuPercent < 0 || acceptedPerSecond <= 0 ? -1
                : brokerCpuPercent / 100.0 * 1e6 / acceptedPerSecond;
    }

    /** Messages per second the sessions read back when they reconnected. */
    double drainPerSecond() {
        return drainNanos <= 0 ? 0 : delivered * 1e9 / drainNanos;
    }
}
