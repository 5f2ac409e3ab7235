package io.tributary.broker;

/** The three MQTT delivery guarantees, with their wire values. */
public enum QoS {
    AT_MOST_ONCE(0),
    AT_LEAST_ONCE(1),
    EXACTLY_ONCE(2);

    private final int value;

    QoS(int value) {
        this.value = value;
    }

    /** The value carried in MQTT packets. */
    public int value() {
        return value;
    }

    /** Returns the QoS for a wire value. @throws IllegalArgumentException for anything but 0, 1 or 2 */
    public static QoS of(int value) {
        return switch (value) {
            case 0 -> AT_MOST_ONCE;
            case 1 -> AT_LEAST_ONCE;
            case 2 -> EXACTLY_ONCE;
            default -> throw new IllegalArgumentException("QoS must be 0, 1 or 2, was " + value);
        };
    }

    /** The lower of two QoS levels: what a delivery gets when publish and subscription disagree. */
    public static QoS min(QoS a, QoS b) {
        return a.value <= b.value ? a : b;
    }

    /** The higher of two QoS levels: overlapping subscriptions deliver at the highest. */
    public static QoS max(QoS a, QoS b) {
        return a.value >= b.value ? a : b;
    }
}
