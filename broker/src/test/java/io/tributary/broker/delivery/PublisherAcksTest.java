package io.tributary.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.PayloadRefusedException;
import io.tributary.broker.PublishRejectedException;
import io.tributary.broker.stats.BrokerCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * {@link PublisherAcks} without a socket: acknowledgements go out in the order the publishes came, only once
 * what holds them completed, never while the publisher is paused.
 */
class PublisherAcksTest {

    /** Records what would go on the wire; runs handed-back completions at once. */
    private static final class RecordingChannel implements PublisherAcks.AckChannel {
        final List<String> written = new ArrayList<>();
        final List<String> decided = new ArrayList<>();
        int readingLimit;
        boolean reading = true;
        boolean negativeAcksClose;
        boolean readingForSubscribers = true;
        int flushes;

        @Override
        public Executor eventLoop() {
            return Runnable::run;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void decided(int packetId, int qos, byte reasonCode) {
            decided.add(packetId + ":" + (reasonCode & 0xFF));
        }

        @Override
        public boolean write(int packetId, int qos, byte reasonCode) {
            if (negativeAcksClose && PublisherAcks.isFailure(reasonCode)) {
                return false;
            }
            written.add((qos == 1 ? "PUBACK " : "PUBREC ") + packetId + ":" + (reasonCode & 0xFF));
            return true;
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public boolean hasNegativeAcknowledgements() {
            return !negativeAcksClose;
        }

        @Override
        public void pauseReadingForSubscribers(boolean paused) {
            readingForSubscribers = !paused;
        }

        @Override
        public int readingLimit() {
            return readingLimit;
        }

        @Override
        public void setReading(boolean read) {
            reading = read;
        }
    }

    private final RecordingChannel channel = new RecordingChannel();
    private final BrokerCounters counters = new BrokerCounters();
    private final PublisherAcks acks = new PublisherAcks(channel, counters);

    @Test
    void anAcknowledgementNothingHoldsGoesOutAtOnce() {
        acks.await(1, 1, null);
        assertEquals(List.of("PUBACK 1:0"), channel.written);
    }

    @Test
    void aLaterAcknowledgementWaitsForAnEarlierOneThatIsHeld() {
        CompletableFuture<Void> sink = new CompletableFuture<>();
        acks.await(1, 1, sink);
        acks.await(2, 2, null);
        assertEquals(List.of(), channel.written, "2 is decided but 1 is not: order first [MQTT-4.6.0-2, MQTT-4.6.0-3]");
        assertEquals(List.of("2:0"), channel.decided);
        sink.complete(null);
        assertEquals(List.of("PUBACK 1:0", "PUBREC 2:0"), channel.written);
        assertEquals(1, channel.flushes, "a completion from elsewhere flushes what it wrote");
    }

    @Test
    void aRejectingSinkGivesItsReasonCodeAndAnyOtherFailureUnspecifiedError() {
        acks.await(1, 1, CompletableFuture.failedFuture(new PublishRejectedException(0x97, "quota")));
        acks.await(2, 1, CompletableFuture.failedFuture(new IllegalStateException("sink down")));
        assertEquals(List.of("PUBACK 1:151", "PUBACK 2:128"), channel.written);
    }

    @Test
    void aPausedPublisherGetsNoAcknowledgementUntilEveryPauseIsResumed() {
        acks.pause();
        acks.pause();
        acks.await(1, 1, null);
        assertEquals(1, counters.publishersPaused.sum(), "one paused publisher, however many pauses");
        acks.resume();
        assertEquals(List.of(), channel.written);
        acks.resume();
        assertEquals(List.of("PUBACK 1:0"), channel.written);
        assertEquals(0, counters.publishersPaused.sum());
    }

    @Test
    void anAcknowledgementDecidedAlreadyStillQueuesBehindEarlierOnes() {
        CompletableFuture<Void> sink = new CompletableFuture<>();
        acks.await(1, 1, sink);
        acks.acknowledge(2, 2, (byte) 0);
        assertEquals(List.of(), channel.written);
        assertEquals(List.of(), channel.decided, "only a hold that completes is reported as decided");
        sink.complete(null);
        assertEquals(List.of("PUBACK 1:0", "PUBREC 2:0"), channel.written);
    }

    @Test
    void aChannelThatClosesOnANegativeAcknowledgementStopsTheFlush() {
        channel.negativeAcksClose = true;
        CompletableFuture<Void> sink = new CompletableFuture<>();
        acks.await(1, 1, sink);
        acks.await(2, 1, null);
        sink.completeExceptionally(new IllegalStateException("sink down"));
        assertEquals(List.of(), channel.written, "nothing after the acknowledgement that closed the connection");
    }

    @Test
    void qos0PublishWhilePausedStopsReadingUntilResumed() {
        acks.stopReadingWhilePaused();
        assertTrue(channel.readingForSubscribers, "not paused: reading goes on");
        acks.pause();
        acks.stopReadingWhilePaused();
        assertFalse(channel.readingForSubscribers, "a QoS 0 message while paused stops reading");
        acks.pause();
        acks.resume();
        assertFalse(channel.readingForSubscribers, "another subscriber still holds the publisher");
        acks.resume();
        assertTrue(channel.readingForSubscribers, "read again once no subscriber holds it");
    }

    @Test
    void aRefusedPayloadIsAcknowledgedWith0x99OrPlainlyWithoutNegativeAcknowledgements() {
        CompletableFuture<Void> mqtt5 = new CompletableFuture<>();
        acks.await(1, 1, mqtt5);
        mqtt5.completeExceptionally(new PayloadRefusedException("not JSON"));
        assertEquals(List.of("PUBACK 1:153"), channel.written);

        channel.negativeAcksClose = true;
        CompletableFuture<Void> mqtt311 = new CompletableFuture<>();
        acks.await(2, 2, mqtt311);
        mqtt311.completeExceptionally(new java.util.concurrent.CompletionException(new PayloadRefusedException("x")));
        assertEquals(List.of("PUBACK 1:153", "PUBREC 2:0"), channel.written,
                "MQTT 3.1.1: acknowledged, not disconnected: resending the payload cannot help");
        assertEquals("2:0", channel.decided.get(1), "a QoS 2 refusal is accepted, so a resend is not routed again");
    }

    @Test
    void readingStopsAtTheLimitOfHeldAcknowledgementsAndResumesAtHalf() {
        channel.readingLimit = 4;
        List<CompletableFuture<Void>> sinks = new ArrayList<>();
        for (int id = 1; id <= 4; id++) {
            CompletableFuture<Void> sink = new CompletableFuture<>();
            sinks.add(sink);
            acks.await(id, 1, sink);
        }
        assertEquals(false, channel.reading);
        sinks.get(0).complete(null);
        assertEquals(false, channel.reading, "three still held: above half");
        sinks.get(1).complete(null);
        assertEquals(true, channel.reading);
    }

    @Test
    void qos1PublishesAreCountedUntilAcknowledged() {
        CompletableFuture<Void> sink = new CompletableFuture<>();
        acks.await(1, 1, sink);
        acks.await(2, 2, null);
        acks.await(3, 1, null);
        assertEquals(2, acks.unacknowledgedQos1());
        sink.complete(null);
        assertEquals(0, acks.unacknowledgedQos1());
    }
}
