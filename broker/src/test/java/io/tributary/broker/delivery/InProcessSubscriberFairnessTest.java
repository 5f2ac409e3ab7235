package io.tributary.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.SubscribeOptions;
import io.tributary.broker.stats.BrokerCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InProcessSubscriberFairnessTest {

    /** Counts what the subscriber asks of a publisher. */
    private static final class CountingPublisher implements PublisherLink {
        int pauses;
        int resumes;

        @Override
        public void pause() {
            pauses++;
        }

        @Override
        public void resume() {
            resumes++;
        }
    }

    private final List<CompletableFuture<Void>> open = new ArrayList<>();
    private final InProcessSubscriber subscriber = new InProcessSubscriber("route", message -> {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        open.add(stage);
        return stage;
    }, SubscribeOptions.of(QoS.AT_LEAST_ONCE).withMaxInFlight(4), new BrokerCounters());

    @Test
    void aPublisherPausedAtTheLimitResumesAsSoonAsTheWindowHasRoomWhileOthersKeepItBusy() {
        CountingPublisher busy = new CountingPublisher();
        CountingPublisher late = new CountingPublisher();
        for (int i = 0; i < 4; i++) {
            offer(busy);
        }
        offer(late);
        assertEquals(1, late.pauses, "the fifth message is over the window of four");

        open.get(0).complete(null);
        assertEquals(0, late.resumes, "four still in flight: no room yet");
        open.get(1).complete(null);
        assertEquals(1, late.resumes, "three in flight: room for the paused publisher, though the window is not half empty");

        offer(busy);
        open.get(2).complete(null);
        assertEquals(late.pauses, late.resumes);
        assertEquals(busy.pauses, busy.resumes);
    }

    @Test
    void everyPauseIsResumedOnceTheWindowDrains() {
        CountingPublisher publisher = new CountingPublisher();
        for (int i = 0; i < 7; i++) {
            offer(publisher);
        }
        assertEquals(3, publisher.pauses);
        new ArrayList<>(open).forEach(stage -> stage.complete(null));
        assertEquals(3, publisher.resumes);
    }

    private void offer(PublisherLink publisher) {
        subscriber.offer(new OutboundMessage(Message.of("t", "x", QoS.AT_LEAST_ONCE, false), QoS.AT_LEAST_ONCE,
                false, new int[0]), publisher);
    }
}
