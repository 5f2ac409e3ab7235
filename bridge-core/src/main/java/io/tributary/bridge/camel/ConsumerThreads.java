package io.tributary.bridge.camel;

import java.util.concurrent.ExecutorService;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The threads on which a consumer fed by a broker's I/O thread starts its exchanges, for the built-in broker and for
 * an external one alike.
 */
public final class ConsumerThreads {

    private ConsumerThreads() {
    }

    /**
     * One thread that runs what it is handed in order, owned by {@code consumer} (Camel shuts it down with it). Its
     * queue is bounded by the source's flow control, not here. Abort, not Camel's default CallerRuns: that one
     * silently drops a task handed to a pool that is shutting down, and the message's stage, with its
     * acknowledgement, would then never complete.
     */
    public static ExecutorService ordered(DefaultConsumer consumer, String name) {
        return consumer.getEndpoint().getCamelContext().getExecutorServiceManager().newThreadPool(consumer, name,
                new ThreadPoolProfileBuilder(name).poolSize(1).maxPoolSize(1).maxQueueSize(Integer.MAX_VALUE)
                        .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build());
    }
}
