package io.tributary.routes.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.broker.InProcessBroker;

/**
 * What the HTTP API serves at {@code /metrics} and {@code /health/ready}: the Prometheus registry and the
 * readiness checks.
 */
public record Monitoring(PrometheusMeterRegistry registry, Readiness readiness) {

    /** The content type of {@link PrometheusMeterRegistry#scrape()}: the Prometheus text format 0.0.4. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * A registry with the JVM's meters and {@code broker}'s ({@code tributary_broker_*}, and
     * {@code tributary_cluster_*} when it is a node of a cluster).
     */
    public static PrometheusMeterRegistry newRegistry(InProcessBroker broker) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        BrokerMeters.bind(registry, broker);
        ClusterMeters.bind(registry, broker);
        return registry;
    }
}
