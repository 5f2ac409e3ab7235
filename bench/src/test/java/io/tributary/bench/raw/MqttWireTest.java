package io.tributary.bench.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The driver's hand-made packets, read back by Netty's MQTT decoder (the one Tributary itself uses), and the
 * driver's own scanner on a stream cut at every possible place.
 */
class MqttWireTest {

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void nettyDecodesTheConnectAndAStampedBatchOfPublishes(int version) {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder());
        PublishBatch batch = new PublishBatch(version, "raw/t/2", 1, 64, 2, 8);
        channel.writeInbound(wrap(MqttWire.connect(version, "raw-pub-x", 60)));
        channel.writeInbound(wrap(batch.stamp(70_000, 3, 123_456_789L)));

        MqttConnectMessage connect = assertInstanceOf(MqttConnectMessage.class, decoded(channel));
        assertEquals(version, connect.variableHeader().version());
        assertEquals("raw-pub-x", connect.payload().clientIdentifier());
        assertTrue(connect.variableHeader().isCleanSession());
        for (long sequence = 70_000; sequence < 70_003; sequence++) {
            MqttPublishMessage publish = assertInstanceOf(MqttPublishMessage.class, decoded(channel));
            assertEquals("raw/t/2", publish.variableHeader().topicName());
            assertEquals(MqttQoS.AT_LEAST_ONCE, publish.fixedHeader().qosLevel());
            assertEquals(sequence % 65_535 + 1, publish.variableHeader().packetId());
            ByteBuf payload = publish.payload();
            assertEquals(64, payload.readableBytes());
            assertEquals(2, payload.readInt());
            assertEquals(sequence, payload.readLong());
            assertEquals(123_456_789L, payload.readLong());
            publish.release();
        }
        assertNull(channel.readInbound(), "exactly three packets: the batch wrote only what was stamped");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void nettyDecodesTheSubscribe(int version) {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder());
        channel.writeInbound(wrap(MqttWire.connect(version, "raw-sub-x", 60)));
        channel.writeInbound(wrap(MqttWire.subscribe(version, 1, "raw/t/+", 1)));
        decoded(channel);
        MqttSubscribeMessage subscribe = assertInstanceOf(MqttSubscribeMessage.class, decoded(channel));
        assertEquals("raw/t/+", subscribe.payload().topicSubscriptions().get(0).topicName());
        assertEquals(MqttQoS.AT_LEAST_ONCE, subscribe.payload().topicSubscriptions().get(0).qualityOfService());
    }

    @Test
    void theScannerFindsEveryPublishWhereverTheStreamIsCut() {
        int version = 5;
        // A payload of 200 bytes makes the remaining length two bytes long, so cuts fall inside it too.
        PublishBatch batch = new PublishBatch(version, "raw/t/0", 0, 200, 0, 5);
        ByteBuffer stream = batch.stamp(10, 5, 42);
        byte[] bytes = new byte[stream.remaining()];
        stream.get(bytes);
        for (int cut = 0; cut <= bytes.length; cut++) {
            ByteBuffer buffer = ByteBuffer.allocate(bytes.length);
            List<Long> sequences = new ArrayList<>();
            MqttWire.PacketVisitor visitor = (in, first, body, length) -> {
                assertEquals(MqttWire.PUBLISH, first >> 4);
                int payload = MqttWire.publishPayloadOffset(in, first, body, version);
                assertEquals(body + length - 200, payload);
                sequences.add(PublishBatch.sequence(in, payload));
            };
            buffer.put(bytes, 0, cut).flip();
            MqttWire.scan(buffer, visitor);
            buffer.compact().put(bytes, cut, bytes.length - cut).flip();
            MqttWire.scan(buffer, visitor);
            assertEquals(List.of(10L, 11L, 12L, 13L, 14L), sequences, "cut at " + cut);
            assertEquals(0, buffer.remaining());
        }
    }

    private static ByteBuf wrap(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return Unpooled.wrappedBuffer(bytes);
    }

    private static MqttMessage decoded(EmbeddedChannel channel) {
        MqttMessage message = channel.readInbound();
        assertTrue(message != null && message.decoderResult().isSuccess(),
                () -> "decoded: " + (message == null ? "nothing" : message.decoderResult()));
        return message;
    }
}
