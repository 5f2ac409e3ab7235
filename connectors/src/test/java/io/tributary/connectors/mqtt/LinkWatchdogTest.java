package io.tributary.connectors.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LinkWatchdogTest {

    private static final long S = 1_000_000_000L;
    /** Any start: nanoTime values may be negative. */
    private static final long T0 = -7 * S;

    private final LinkWatchdog watchdog = new LinkWatchdog(Duration.ofSeconds(30), Duration.ofSeconds(17));

    @Test
    void aPublishWithoutAcknowledgementPastThePublishTimeoutWhileUpRecyclesTheLink() {
        LinkWatchdog.Observed observed = new LinkWatchdog.Observed(true, T0, true, T0, OptionalLong.of(T0 + S));
        assertEquals(LinkWatchdog.Action.NONE, watchdog.check(T0 + 31 * S, observed), "30 s after it was handed over");
        assertEquals(LinkWatchdog.Action.RECYCLE, watchdog.check(T0 + 31 * S + 1, observed));
        assertEquals("a publish has had no acknowledgement for 30 s while connected",
                watchdog.reason(LinkWatchdog.Action.RECYCLE, T0 + 31 * S + 1, observed));
    }

    @Test
    void aPublishThatWaitedThroughAnOutageHasTheWholeTimeoutAfterTheReconnect() {
        long up = T0 + 100 * S;
        LinkWatchdog.Observed observed = new LinkWatchdog.Observed(true, up, true, up, OptionalLong.of(T0));
        assertEquals(LinkWatchdog.Action.NONE, watchdog.check(up + 29 * S, observed));
        assertEquals(LinkWatchdog.Action.RECYCLE, watchdog.check(up + 31 * S, observed));
    }

    @Test
    void anUpLinkWithoutPublishesOrWithRecentOnesIsLeftAlone() {
        assertEquals(LinkWatchdog.Action.NONE, watchdog.check(T0 + 1000 * S,
                new LinkWatchdog.Observed(true, T0, true, T0, OptionalLong.empty())));
        assertEquals(LinkWatchdog.Action.NONE, watchdog.check(T0 + 1000 * S,
                new LinkWatchdog.Observed(true, T0, true, T0, OptionalLong.of(T0 + 990 * S))));
    }

    @Test
    void aLinkDownWhileAttemptsKeepEndingIsLeftAloneHoweverLongTheOutage() {
        // Each failed attempt is an event: the last one 2 s ago, the outage an hour old.
        LinkWatchdog.Observed observed = new LinkWatchdog.Observed(false, T0, false, T0 + 3598 * S,
                OptionalLong.of(T0 + S));
        assertEquals(LinkWatchdog.Action.NONE, watchdog.check(T0 + 3600 * S, observed));
    }

    @Test
    void aClientReconnectingWithoutAnyAttemptEndingPastTheStallLimitIsRebuilt() {
        LinkWatchdog.Observed observed = new LinkWatchdog.Observed(false, T0, false, T0, OptionalLong.empty());
        assertEquals(LinkWatchdog.Action.NONE, watchdog.check(T0 + 17 * S, observed));
        assertEquals(LinkWatchdog.Action.REBUILD, watchdog.check(T0 + 18 * S, observed));
        assertEquals("reconnecting, but no attempt ended for 18 s",
                watchdog.reason(LinkWatchdog.Action.REBUILD, T0 + 18 * S, observed));
    }

    @Test
    void aClientConnectedButNeverSubscribedPastTheStallLimitIsRecycled() {
        LinkWatchdog.Observed observed = new LinkWatchdog.Observed(false, T0, true, T0, OptionalLong.empty());
        assertEquals(LinkWatchdog.Action.NONE, watchdog.check(T0 + 17 * S, observed));
        assertEquals(LinkWatchdog.Action.RECYCLE, watchdog.check(T0 + 18 * S, observed));
        assertEquals("connected but not subscribed for 18 s",
                watchdog.reason(LinkWatchdog.Action.RECYCLE, T0 + 18 * S, observed));
    }

    @Test
    void theStallLimitCoversBothConnectTimeoutsAndTheLongestBackoff() {
        LinkSettings settings = new LinkSettings("plant", "127.0.0.1", 1883, "id", Optional.empty(),
                Optional.empty(), Duration.ofHours(1), Duration.ofSeconds(30), 100, Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ofSeconds(30), 8, Optional.empty(), LinkSettings.Version.MQTT_5);
        assertEquals(Duration.ofSeconds(27), LinkWatchdog.stallLimit(settings));
    }
}
