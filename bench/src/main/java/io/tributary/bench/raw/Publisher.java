package io.tributary.bench.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * One publishing connection on its own thread, in one of two modes.
 *
 * <ul>
 *   <li>Flood: as fast as the socket takes it. At QoS 0 a batch of about 64 KB of PUBLISH packets per write, again
 *       and again; at QoS 1 up to {@code inFlight} unacknowledged messages, topped up in one write whenever a
 *       quarter of the window has been acknowledged (the PUBACKs are read in large reads and only counted).</li>
 *   <li>Paced: message {@code k} leaves at {@code start + k / rate}, each stamped with the time of its write; at
 *       QoS 1 at most {@code inFlight} unacknowledged. The socket is non-blocking so the thread can read PUBACKs
 *       between sends.</li>
 * </ul>
 *
 * <p>Sequence numbers start at 0 and count every message written; {@link #written()} is how many whole messages the
 * kernel accepted.
 */
final class Publisher implements Runnable {

    private static final int FLOOD_BATCH_BYTES = 64 * 1024;
    private static final long ACK_GATHER_NANOS = 50_000;

    private final RawConnection connection;
    private final PublishBatch batch;
    private final int qos;
    private final int inFlight;
    private final double ratePerSecond;
    private final long pacedUntilNanos;
    private final ByteBuffer acks = ByteBuffer.allocateDirect(64 * 1024);
    private volatile boolean stopping;
    private volatile long written;
    private volatile long acked;
    private volatile long refused;
    private volatile String failure;
    private long ackCount;
    private long refusedCount;

    private Publisher(RawConnection connection, PublishBatch batch, int qos, int inFlight, double ratePerSecond,
                      long pacedUntilNanos) {
        this.connection = connection;
        this.batch = batch;
        this.qos = qos;
        this.inFlight = inFlight;
        this.ratePerSecond = ratePerSecond;
        this.pacedUntilNanos = pacedUntilNanos;
    }

    /** A publisher that writes as fast as it can until {@link #stop}. */
    static Publisher flood(RawConnection connection, int number, String topic, int qos, int payloadBytes,
                           int inFlight) {
        int size = MqttWire.publishSize(connection.version(), topic, qos, payloadBytes);
        int capacity = qos == 0 ? Math.max(1, FLOOD_BATCH_BYTES / size) : inFlight;
        return new Publisher(connection, new PublishBatch(connection.version(), topic, qos, payloadBytes, number,
                capacity), qos, inFlight, 0, 0);
    }

    /**
     * A QoS 1 publisher of {@link TextStamp} payloads that writes as fast as its window allows until {@link #stop}:
     * for systems that pass payloads through as text (the route into Kafka and its baseline).
     */
    static Publisher textFlood(RawConnection connection, int number, String topic, int payloadBytes, int inFlight) {
        return new Publisher(connection, new PublishBatch(connection.version(), topic, 1, payloadBytes, number,
                inFlight, true), 1, inFlight, 0, 0);
    }

    /** A publisher that sends {@code ratePerSecond} messages a second until {@code untilNanos}. */
    static Publisher paced(RawConnection connection, int number, String topic, int qos, int payloadBytes,
                           int inFlight, double ratePerSecond, long untilNanos) {
        return new Publisher(connection, new PublishBatch(connection.version(), topic, qos, payloadBytes, number,
                Math.max(1, inFlight)), qos, inFlight, ratePerSecond, untilNanos);
    }

    @Override
    public void run() {
        try {
            if (ratePerSecond > 0) {
                paced();
            } else if (qos == 0) {
                floodQos0();
            } else {
                floodQos1();
            }
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                failure = e.toString();
            }
        }
    }

    private void floodQos0() throws IOException {
        long next = 0;
        int count = batch.capacity();
        while (!stopping) {
            connection.writeFully(batch.stamp(next, count, System.nanoTime()));
            next += count;
            written = next;
        }
    }

    private void floodQos1() throws IOException {
        long next = 0;
        int refill = Math.max(1, inFlight / 4);
        while (!stopping) {
            int room = (int) (inFlight - (next - ackCount));
            if (room >= refill) {
                connection.writeFully(batch.stamp(next, room, System.nanoTime()));
                next += room;
                written = next;
            } else {
                int before = (int) ackCount;
                if (!readAcks()) {
                    return;
                }
                if (ackCount - before < refill / 4 && inFlight - (next - ackCount) < refill) {
                    // A broker that writes each PUBACK on its own would wake this thread per message: let a few
                    // gather (a twentieth of a millisecond, well inside the window's round trip).
                    LockSupport.parkNanos(ACK_GATHER_NANOS);
                }
            }
        }
        // Stopped: collect the PUBACKs of what is still in flight (close() ends this if they never come).
        while (ackCount < next && readAcks()) {
            // counting
        }
    }

    private void paced() throws IOException {
        connection.channel().configureBlocking(false);
        long periodNanos = Math.round(1e9 / ratePerSecond);
        long start = System.nanoTime();
        long sent = 0;
        while (!stopping) {
            long now = System.nanoTime();
            if (now >= pacedUntilNanos) {
                break;
            }
            if (qos > 0) {
                readAcks();
            }
            long due = (now - start) / periodNanos + 1 - sent;
            if (qos > 0) {
                due = Math.min(due, inFlight - (sent - ackCount));
            }
            if (due > 0) {
                int count = (int) Math.min(due, batch.capacity());
                ByteBuffer out = batch.stamp(sent, count, System.nanoTime());
                while (out.hasRemaining()) {
                    if (connection.channel().write(out) == 0) {
                        Thread.onSpinWait();
                    }
                }
                sent += count;
                written = sent;
            } else {
                long wait = start + sent * periodNanos - System.nanoTime();
                LockSupport.parkNanos(qos > 0 && wait <= 0 ? 20_000 : Math.max(1, wait));
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (qos > 0 && ackCount < sent && System.nanoTime() < deadline && !stopping) {
            readAcks();
            LockSupport.parkNanos(100_000);
        }
    }

    /** Reads what PUBACKs are there (in blocking mode: waits for some); false when the connection ended. */
    private boolean readAcks() throws IOException {
        int read = connection.channel().read(acks);
        if (read < 0) {
            if (!stopping) {
                failure = "the broker closed the publisher's connection";
            }
            return false;
        }
        acks.flip();
        MqttWire.scan(acks, (buffer, firstByte, bodyOffset, bodyLength) -> {
            if (firstByte >> 4 == MqttWire.PUBACK) {
                ackCount++;
                if (bodyLength > 2 && (buffer.get(bodyOffset + 2) & 0xFF) >= 0x80) {
                    refusedCount++; // MQTT 5: the broker acknowledged and dropped it (0x97: quota exceeded, say)
                }
            }
        });
        acks.compact();
        acked = ackCount;
        refused = refusedCount;
        return true;
    }

    /** Whole messages the kernel accepted so far. */
    long written() {
        return written;
    }

    /** PUBACKs received so far (QoS 1). */
    long acked() {
        return acked;
    }

    /** PUBACKs with an MQTT 5 reason code of failure: messages the broker refused. */
    long refused() {
        return refused;
    }

    /** What ended the publisher early, or null. */
    String failure() {
        return failure;
    }

    /** Asks the thread to stop after its current write (a flood at QoS 1 then waits for its PUBACKs). */
    void stop() {
        stopping = true;
    }

    /**
     * Ends the connection: with a DISCONNECT when the thread has ended, else by closing the socket, which also ends
     * a thread still blocked in a write or read.
     */
    void close(boolean threadEnded) {
        stopping = true;
        if (threadEnded) {
            connection.close();
        } else {
            connection.abort();
        }
    }
}
