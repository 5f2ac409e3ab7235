package io.tributary.connectors.mqtt;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Decides, once a second, whether a link's client needs a push: the HiveMQ client was seen to reconnect after a broker
 * restart and then publish no more (hivemq-mqtt-client #350), and a client that stopped trying to reconnect would
 * leave the link down for good. Only decides; {@link HiveMqLink} acts. Times are {@link System#nanoTime()} values,
 * given by the caller, so that the rules are tested without waiting.
 *
 * <ul>
 *   <li><b>Recycle</b> (disconnect keeping the session, then reconnect) when the link is up and its oldest publish
 *       has waited longer than {@code publishTimeout} since it was handed to the client or since the link came up,
 *       whichever is later: a publish that waited through an outage gets the whole timeout after the reconnect.</li>
 *   <li><b>Recycle</b> too when the client is connected but the link did not come up (no SUBACK) within
 *       {@code stallLimit}.</li>
 *   <li><b>Rebuild</b> (a new client, same identifier and session) when the client says it is not connected but no
 *       attempt ended, connected or failed, within {@code stallLimit}. The client bounds each attempt (TCP connect
 *       timeout, then CONNACK timeout) and reports every failed one, so during a long outage attempts keep ending and
 *       nothing is rebuilt; silence means its reconnect cycle stopped.</li>
 * </ul>
 * After either action the link reports a new event, so nothing is repeated before another {@code stallLimit} or
 * {@code publishTimeout} has passed.
 */
final class LinkWatchdog {

    /** What to do to the client. */
    enum Action { NONE, RECYCLE, REBUILD }

    /**
     * What the link observed.
     *
     * @param up connected and subscribed: readiness says up
     * @param upSince when the link came up last; meaningless while not up
     * @param clientConnected whether the client says it is connected; else it says it is connecting or waiting to
     *     reconnect (the link tells it to stop only when closed, and then asks no more)
     * @param lastEvent when the client last connected or reported a failed attempt, or the link last acted
     * @param oldestPublish when the oldest publish not yet acknowledged was handed to the client; empty for none
     */
    record Observed(boolean up, long upSince, boolean clientConnected, long lastEvent, OptionalLong oldestPublish) {
    }

    private final long publishTimeoutNanos;
    private final long stallLimitNanos;

    LinkWatchdog(Duration publishTimeout, Duration stallLimit) {
        this.publishTimeoutNanos = publishTimeout.toNanos();
        this.stallLimitNanos = stallLimit.toNanos();
    }

    /**
     * How long a client may be silent: two connect timeouts (the TCP connect and the CONNACK each have one) and the
     * longest wait between attempts, plus 5 s.
     */
    static Duration stallLimit(LinkSettings settings) {
        return settings.connectTimeout().multipliedBy(2).plus(settings.reconnectMaxDelay()).plusSeconds(5);
    }

    Action check(long now, Observed observed) {
        if (observed.up()) {
            if (observed.oldestPublish().isPresent()) {
                long waitingSince = Math.max(observed.oldestPublish().getAsLong(), observed.upSince());
                if (now - waitingSince > publishTimeoutNanos) {
                    return Action.RECYCLE;
                }
            }
            return Action.NONE;
        }
        if (now - observed.lastEvent() <= stallLimitNanos) {
            return Action.NONE;
        }
        return observed.clientConnected() ? Action.RECYCLE : Action.REBUILD;
    }

    /** Why {@code action} was taken, for the log. */
    String reason(Action action, long now, Observed observed) {
        return switch (action) {
            case RECYCLE -> observed.up()
                    ? "a publish has had no acknowledgement for " + seconds(now - Math.max(
                            observed.oldestPublish().orElse(now), observed.upSince())) + " s while connected"
                    : "connected but not subscribed for " + seconds(now - observed.lastEvent()) + " s";
            case REBUILD -> "reconnecting, but no attempt ended for " + seconds(now - observed.lastEvent()) + " s";
            case NONE -> "";
        };
    }

    private static long seconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds();
    }
}
