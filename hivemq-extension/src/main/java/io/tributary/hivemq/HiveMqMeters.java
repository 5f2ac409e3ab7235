package io.tributary.hivemq;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.util.HierarchicalNameMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows the routes' meters (those named {@code tributary.*}) in HiveMQ's metric registry, so that they appear wherever
 * HiveMQ's are exported: each statistic of a meter as a gauge read from the meter, named as Micrometer names
 * hierarchical meters ({@code tributary.route.messages.delivered.route.telemetry}, {@code ...latency...count}).
 * Meters added later, such as a route's, follow. HiveMQ removes nothing of a stopped extension's: {@link #close()}
 * removes them all.
 */
final class HiveMqMeters implements AutoCloseable {

    private static final String PREFIX = "tributary.";

    private final MetricRegistry hivemq;
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    HiveMqMeters(MeterRegistry routes, MetricRegistry hivemq) {
        this.hivemq = hivemq;
        // Listening first, then the meters there already: a meter added in between is offered twice, shown once.
        routes.config().onMeterAdded(this::show);
        routes.config().onMeterRemoved(this::hide);
        routes.getMeters().forEach(this::show);
    }

    private void show(Meter meter) {
        if (closed || !meter.getId().getName().startsWith(PREFIX)) {
            return;
        }
        List<Statistic> statistics = new ArrayList<>();
        meter.measure().forEach(measurement -> statistics.add(measurement.getStatistic()));
        for (Statistic statistic : statistics) {
            String name = nameOf(meter, statistic, statistics.size());
            if (names.add(name)) {
                try {
                    hivemq.register(name, (Gauge<Double>) () -> valueOf(meter, statistic));
                } catch (IllegalArgumentException taken) {
                    names.remove(name); // another extension's metric of that name stays
                }
            }
        }
    }

    private void hide(Meter meter) {
        List<Statistic> statistics = new ArrayList<>();
        meter.measure().forEach(measurement -> statistics.add(measurement.getStatistic()));
        for (Statistic statistic : statistics) {
            String name = nameOf(meter, statistic, statistics.size());
            if (names.remove(name)) {
                hivemq.remove(name);
            }
        }
    }

    private static String nameOf(Meter meter, Statistic statistic, int statistics) {
        String base = HierarchicalNameMapper.DEFAULT.toHierarchicalName(meter.getId(), NamingConvention.dot);
        return statistics == 1 ? base : base + "." + statistic.getTagValueRepresentation();
    }

    private static double valueOf(Meter meter, Statistic statistic) {
        for (Measurement measurement : meter.measure()) {
            if (measurement.getStatistic() == statistic) {
                return measurement.getValue();
            }
        }
        return Double.NaN;
    }

    /** Removes every metric shown; later meters are not shown any more. */
    @Override
    public void close() {
        closed = true;
        names.forEach(hivemq::remove);
        names.clear();
    }
}
