package io.tributary.bench.linkkill;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The Camel route a user would write with camel-paho 4.17.0 (Paho mqttv3 1.2.5, MQTT 3.1.1): manual
 * acknowledgements, automatic reconnect with at most 2 s between attempts, a persistent session; the processor
 * records the message, and the PUBACK goes out when the exchange completes.
 */
final class CamelPahoSource implements KillCycleSource {

    private static final String CLIENT_ID = "kill-cycles-camel-paho";
    private DefaultCamelContext camel;
    private String endpoint = "paho:FILTER?brokerUrl=tcp://127.0.0.1:PORT&" + options();

    private static String options() {
        return "qos=1&clientId=" + CLIENT_ID + "&manualAcksEnabled=true&automaticReconnect=true"
                + "&maxReconnectDelay=2000&cleanSession=false";
    }

    @Override
    public String id() {
        return "paho";
    }

    @Override
    public String describe() {
        return "camel-paho 4.17.0 (Paho mqttv3 1.2.5, MQTT 3.1.1) in a DefaultCamelContext: `from(\"" + endpoint
                + "\").process(record)`";
    }

    @Override
    public void start(int port, String filter, Deliveries deliveries) throws Exception {
        endpoint = "paho:" + filter + "?brokerUrl=tcp://127.0.0.1:" + port + "&" + options();
        camel = new DefaultCamelContext();
        String uri = endpoint;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("kill-cycles-paho").process(exchange -> {
                    Object body = exchange.getMessage().getBody();
                    deliveries.record(body instanceof byte[] bytes ? bytes
                            : String.valueOf(body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                });
            }
        });
        camel.start();
    }

    @Override
    public void close() {
        if (camel != null) {
            Thread stopper = new Thread(camel::stop, "camel-paho-stop");
            stopper.setDaemon(true);
            stopper.start();
            try {
                stopper.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
