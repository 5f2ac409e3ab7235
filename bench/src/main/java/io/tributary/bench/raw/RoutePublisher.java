package io.tributary.bench.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * One QoS 1 publisher of the raw route driver, on its own thread, as fast as its in-flight window allows: the window
 * is topped up in one write of pre-encoded PUBLISH packets ({@link TextStamp} payloads) whenever a quarter of it has
 * been acknowledged; PUBACKs are read in large reads and counted. Sequence numbers start at 0; the packet identifier
 * of sequence {@code s} is {@code s % 65535 + 1}.
 */
final class RoutePublisher implements Runnable {

    private static final long ACK_GATHER_NANOS = 50_000;

    private final RawConnection connection;
    private final int inFlight;
    private final ByteBuffer batch;
    private final int packetSize;
    private final int payloadOffset;
    private final int packetIdOffset;
    private final ByteBuffer acks = ByteBuffer.allocateDirect(64 * 1024);
    private volatile boolean stopping;
    private volatile long written;
    private volatile long acked;
    private volatile long refused;
    private volatile String failure;
    private long ackCount;
    private long refusedCount;

    RoutePublisher(RawConnection connection, int publisher, String topic, int payloadBytes, int inFlight) {
        this.connection = connection;
        this.inFlight = inFlight;
        int version = connection.version();
        this.packetSize = MqttWire.publishSize(version, topic, 1, payloadBytes);
        this.batch = ByteBuffer.allocateDirect(packetSize * inFlight);
        byte[] payload = TextStamp.template(payloadBytes, publisher);
        int offset = 0;
        for (int i = 0; i < inFlight; i++) {
            offset = MqttWire.putPublish(batch, version, topic, 1, 1, payload) - i * packetSize;
        }
        this.payloadOffset = offset;
        this.packetIdOffset = offset - MqttWire.packetIdBeforePayload(version);
    }

    @Override
    public void run() {
        try {
            long next = 0;
            int refill = Math.max(1, inFlight / 4);
            while (!stopping) {
                int room = (int) (inFlight - (next - ackCount));
                if (room >= refill) {
                    connection.writeFully(stamp(next, room, System.nanoTime()));
                    next += room;
                    written = next;
                } else {
                    long before = ackCount;
                    if (!readAcks()) {
                        return;
                    }
                    if (ackCount - before < refill / 4 && inFlight - (next - ackCount) < refill) {
                        LockSupport.parkNanos(ACK_GATHER_NANOS); // let a few PUBACKs gather
                    }
                }
            }
            while (ackCount < next && readAcks()) {
                // the PUBACKs of what is still in flight (close() ends this if they never come)
            }
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                failure = e.toString();
            }
        }
    }

    private ByteBuffer stamp(long firstSequence, int count, long sentNanos) {
        batch.clear();
        for (int i = 0; i < count; i++) {
            long sequence = firstSequence + i;
            TextStamp.stamp(batch, i * packetSize + payloadOffset, sequence, sentNanos);
            batch.putShort(i * packetSize + packetIdOffset, (short) (sequence % 65_535 + 1));
        }
        return batch.limit(count * packetSize).position(0);
    }

    private boolean readAcks() throws IOException {
        int read = connection.channel().read(acks);
        if (read < 0) {
            if (!stopping) {
                failure = "the system closed the publisher's connection";
            }
            return false;
        }
        acks.flip();
        MqttWire.scan(acks, (buffer, firstByte, bodyOffset, bodyLength) -> {
            if (firstByte >> 4 == MqttWire.PUBACK) {
                ackCount++;
                if (bodyLength > 2 && (buffer.get(bodyOffset + 2) & 0xFF) >= 0x80) {
                    refusedCount++;
                }
            }
        });
        acks.compact();
        acked = ackCount;
        refused = refusedCount;
        return true;
    }

    long written() {
        return written;
    }

    long acked() {
        return acked;
    }

    long refused() {
        return refused;
    }

    String failure() {
        return failure;
    }

    void stop() {
        stopping = true;
    }

    /** Closes the connection: politely once the thread has ended, else by closing the socket under it. */
    void close(boolean threadEnded) {
        stopping = true;
        if (threadEnded) {
            connection.close();
        } else {
            connection.abort();
        }
    }
}
