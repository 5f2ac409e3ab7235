package io.tributary.broker.delivery;

/**
 * The way back to whoever published a message, so that a subscriber that falls behind can make it wait.
 *
 * <p>Each {@code pause()} is matched by exactly one {@code resume()}; the publisher reads again when every
 * subscriber that paused it has resumed it. Both may be called from any thread.
 */
public interface PublisherLink {
    void pause();

    void resume();
}
