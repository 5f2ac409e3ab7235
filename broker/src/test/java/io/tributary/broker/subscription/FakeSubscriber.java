package io.tributary.broker.subscription;

import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Subscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A {@link Subscriber} that records what it is offered; no sockets, no threads. */
final class FakeSubscriber implements Subscriber {
    private final String clientId;
    final List<OutboundMessage> offered = new ArrayList<>();
    boolean ready = true;
    CompletionStage<Void> hold;
    /** Runs in each offer, before it answers: what happens meanwhile elsewhere. */
    Runnable onOffer = () -> { };

    FakeSubscriber(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public CompletionStage<Void> offer(OutboundMessage message, PublisherLink publisher) {
        offered.add(message);
        onOffer.run();
        return hold;
    }

    @Override
    public boolean isReadyForShared() {
        return ready;
    }

    @Override
    public String toString() {
        return clientId;
    }
}
