package io.tributary.cluster.log;

import io.tributary.broker.delivery.PublisherLink;

/**
 * The log reader as a publisher that sessions may pause: a session whose queue is full pauses it, and the reader
 * hands nothing more until every session that paused it resumed it. Memory stays bounded by the sessions' queues.
 *
 * <p>Concurrency: paused and resumed from any thread; the reader waits on this object's monitor.
 */
final class ReaderPause implements PublisherLink {
    private int pauses;

    @Override
    public synchronized void pause() {
        pauses++;
    }

    @Override
    public synchronized void resume() {
        pauses--;
        if (pauses == 0) {
            notifyAll();
        }
    }

    synchronized boolean paused() {
        return pauses > 0;
    }

    /** Waits up to {@code millis} for a resume or a {@link #wake()}; at once if not paused. */
    synchronized void awaitResume(long millis) throws InterruptedException {
        if (pauses > 0) {
            wait(millis);
        }
    }

    /** Waits up to {@code millis}, or until a {@link #wake()}: for deliveries to complete. */
    synchronized void awaitWake(long millis) throws InterruptedException {
        wait(millis);
    }

    /** Wakes a waiting reader, such as when the node stops. */
    synchronized void wake() {
        notifyAll();
    }
}
