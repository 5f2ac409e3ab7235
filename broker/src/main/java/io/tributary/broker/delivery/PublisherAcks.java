package io.tributary.broker.delivery;

import io.tributary.broker.PayloadRefusedException;
import io.tributary.broker.PublishRejectedException;
import io.tributary.broker.stats.BrokerCounters;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The acknowledgements a broker owes one publishing client, and the reason Tributary exists: a QoS 1/2
 * PUBLISH is acknowledged only once everything that holds it (the sinks of the routes, interceptors) has
 * completed, in the order the PUBLISH packets arrived [MQTT-4.6.0-2, MQTT-4.6.0-3], and not while a
 * subscriber that is behind has paused the publisher (flow control without dropping).
 *
 * <p>Concurrency: the queue of pending acknowledgements is touched only on the publisher's event loop
 * ({@link AckChannel#eventLoop()}); completions arriving on other threads are handed back to it.
 * {@link #pause()} and {@link #resume()} may be called from any thread.
 */
public final class PublisherAcks implements PublisherLink {
    /** A reason code of 0x80 or above is a failure [MQTT 5 section 2.4]. */
    private static final int FAILURE = 0x80;
    /** PUBACK/PUBREC reason 0x80, Unspecified error: a hold that failed without saying why. */
    private static final byte UNSPECIFIED_ERROR = (byte) 0x80;

    private final AckChannel channel;
    private final BrokerCounters counters;
    private final ArrayDeque<PendingAck> pending = new ArrayDeque<>();
    /** How many subscribers that are behind have paused this publisher; its acknowledgements wait meanwhile. */
    private final AtomicInteger pauses = new AtomicInteger();
    private boolean readingPaused;
    /** Reading stopped by {@link #stopReadingWhilePaused}; event loop only. */
    private boolean readingStoppedWhilePaused;
    private final AtomicBoolean decisionsRequested = new AtomicBoolean();

    public PublisherAcks(AckChannel channel, BrokerCounters counters) {
        this.channel = channel;
        this.counters = counters;
    }

    /**
     * Queues the acknowledgement of a QoS 1/2 PUBLISH that was handed to the publish path; it is written when
     * {@code hold} completes and every earlier one was written.
     *
     * @param hold what the acknowledgement waits for, or null if nothing
     */
    public void await(int packetId, int qos, CompletionStage<Void> hold) {
        PendingAck ack = new PendingAck(packetId, qos);
        pending.addLast(ack);
        if (hold == null) {
            decide(ack, (byte) 0);
        } else if (hold instanceof CompletableFuture<Void> future && future.isDone()) {
            decide(ack, reasonFor(future));
        } else {
            hold.whenComplete((ignored, failure) -> {
                ack.completed(failure == null ? 0 : reasonFor(failure));
                requestDecisions();
            });
        }
        flush(false);
        limitReading();
    }

    /** Queues an acknowledgement decided already (a refusal, a QoS 2 retransmission), behind the earlier ones. */
    public void acknowledge(int packetId, int qos, byte reasonCode) {
        PendingAck ack = new PendingAck(packetId, qos);
        ack.decide(reasonCode);
        pending.addLast(ack);
        flush(false);
    }

    /** Whether every acknowledgement owed has been written. */
    public boolean allWritten() {
        return pending.isEmpty();
    }

    /** QoS 1 publishes not acknowledged yet, which the client counts against our Receive Maximum. */
    public int unacknowledgedQos1() {
        int qos1 = 0;
        for (PendingAck ack : pending) {
            if (ack.qos == 1) {
                qos1++;
            }
        }
        return qos1;
    }

    /**
     * Writes the acknowledgements that are due, oldest first, unless a subscriber that is behind holds them
     * back (the publisher then waits on its in-flight window).
     *
     * @param flush whether to flush the connection after writing (false while a read batch is under way)
     */
    public void flush(boolean flush) {
        if (pauses.get() > 0 || !channel.isOpen()) {
            return;
        }
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peekFirst().decided) {
            PendingAck ack = pending.pollFirst();
            if (!channel.write(ack.packetId, ack.qos, ack.reason)) {
                return; // the channel closed instead
            }
            wrote = true;
        }
        if (wrote && flush) {
            channel.flush();
        }
        limitReading();
    }

    @Override
    public void pause() {
        if (pauses.incrementAndGet() == 1) {
            counters.publishersPaused.increment();
        }
    }

    @Override
    public void resume() {
        if (pauses.decrementAndGet() == 0) {
            counters.publishersPaused.decrement();
            channel.eventLoop().execute(() -> {
                flush(true);
                if (readingStoppedWhilePaused && pauses.get() == 0) {
                    readingStoppedWhilePaused = false;
                    channel.pauseReadingForSubscribers(false);
                }
            });
        }
    }

    /**
     * A QoS 0 message came while a subscriber holds this publisher: it has no acknowledgement to hold back, so
     * the client's socket is not read until no subscriber holds it any more. Called on the event loop.
     */
    public void stopReadingWhilePaused() {
        if (pauses.get() > 0 && !readingStoppedWhilePaused) {
            readingStoppedWhilePaused = true;
            channel.pauseReadingForSubscribers(true);
        }
    }

    /**
     * Holds that complete on other threads (a store's writer, a sink) ask for one task on the event loop, however
     * many complete meanwhile: one hop per batch of completions, not per message.
     */
    private void requestDecisions() {
        if (decisionsRequested.compareAndSet(false, true)) {
            channel.eventLoop().execute(() -> {
                decisionsRequested.set(false);
                for (PendingAck ack : pending) {
                    if (!ack.decided && ack.completed) {
                        decide(ack, ack.completedReason);
                    }
                }
                flush(true);
            });
        }
    }

    private void decide(PendingAck ack, byte reason) {
        ack.decide(reason);
        channel.decided(ack.packetId, ack.qos, reason);
    }

    /**
     * A client with no Receive Maximum (MQTT 3.1.1) that keeps publishing while its acknowledgements are held
     * is no longer read from (TCP back-pressure) until half of them went out.
     */
    private void limitReading() {
        int limit = channel.readingLimit();
        if (limit <= 0) {
            return;
        }
        if (!readingPaused && pending.size() >= limit) {
            readingPaused = true;
            channel.setReading(false);
        } else if (readingPaused && pending.size() <= limit / 2) {
            readingPaused = false;
            channel.setReading(true);
        }
    }

    private byte reasonFor(CompletableFuture<Void> done) {
        try {
            done.join();
            return 0;
        } catch (CompletionException | CancellationException e) {
            return reasonFor(e.getCause() == null ? e : e.getCause());
        }
    }

    private byte reasonFor(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof PayloadRefusedException refused) {
            // Dead-lettered: resending cannot help, so a publisher without negative acknowledgements gets a plain one.
            return channel.hasNegativeAcknowledgements() ? (byte) refused.reasonCode() : 0;
        }
        if (cause instanceof PublishRejectedException rejected) {
            return (byte) rejected.reasonCode();
        }
        return UNSPECIFIED_ERROR;
    }

    /** True if {@code reasonCode} reports a failure. */
    public static boolean isFailure(byte reasonCode) {
        return (reasonCode & FAILURE) != 0;
    }

    /**
     * The publisher's connection as the acknowledgements see it. Every method but {@link #eventLoop()} is
     * called on that event loop.
     */
    public interface AckChannel {

        /** The thread that owns the connection; completions from other threads are handed to it. */
        Executor eventLoop();

        /** False once the connection is closed: nothing is written any more. */
        boolean isOpen();

        /**
         * The acknowledgement of {@code packetId} is decided (it may still wait for earlier ones): called
         * once, as soon as its hold completed.
         */
        void decided(int packetId, int qos, byte reasonCode);

        /**
         * Writes PUBACK (QoS 1) or PUBREC (QoS 2) with {@code reasonCode}.
         *
         * @return false if the connection was closed instead (MQTT 3.1.1 has no negative acknowledgement)
         */
        boolean write(int packetId, int qos, byte reasonCode);

        void flush();

        /** True for MQTT 5, whose acknowledgements can say a message was refused; MQTT 3.1.1 has none. */
        boolean hasNegativeAcknowledgements();

        /** How many pending acknowledgements stop reading from the client; 0 for never. */
        int readingLimit();

        /** Stops or resumes reading from the client's socket. */
        void setReading(boolean read);

        /** Stops reading from the client's socket while a subscriber's full queue holds it, or resumes. */
        void pauseReadingForSubscribers(boolean paused);
    }

    /** A QoS 1/2 acknowledgement waiting for its turn. */
    private static final class PendingAck {
        final int packetId;
        final int qos;
        boolean decided;
        byte reason;
        /** Set by the thread on which the hold completed, read on the event loop (completedReason first). */
        volatile boolean completed;
        volatile byte completedReason;

        PendingAck(int packetId, int qos) {
            this.packetId = packetId;
            this.qos = qos;
        }

        void decide(byte reasonCode) {
            decided = true;
            reason = reasonCode;
        }

        void completed(byte reasonCode) {
            completedReason = reasonCode;
            completed = true;
        }
    }
}
