package io.tributary.hivemq;

/** The {@code tributary.yaml} routes that several tests run inside HiveMQ, written once. Stateless. */
final class RouteYaml {

    private RouteYaml() {
    }

    /** Devices' {@code sites/{site}/t} publishes into {@code topic}, keyed by the site. */
    static String telemetryToKafka(String bootstrapServers, String topic) {
        return """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: telemetry
                    from: { mqtt: "sites/{site}/t" }
                    to: { kafka: { connection: main, topic: "%s", key: "{site}" } }
                """.formatted(bootstrapServers, topic);
    }

    /**
     * Records of {@code topic}, read in consumer group {@code group}, to {@code devices/{key}/commands} at QoS 1;
     * more routes may follow, indented as list items of {@code routes}.
     */
    static String commandsFromKafka(String bootstrapServers, String topic, String group) {
        return """
                connections:
                  kafka:
                    main: { bootstrap-servers: "%s" }
                routes:
                  - name: commands
                    from: { kafka: { connection: main, topic: "%s", group: "%s" } }
                    to: { mqtt: { topic: "devices/{key}/commands", qos: 1 } }
                """.formatted(bootstrapServers, topic, group);
    }
}
