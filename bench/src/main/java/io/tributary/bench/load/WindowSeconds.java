package io.tributary.bench.load;

/**
 * How steadily messages arrived over the whole seconds of a run's measured window.
 *
 * @param slowest the fewest arrivals in one whole second of the window (0 when there is none)
 * @param silent whole seconds of the window without any arrival
 * @param whole the whole seconds of the window
 */
public record WindowSeconds(long slowest, int silent, int whole) {

    /** Reads the window's whole seconds from arrivals counted per second since {@link RunClock#start()}. */
    public static WindowSeconds of(long[] perSecond, RunClock clock) {
        int firstSecond = (int) Math.ceil((clock.windowStart() - clock.start()) / 1e9);
        int lastSecond = (int) Math.floor((clock.windowEnd() - clock.start()) / 1e9); // exclusive
        long slowest = Long.MAX_VALUE;
        int silent = 0;
        for (int s = firstSecond; s < lastSecond && s < perSecond.length; s++) {
            slowest = Math.min(slowest, perSecond[s]);
            if (perSecond[s] == 0) {
                silent++;
            }
        }
        return new WindowSeconds(slowest == Long.MAX_VALUE ? 0 : slowest, silent, lastSecond - firstSecond);
    }
}
