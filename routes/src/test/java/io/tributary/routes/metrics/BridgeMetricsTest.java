package io.tributary.routes.metrics;

import io.tributary.testsupport.net.FreePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.mapping.Template;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} and {@code /health/*} of a running bridge, without a token. */
class BridgeMetricsTest {

    @TempDir
    static Path data;
    static MetricsFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        String dead = "http://127.0.0.1:" + FreePort.onLoopback() + "/hook";
        fixture = new MetricsFixture(data, ConnectionSettings.none(), List.of(
                MetricsFixture.mqttToMqtt("relay", "in/{device}", "out/{device}"),
                MetricsFixture.mqttToMqtt("refusing", "json/{device}", "out/{json.site}"),
                MetricsFixture.mqttToWebhook("to-dead-webhook", "hook/{device}", dead, Optional.empty()),
                MetricsFixture.mqttToWebhook("to-dead-webhook-dlq", "dlq-hook/{device}", dead,
                        Optional.of(new RouteSink.Mqtt(Template.parse("dead/{device}"), Optional.of(QoS.AT_LEAST_ONCE),
                                false)))));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void metricsShowTheBrokerAndARouteAfterAMessageFlowed() throws Exception {
        BlockingQueue<Message> relayed = new LinkedBlockingQueue<>();
        try (var subscription = fixture.broker.subscribe("out/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE), message -> {
            relayed.add(message);
            return null;
        })) {
            fixture.broker.publish(Message.of("in/d1", "21.5", QoS.AT_LEAST_ONCE, false)).get(30, TimeUnit.SECONDS);
            assertEquals("out/d1", relayed.poll(30, TimeUnit.SECONDS).topic());
        }
        String metrics = awaitMetric("tributary_route_messages_delivered_total", "relay", 1);

        assertEquals(1, value(metrics, "tributary_route_messages_in_total", "relay"));
        assertEquals(0, value(metrics, "tributary_route_messages_failed_total", "relay"));
        assertTrue(metrics.contains("tributary_route_latency_seconds_bucket{route=\"relay\",le="), metrics);
        assertTrue(metrics.contains("tributary_route_latency_seconds_count{route=\"relay\"}"), metrics);
        // The QoS 1 publish above, and the relay's QoS 1 delivery to the subscriber.
        assertTrue(Pattern.compile("(?m)^tributary_broker_messages_received_total\\{qos=\"1\"} [1-9]")
                .matcher(metrics).find(), metrics);
        assertTrue(Pattern.compile("(?m)^tributary_broker_messages_sent_total\\{qos=\"1\"} [1-9]")
                .matcher(metrics).find(), metrics);
        for (String name : List.of("tributary_broker_connections ",
                "tributary_broker_messages_received_total{qos=\"0\"}",
                "tributary_broker_messages_received_total{qos=\"2\"}",
                "tributary_broker_messages_sent_total{qos=\"0\"}", "tributary_broker_messages_sent_total{qos=\"2\"}",
                "tributary_broker_received_bytes_total ", "tributary_broker_sent_bytes_total ",
                "tributary_broker_messages_dropped_total{reason=\"qos0\"}",
                "tributary_broker_messages_dropped_total{reason=\"queue_full\"}",
                "tributary_broker_messages_dropped_total{reason=\"too_large\"}",
                "tributary_broker_messages_dropped_total{reason=\"not_authorized\"}",
                "tributary_broker_messages_expired_total ", "tributary_broker_messages_inflight ",
                "tributary_broker_messages_queued ", "tributary_broker_subscribers_stuck_total ",
                "tributary_broker_queue_budget_full_total ", "tributary_broker_messages_queued_memory_bytes ",
                "tributary_broker_connects_refused_total{reason=\"bad_credentials\"}",
                "tributary_broker_connects_refused_total{reason=\"unavailable\"}", "jvm_memory_used_bytes")) {
            assertTrue(metrics.contains(name), name + " missing in\n" + metrics);
        }
        // Neither the API's own request routes nor the dead-letter routes have meters of their own.
        assertTrue(!metrics.contains("route=\"tributary-api-"), metrics);
        assertTrue(!metrics.contains("-dead-letter\""), metrics);
    }

    @Test
    void brokerMessagesAreCountedInByPublishedQosAndOutByDeliveredQos() throws Exception {
        // No route takes qos-check/#, so the counts move only by what this test does.
        String before = fixture.get("/metrics").body();
        try (var subscription = fixture.broker.subscribe("qos-check/#", SubscribeOptions.of(QoS.AT_LEAST_ONCE),
                message -> null)) {
            for (QoS qos : QoS.values()) {
                for (int i = 0; i <= qos.value(); i++) { // 1 at QoS 0, 2 at QoS 1, 3 at QoS 2
                    fixture.broker.publish(Message.of("qos-check/" + qos.value(), "x", qos, false))
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
        String after = fixture.get("/metrics").body();

        String received = "tributary_broker_messages_received_total";
        String sent = "tributary_broker_messages_sent_total";
        assertEquals(1, qosValue(after, received, 0) - qosValue(before, received, 0), after);
        assertEquals(2, qosValue(after, received, 1) - qosValue(before, received, 1), after);
        assertEquals(3, qosValue(after, received, 2) - qosValue(before, received, 2), after);
        // Delivered at the subscription's QoS 1 at most: the QoS 2 messages count as QoS 1.
        assertEquals(1, qosValue(after, sent, 0) - qosValue(before, sent, 0), after);
        assertEquals(5, qosValue(after, sent, 1) - qosValue(before, sent, 1), after);
        assertEquals(0, qosValue(after, sent, 2) - qosValue(before, sent, 2), after);
        // Labeled only: no series without a qos label beside them.
        assertTrue(!Pattern.compile("(?m)^tributary_broker_messages_(received|sent)_total ").matcher(after).find(),
                after);
    }

    @Test
    void aFailingRouteCountsRetriesFailuresAndDeadLetters() throws Exception {
        fixture.broker.publish(Message.of("hook/d2", "x", QoS.AT_LEAST_ONCE, false));
        fixture.broker.publish(Message.of("dlq-hook/d3", "y", QoS.AT_LEAST_ONCE, false));

        String metrics = awaitMetric("tributary_route_messages_failed_total", "to-dead-webhook", 1);
        metrics = awaitMetric("tributary_route_messages_dead_lettered_total", "to-dead-webhook-dlq", 1);

        // Three attempts: two redeliveries.
        assertEquals(2, value(metrics, "tributary_route_messages_retried_total", "to-dead-webhook"));
        assertEquals(0, value(metrics, "tributary_route_messages_delivered_total", "to-dead-webhook"));
        assertEquals(0, value(metrics, "tributary_route_messages_dead_lettered_total", "to-dead-webhook"));
        assertEquals(2, value(metrics, "tributary_route_messages_retried_total", "to-dead-webhook-dlq"));
        assertEquals(1, value(metrics, "tributary_route_messages_failed_total", "to-dead-webhook-dlq"));
        assertEquals(0, value(metrics, "tributary_route_messages_delivered_total", "to-dead-webhook-dlq"));
    }

    @Test
    void aPayloadARouteCanNeverDeliverIsCountedAsDeadLetteredWithoutRetries() throws Exception {
        fixture.broker.publish(Message.of("json/d4", "not JSON", QoS.AT_LEAST_ONCE, false));

        String metrics = awaitMetric("tributary_route_messages_dead_lettered_total", "refusing", 1);
        assertEquals(1, value(metrics, "tributary_route_messages_failed_total", "refusing"));
        assertEquals(0, value(metrics, "tributary_route_messages_retried_total", "refusing"));
        assertEquals(0, value(metrics, "tributary_route_messages_delivered_total", "refusing"));
    }

    @Test
    void metricsNeedNoTokenAndAreTheTextFormat() throws Exception {
        HttpResponse<String> response = fixture.get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("# TYPE tributary_route_messages_in_total counter"), response.body());
    }

    @Test
    void liveAndReadyWithEverythingUp() throws Exception {
        HttpResponse<String> live = fixture.get("/health/live");
        assertEquals(200, live.statusCode());
        assertEquals("{\"status\":\"up\"}", live.body());

        HttpResponse<String> ready = fixture.get("/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().startsWith("{\"status\":\"up\",\"checks\":{\"broker\":\"up\",\"routes\":\"up\""),
                ready.body());
    }

    private static String awaitMetric(String name, String route, double expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String metrics;
        do {
            HttpResponse<String> response = fixture.get("/metrics");
            assertEquals(200, response.statusCode());
            metrics = response.body();
            if (value(metrics, name, route) >= expected) {
                return metrics;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(name + "{route=\"" + route + "\"} did not reach " + expected + " in\n" + metrics);
    }

    private static double qosValue(String metrics, String name, int qos) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + "{qos=\"" + qos + "\"}") + " (\\S+)$")
                .matcher(metrics);
        assertTrue(matcher.find(), name + "{qos=\"" + qos + "\"} missing in\n" + metrics);
        return Double.parseDouble(matcher.group(1));
    }

    private static double value(String metrics, String name, String route) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + "{route=\"" + route + "\"}") + " (\\S+)$")
                .matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }
}
