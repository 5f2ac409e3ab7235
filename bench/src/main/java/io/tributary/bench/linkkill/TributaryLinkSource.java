package io.tributary.bench.linkkill;

import io.tributary.bench.server.RunningBroker;
import io.tributary.bench.server.TributaryApp;
import io.tributary.testsupport.http.WebhookServer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Tributary from its jar with one route over its MQTT link (the HiveMQ MQTT client 1.3.10, MQTT 5, its defaults:
 * session-expiry 1d, reconnect 100 ms to 2 s): {@code from: { mqtt: { connection: local, topic, qos: 1 } }} to a
 * webhook served here that records each message; the link acknowledges Mosquitto after the webhook's 2xx.
 */
final class TributaryLinkSource implements KillCycleSource {

    private final Path appJar;
    private final Path workDir;
    private WebhookServer sink;
    private RunningBroker tributary;

    TributaryLinkSource(Path appJar, Path workDir) {
        this.appJar = appJar;
        this.workDir = workDir;
    }

    @Override
    public String id() {
        return "tributary";
    }

    @Override
    public String describe() {
        return "`tributary run --config` (" + appJar.getFileName() + ") with `connections.mqtt.local: { url: "
                + "tcp://127.0.0.1:PORT, client-id: kill-cycles-tributary }` (MQTT 5, session-expiry 1d, the rest "
                + "default) and the route `from: { mqtt: { connection: local, topic: FILTER, qos: 1 } }` → "
                + "`to: { http: { url: http://127.0.0.1:WEBHOOK/sink } }`, a webhook in the driver that records the "
                + "message and answers 200";
    }

    static String config(int port, int mosquittoPort, String filter, String webhookUrl) {
        return "# Written by BenchMain link-kills for one run.\n" + TributaryApp.brokerSection(port) + """
                connections:
                  mqtt:
                    local: { url: "tcp://127.0.0.1:%d", client-id: kill-cycles-tributary }
                routes:
                  - name: kill-cycles
                    from: { mqtt: { connection: local, topic: "%s", qos: 1 } }
                    to:   { http: { url: "%s" } }
                """.formatted(mosquittoPort, filter, webhookUrl);
    }

    @Override
    public void start(int port, String filter, Deliveries deliveries) throws Exception {
        sink = WebhookServer.builder().recording(false).start();
        sink.script("/sink", (request, index) -> {
            deliveries.record(request.body());
            return WebhookServer.Answer.status(200);
        });
        String url = sink.url("/sink");
        TributaryApp launcher = new TributaryApp(appJar, "tributary", "Tributary", describe(),
                ownPort -> config(ownPort, port, filter, url));
        tributary = RunningBroker.start(launcher, workDir.resolve("tributary"), null, Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        if (tributary != null) {
            tributary.close();
        }
        if (sink != null) {
            sink.close();
        }
    }
}
