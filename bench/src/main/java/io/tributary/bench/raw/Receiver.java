package io.tributary.bench.raw;

import io.tributary.bench.load.LatencyHistogram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.locks.LockSupport;

/**
 * The subscriber's side: one thread reads its connection in large reads, finds the PUBLISH packets, and counts by
 * the stamps in their payloads what arrived once, twice (duplicates) or before an earlier message of the same
 * publisher (out of order). At QoS 1 it answers each read's PUBLISHes with their PUBACKs in one write. Latency
 * (receive time minus the stamped send time, one clock: the same JVM) is recorded for messages sent after
 * {@link #measureFrom}.
 *
 * <p>The counters are written by the reading thread only; others see a snapshot taken after each read.
 */
final class Receiver implements Runnable {

    private static final int READ_BUFFER = 1 << 20;
    private static final int SMALL_READ = 16 * 1024;
    private static final long COALESCE_NANOS = 500_000;

    private final RawConnection connection;
    private final int version;
    private final BitSet[] seen;
    private final long[] highest;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final ByteBuffer acks = ByteBuffer.allocateDirect(READ_BUFFER / 8 * 4 + 64);
    private final boolean coalesceReads;
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private long received;
    private long distinct;
    private long duplicates;
    private long outOfOrder;
    private volatile Counts counts = new Counts(0, 0, 0, 0);
    private volatile String failure;
    private volatile boolean stopping;

    /**
     * @param coalesceReads after a small read, wait half a millisecond before the next, so that a broker writing
     *     each message on its own does not wake the driver per message (for the QoS 0 flood only: it delays
     *     PUBACKs and latency)
     */
    Receiver(RawConnection connection, int publishers, boolean coalesceReads) {
        this.connection = connection;
        this.coalesceReads = coalesceReads;
        this.version = connection.version();
        this.seen = new BitSet[publishers];
        this.highest = new long[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new BitSet();
            highest[i] = -1;
        }
    }

    /** Latency is recorded for messages stamped at or after {@code nanos} ({@link System#nanoTime()}). */
    void measureFrom(long nanos) {
        measureFromNanos = nanos;
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
        try {
            while (!stopping) {
                int read = connection.channel().read(buffer);
                if (read < 0) {
                    if (!stopping) {
                        failure = "the broker closed the subscriber's connection";
                    }
                    return;
                }
                buffer.flip();
                MqttWire.scan(buffer, this::packet);
                buffer.compact();
                counts = new Counts(received, distinct, duplicates, outOfOrder);
                if (acks.position() > 0) {
                    acks.flip();
                    connection.writeFully(acks);
                    acks.clear();
                }
                if (coalesceReads && read < SMALL_READ) {
                    LockSupport.parkNanos(COALESCE_NANOS);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                failure = e.toString();
            }
        }
    }

    private void packet(ByteBuffer buffer, int firstByte, int bodyOffset, int bodyLength) {
        if (firstByte >> 4 != MqttWire.PUBLISH) {
            return;
        }
        long now = System.nanoTime();
        int payload = MqttWire.publishPayloadOffset(buffer, firstByte, bodyOffset, version);
        if (((firstByte >> 1) & 3) > 0) {
            int idAt = payload - MqttWire.packetIdBeforePayload(version);
            MqttWire.putPuback(acks, buffer.getShort(idAt) & 0xFFFF);
        }
        int publisher = PublishBatch.publisher(buffer, payload);
        long sequence = PublishBatch.sequence(buffer, payload);
        long sent = PublishBatch.sentNanos(buffer, payload);
        received++;
        if (publisher < 0 || publisher >= seen.length || sequence < 0 || sequence > Integer.MAX_VALUE) {
            return; // not one of ours (a leftover); counted as received only
        }
        if (seen[publisher].get((int) sequence)) {
            duplicates++;
            return;
        }
        seen[publisher].set((int) sequence);
        distinct++;
        if (sequence < highest[publisher]) {
            outOfOrder++;
        } else {
            highest[publisher] = sequence;
        }
        if (sent >= measureFromNanos) {
            latency.record(now - sent);
        }
    }

    /** What arrived so far, as of the last read. */
    Counts counts() {
        return counts;
    }

    /**
     * @param received PUBLISH packets read
     * @param distinct of those, messages of this run's publishers seen for the first time
     * @param duplicates messages seen before
     * @param outOfOrder messages that came after a later one of the same publisher
     */
    record Counts(long received, long distinct, long duplicates, long outOfOrder) {
    }

    /** What ended the reading early, or null. */
    String failure() {
        return failure;
    }

    /** The latency histogram; read it only after the thread ended. */
    LatencyHistogram latency() {
        return latency;
    }

    /** Ends the reading thread by closing the connection under it. */
    void stop() {
        stopping = true;
        connection.abort();
    }
}
