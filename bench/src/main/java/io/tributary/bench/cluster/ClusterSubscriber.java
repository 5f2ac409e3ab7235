package io.tributary.bench.cluster;

import io.tributary.bench.load.Payload;
import io.tributary.bench.load.SubscriberProbe;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * What one subscriber does with its messages: before the run, notes that a probe message reached it; during the run,
 * hands the driver's numbered messages to its {@link SubscriberProbe}, which exists only once the run's clock does.
 *
 * <p>Threads: {@link #accept} runs on the MQTT client's I/O thread; the fields are volatile, set by the driver's
 * main thread.
 */
final class ClusterSubscriber implements Consumer<ByteBuffer> {

    /** The publisher number of probe messages, which no publisher of a run has. */
    static final int PROBE = -1;

    private final int index;
    private final int node;
    private volatile boolean probed;
    private volatile SubscriberProbe probe;

    /** @param node the index (from 0) of the node this subscriber is connected to */
    ClusterSubscriber(int index, int node) {
        this.index = index;
        this.node = node;
    }

    @Override
    public void accept(ByteBuffer payload) {
        if (Payload.isWellFormed(payload) && Payload.publisher(payload) == PROBE) {
            probed = true;
            return;
        }
        SubscriberProbe current = probe;
        if (current != null) {
            current.accept(payload);
        }
    }

    int index() {
        return index;
    }

    int node() {
        return node;
    }

    boolean probed() {
        return probed;
    }

    /** From now on, the run's messages go to {@code runProbe}. */
    void measureWith(SubscriberProbe runProbe) {
        this.probe = runProbe;
    }

    SubscriberProbe probe() {
        return probe;
    }
}
