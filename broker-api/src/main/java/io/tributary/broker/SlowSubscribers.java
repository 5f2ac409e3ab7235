package io.tributary.broker;

import java.time.Duration;

/**
 * What the broker does when an online subscriber's queue is full (by {@code maxQueuedMessages} or
 * {@code maxQueuedBytes}): its publishers wait, and a subscriber that takes nothing for too long stops holding
 * them.
 *
 * @param qos0 whether publishers of QoS 0 messages wait too ({@link Qos0WhenFull#PAUSE}: the broker reads them
 *     only as fast as their subscribers take messages) or their messages are dropped for that subscriber
 *     ({@link Qos0WhenFull#DROP}); publishers of QoS 1/2 messages always wait
 * @param stuckTimeout how long a full queue may go without the client taking a message before the broker stops
 *     holding publishers for it: a clean session is disconnected (MQTT 5: DISCONNECT 0x97), a persistent one drops
 *     by {@code queueFullPolicy} until its queue is half empty again; zero: never
 */
public record SlowSubscribers(Qos0WhenFull qos0, Duration stuckTimeout) {

    /** QoS 0 publishers wait, and a subscriber stuck for 30 s stops holding anyone. */
    public static final SlowSubscribers DEFAULTS = new SlowSubscribers(Qos0WhenFull.PAUSE, Duration.ofSeconds(30));

    public SlowSubscribers {
        if (qos0 == null) {
            throw new IllegalArgumentException("qos0 must be set");
        }
        if (stuckTimeout == null || stuckTimeout.isNegative()) {
            throw new IllegalArgumentException("stuckTimeout must be zero (never) or positive, was " + stuckTimeout);
        }
    }

    /** What becomes of a QoS 0 message for an online subscriber whose queue is full. */
    public enum Qos0WhenFull {
        /** Queued, and its publisher paused until the queue is half empty: nothing is dropped. */
        PAUSE,
        /** Dropped for that subscriber and counted; its publisher goes on. */
        DROP
    }
}
