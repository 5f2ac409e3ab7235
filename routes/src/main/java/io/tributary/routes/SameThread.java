package io.tributary.routes;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs each task at once on the calling thread: for camel-kafka's producer worker pool, so that a
 * record's exchange finishes on the Kafka producer's I/O thread, without a switch to another thread. Nothing to shut
 * down: it owns no thread.
 */
final class SameThread extends AbstractExecutorService {

    static final SameThread INSTANCE = new SameThread();

    private SameThread() {
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void shutdown() {
        // owns no thread
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
