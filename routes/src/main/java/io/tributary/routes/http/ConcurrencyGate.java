package io.tributary.routes.http;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Lets at most {@code limit} requests of a route be in flight. A request past the limit waits in a bounded
 * queue as a task to start, not as a waiting thread: when a request ends, the next waiting one is started
 * on the executor. Nothing here ever blocks.
 */
final class ConcurrencyGate {

    /** What a waiting request does when it may start, or when it never will. */
    interface Start {
        void run();

        /** It will never start (the queue was full or the executor refused it). */
        void refused(String reason);
    }

    private final int limit;
    private final int maxWaiting;
    private final Executor executor;
    private final Queue<Start> waiting = new ArrayDeque<>();
    private int inFlight;

    ConcurrencyGate(int limit, int maxWaiting, Executor executor) {
        if (limit < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("limit " + limit + ", maxWaiting " + maxWaiting);
        }
        this.limit = limit;
        this.maxWaiting = maxWaiting;
        this.executor = executor;
    }

    /**
     * Runs {@code start} now on this thread if a slot is free, or later on the executor once one is; refuses
     * it when {@code maxWaiting} already wait. Whoever started must call {@link #leave()} exactly once.
     */
    void enter(Start start) {
        String refused = null;
        boolean now = false;
        synchronized (this) {
            if (inFlight < limit) {
                inFlight++;
                now = true;
            } else if (waiting.size() < maxWaiting) {
                waiting.add(start);
            } else {
                refused = maxWaiting + " requests already wait for one of the " + limit + " in flight";
            }
        }
        if (now) {
            start.run();
        } else if (refused != null) {
            start.refused(refused);
        }
    }

    /** A started request ended: its slot goes to the next waiting one, if any. */
    void leave() {
        while (true) {
            Start next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    inFlight--;
                    return;
                }
            }
            // The slot passes to next as is. Started on the executor, so that a chain of requests failing at
            // once does not recurse on one stack.
            try {
                executor.execute(next::run);
                return;
            } catch (RejectedExecutionException e) {
                next.refused("the webhook client is closed");
            }
        }
    }

    /** Requests in flight now; for tests and metrics. */
    synchronized int inFlight() {
        return inFlight;
    }

    /** Requests waiting for a slot now; for tests and metrics. */
    synchronized int waiting() {
        return waiting.size();
    }
}
