package io.tributary.bench.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's own message counters, from its {@code $SYS/broker/...} topics: a subscriber to
 * {@code $SYS/broker/#} on its own thread that keeps the last whole-number value of each topic. Both brokers
 * publish the topics every {@code sys interval} (the driver sets one second) when their value changed.
 *
 * <p>Mosquitto's {@code messages/received} counts packets of every type; its {@code publish/messages/received}
 * counts PUBLISH packets, which is what Tributary's {@code messages/received} counts: {@link #publishesReceived}
 * takes the first that exists. Drops likewise ({@code publish/messages/dropped}, else {@code messages/dropped}).
 */
final class SysCounters implements AutoCloseable {

    private static final String PREFIX = "$SYS/broker/";

    private final RawConnection connection;
    private final Map<String, Long> values = new ConcurrentHashMap<>();
    private final Thread thread;

    private SysCounters(RawConnection connection) {
        this.connection = connection;
        this.thread = new Thread(this::read, "raw-sys-counters");
        thread.setDaemon(true);
    }

    static SysCounters watch(String host, int port, int version) throws IOException {
        RawConnection connection = RawConnection.open(host, port, version, "raw-sys-" + System.nanoTime());
        connection.subscribe(PREFIX + "#", 0);
        SysCounters counters = new SysCounters(connection);
        counters.thread.start();
        return counters;
    }

    OptionalLong publishesReceived() {
        return first("publish/messages/received", "messages/received");
    }

    OptionalLong publishesDropped() {
        return first("publish/messages/dropped", "messages/dropped");
    }

    private OptionalLong first(String... topics) {
        for (String topic : topics) {
            Long value = values.get(topic);
            if (value != null) {
                return OptionalLong.of(value);
            }
        }
        return OptionalLong.empty();
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int version = connection.version();
        try {
            while (connection.channel().read(buffer) >= 0) {
                buffer.flip();
                MqttWire.scan(buffer, (in, firstByte, bodyOffset, bodyLength) -> {
                    if (firstByte >> 4 != MqttWire.PUBLISH) {
                        return;
                    }
                    int topicLength = in.getShort(bodyOffset) & 0xFFFF;
                    String topic = text(in, bodyOffset + 2, topicLength);
                    int payload = MqttWire.publishPayloadOffset(in, firstByte, bodyOffset, version);
                    String value = text(in, payload, bodyOffset + bodyLength - payload).trim();
                    if (topic.startsWith(PREFIX) && value.matches("\\d{1,18}")) {
                        values.put(topic.substring(PREFIX.length()), Long.parseLong(value));
                    }
                });
                buffer.compact();
            }
        } catch (IOException | RuntimeException e) {
            // the broker stopped or close() was called: the last values stay
        }
    }

    private static String text(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        connection.abort();
    }
}
