package io.tributary.broker.session;

import io.tributary.broker.delivery.PublisherLink;
import java.util.concurrent.atomic.AtomicInteger;

/** A publisher link for session tests that counts the pause() and resume() calls it gets. */
final class CountingPublisher implements PublisherLink {
    final AtomicInteger pauses = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();

    @Override
    public void pause() {
        pauses.incrementAndGet();
    }

    @Override
    public void resume() {
        resumes.incrementAndGet();
    }
}
