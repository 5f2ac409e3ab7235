package io.tributary.bench.load;

import java.util.List;
import java.util.Locale;

/**
 * One traffic shape: how many publishers and subscribers, at which QoS and how fast. Publisher {@code i} publishes
 * to {@code bench/i}; every subscriber subscribes to {@code bench/#}, so each message is expected once per subscriber.
 *
 * @param qos 0 or 1, used for the publishes and the subscriptions alike
 * @param ratePerPublisher publishes per second per publisher, or 0 for as fast as the in-flight window allows
 */
public record Scenario(String name, int publishers, int subscribers, int qos, int ratePerPublisher) {

    public static final String TOPIC_PREFIX = "bench/";
    public static final String FILTER = "bench/#";

    public static final Scenario FAN_IN_QOS0 = new Scenario("fan-in-qos0", 4, 1, 0, 0);
    public static final Scenario FAN_IN_QOS1 = new Scenario("fan-in-qos1", 4, 1, 1, 0);
    public static final Scenario FAN_OUT_QOS0 = new Scenario("fan-out-qos0", 1, 10, 0, 0);
    public static final Scenario FAN_OUT_QOS1 = new Scenario("fan-out-qos1", 1, 10, 1, 0);
    /** QoS 0 at a load every broker here sustains (20,000 msg/s in), for latency and CPU at equal work. */
    public static final Scenario FAN_IN_QOS0_PACED = new Scenario("fan-in-qos0-paced", 4, 1, 0, 5_000);
    /** QoS 0 at a load every broker here sustains (50,000 deliveries/s out), for latency and CPU at equal work. */
    public static final Scenario FAN_OUT_QOS0_PACED = new Scenario("fan-out-qos0-paced", 1, 10, 0, 5_000);

    /** The four shapes at full speed: what a quick run covers. */
    public static final List<Scenario> MAIN = List.of(FAN_IN_QOS0, FAN_IN_QOS1, FAN_OUT_QOS0, FAN_OUT_QOS1);

    public static final List<Scenario> ALL = List.of(FAN_IN_QOS0, FAN_IN_QOS1, FAN_OUT_QOS0, FAN_OUT_QOS1,
            FAN_IN_QOS0_PACED, FAN_OUT_QOS0_PACED);

    public Scenario {
        if (publishers < 1 || subscribers < 1) {
            throw new IllegalArgumentException("a scenario needs at least one publisher and one subscriber");
        }
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos must be 0 or 1, was " + qos);
        }
        if (ratePerPublisher < 0) {
            throw new IllegalArgumentException("ratePerPublisher must not be negative");
        }
    }

    /** One line saying what the scenario does, for reports. */
    public String description() {
        return String.format(Locale.ROOT, "%d publisher%s → %d subscriber%s on %s, QoS %d, %s", publishers,
                publishers == 1 ? "" : "s", subscribers, subscribers == 1 ? "" : "s", FILTER, qos,
                ratePerPublisher == 0 ? "as fast as accepted"
                        : String.format(Locale.ROOT, "paced at %,d msg/s per publisher", ratePerPublisher));
    }

    /**
     * Publishes per second per publisher in a run with {@code settings}: the scenario's own pace, else for QoS 0 the
     * settings' rate for unpaced QoS 0 scenarios, else 0 for as fast as the in-flight window allows.
     */
    public int ratePerPublisher(LoadSettings settings) {
        return ratePerPublisher > 0 ? ratePerPublisher : qos == 0 ? settings.qos0RatePerPublisher() : 0;
    }

    public String topicOf(int publisher) {
        return TOPIC_PREFIX + publisher;
    }
}
