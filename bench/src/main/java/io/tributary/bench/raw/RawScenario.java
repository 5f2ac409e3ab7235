package io.tributary.bench.raw;

import java.util.List;

/** The raw-socket driver's scenarios, by the names the command line takes. */
public enum RawScenario {
    FLOOD_QOS0("fan-in-qos0-flood", "fan-in QoS 0 flood, publishers → 1 subscriber, as fast as the sockets take it"),
    FAN_IN_QOS1("fan-in-qos1", "fan-in QoS 1, publishers → 1 subscriber, a window of messages in flight each"),
    LATENCY_QOS0("latency-qos0", "paced latency, QoS 0, 1 publisher → 1 subscriber"),
    LATENCY_QOS1("latency-qos1", "paced latency, QoS 1, 1 publisher → 1 subscriber"),
    CONNECT_RATE("connect-rate", "connection rate: CONNECT + CONNACK, a cold round then warm rounds"),
    IDLE("idle-connections", "idle connections: the broker's memory with many clients connected and silent");

    public static final List<RawScenario> ALL = List.of(values());

    private final String id;
    private final String title;

    RawScenario(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    int qos() {
        return this == FAN_IN_QOS1 || this == LATENCY_QOS1 ? 1 : 0;
    }
}
