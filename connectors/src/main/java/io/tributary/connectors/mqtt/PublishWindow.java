package io.tributary.connectors.mqtt;

import java.util.ArrayDeque;

/**
 * Bounds a link's publishes waiting for the broker's acknowledgement: past {@code limit} a publish waits here for a
 * place, and past {@code maxWaiting} waiting it is refused, so that no sink, however many routes and devices feed
 * it, grows the client's queue without end. Nothing blocks: a waiting publish is sent by the thread that frees a
 * place.
 */
final class PublishWindow {

    private final int limit;
    private final int maxWaiting;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    /** The places freed on this thread while it sends a waiting publish: a publish may fail at once and free one. */
    private final ThreadLocal<ArrayDeque<Runnable>> sending = new ThreadLocal<>();
    private int inFlight;

    PublishWindow(int limit, int maxWaiting) {
        this.limit = limit;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Runs {@code send} now if a place is free, else once one is; {@code send} must lead to one {@link #release()}.
     *
     * @return false, and {@code send} never runs, when {@code maxWaiting} publishes wait already
     */
    boolean submit(Runnable send) {
        synchronized (this) {
            if (inFlight >= limit) {
                if (waiting.size() >= maxWaiting) {
                    return false;
                }
                waiting.add(send);
                return true;
            }
            inFlight++;
        }
        send.run();
        return true;
    }

    /** A publish is done: its place goes to the first one waiting, sent in a loop rather than a recursion. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        ArrayDeque<Runnable> queued = sending.get();
        if (queued != null) {
            queued.add(next);
            return;
        }
        queued = new ArrayDeque<>();
        sending.set(queued);
        try {
            for (Runnable send = next; send != null; send = queued.poll()) {
                send.run();
            }
        } finally {
            sending.remove();
        }
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
