package io.tributary.bench.raw;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The few MQTT 3.1.1 and 5.0 packets the raw-socket driver sends, encoded by hand into byte buffers, and a scanner
 * that finds whole packets in what it reads. No client library: the driver must cost the broker's reader as little
 * CPU of its own as possible. MQTT 5 packets carry no properties (an empty property length).
 */
final class MqttWire {

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBACK = 9;

    private MqttWire() {
    }

    /** A CONNECT with a clean session (MQTT 5: clean start) and no credentials. */
    static ByteBuffer connect(int version, String clientId, int keepAliveSeconds) {
        byte[] id = ascii(clientId);
        int remaining = 10 + (version == 5 ? 1 : 0) + 2 + id.length;
        ByteBuffer buffer = ByteBuffer.allocate(1 + lengthOfLength(remaining) + remaining);
        buffer.put((byte) 0x10);
        putRemainingLength(buffer, remaining);
        buffer.put(new byte[] {0, 4, 'M', 'Q', 'T', 'T'});
        buffer.put((byte) (version == 5 ? 5 : 4));
        buffer.put((byte) 0x02);
        buffer.putShort((short) keepAliveSeconds);
        if (version == 5) {
            buffer.put((byte) 0); // no properties
        }
        buffer.putShort((short) id.length).put(id);
        return buffer.flip();
    }

    /** A SUBSCRIBE to one filter at {@code qos}. */
    static ByteBuffer subscribe(int version, int packetId, String filter, int qos) {
        byte[] topic = ascii(filter);
        int remaining = 2 + (version == 5 ? 1 : 0) + 2 + topic.length + 1;
        ByteBuffer buffer = ByteBuffer.allocate(1 + lengthOfLength(remaining) + remaining);
        buffer.put((byte) 0x82);
        putRemainingLength(buffer, remaining);
        buffer.putShort((short) packetId);
        if (version == 5) {
            buffer.put((byte) 0);
        }
        buffer.putShort((short) topic.length).put(topic).put((byte) qos);
        return buffer.flip();
    }

    /** The size of one PUBLISH packet as {@link #putPublish} writes it. */
    static int publishSize(int version, String topic, int qos, int payloadBytes) {
        int remaining = publishRemaining(version, ascii(topic).length, qos, payloadBytes);
        return 1 + lengthOfLength(remaining) + remaining;
    }

    /**
     * Writes one PUBLISH into {@code buffer} at its position and returns the offset of the payload in it, so that a
     * caller can stamp sequence numbers into pre-encoded packets without encoding them again.
     *
     * @param packetId ignored at QoS 0; the caller may overwrite it at {@code payloadOffset - 2 - (v5 ? 1 : 0)}
     */
    static int putPublish(ByteBuffer buffer, int version, String topic, int qos, int packetId, byte[] payload) {
        byte[] name = ascii(topic);
        buffer.put((byte) (0x30 | (qos << 1)));
        putRemainingLength(buffer, publishRemaining(version, name.length, qos, payload.length));
        buffer.putShort((short) name.length).put(name);
        if (qos > 0) {
            buffer.putShort((short) packetId);
        }
        if (version == 5) {
            buffer.put((byte) 0);
        }
        int payloadOffset = buffer.position();
        buffer.put(payload);
        return payloadOffset;
    }

    /** Where the packet identifier of a PUBLISH lies relative to its payload. */
    static int packetIdBeforePayload(int version) {
        return version == 5 ? 3 : 2;
    }

    /** Writes a PUBACK (four bytes, reason code omitted: success in both versions). */
    static void putPuback(ByteBuffer buffer, int packetId) {
        buffer.put((byte) 0x40).put((byte) 2).putShort((short) packetId);
    }

    /** The DISCONNECT both versions accept (MQTT 5: reason code omitted, normal disconnection). */
    static ByteBuffer disconnect() {
        return ByteBuffer.wrap(new byte[] {(byte) 0xE0, 0});
    }

    private static int publishRemaining(int version, int topicLength, int qos, int payloadBytes) {
        return 2 + topicLength + (qos > 0 ? 2 : 0) + (version == 5 ? 1 : 0) + payloadBytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static int lengthOfLength(int remaining) {
        return remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
    }

    static void putRemainingLength(ByteBuffer buffer, int remaining) {
        int value = remaining;
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            buffer.put((byte) (value > 0 ? digit | 0x80 : digit));
        } while (value > 0);
    }

    /** What the scanner hands over for each whole packet: its first byte and where its body lies in the buffer. */
    interface PacketVisitor {
        void packet(ByteBuffer buffer, int firstByte, int bodyOffset, int bodyLength);
    }

    /**
     * Calls {@code visitor} for each whole packet between the buffer's position and limit and moves the position
     * past them; a packet cut at the limit stays for the next read.
     *
     * @return how many packets were visited
     */
    static int scan(ByteBuffer buffer, PacketVisitor visitor) {
        int count = 0;
        int at = buffer.position();
        int end = buffer.limit();
        while (end - at >= 2) {
            int firstByte = buffer.get(at) & 0xFF;
            int length = 0;
            int shift = 0;
            int cursor = at + 1;
            boolean complete = false;
            while (cursor < end && cursor - at <= 4) {
                int digit = buffer.get(cursor++) & 0xFF;
                length |= (digit & 0x7F) << shift;
                shift += 7;
                if ((digit & 0x80) == 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete) {
                if (cursor - at > 4) {
                    throw new IllegalStateException("malformed remaining length at offset " + at);
                }
                break;
            }
            if (end - cursor < length) {
                break;
            }
            visitor.packet(buffer, firstByte, cursor, length);
            count++;
            at = cursor + length;
        }
        buffer.position(at);
        return count;
    }

    /** The offset of a PUBLISH's payload, given its body as {@link #scan} found it. */
    static int publishPayloadOffset(ByteBuffer buffer, int firstByte, int bodyOffset, int version) {
        int topicLength = buffer.getShort(bodyOffset) & 0xFFFF;
        int at = bodyOffset + 2 + topicLength + (((firstByte >> 1) & 3) > 0 ? 2 : 0);
        if (version == 5) {
            int propertiesLength = 0;
            int shift = 0;
            int digit;
            do {
                digit = buffer.get(at++) & 0xFF;
                propertiesLength |= (digit & 0x7F) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            at += propertiesLength;
        }
        return at;
    }
}
