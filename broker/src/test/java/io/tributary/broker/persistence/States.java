package io.tributary.broker.persistence;

import io.tributary.broker.BrokerState;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Sample states, and a description of a state that compares payload bytes by content. */
final class States {
    static final byte[] BINARY = {0, 1, (byte) 0xFF, (byte) 0x80, 0x7F, 0};

    private States() {
    }

    /** A state using every field of the format, with the nullable ones set in one place and null in another. */
    static BrokerState everything() {
        MessageProperties full = new MessageProperties(true, 120L, "application/json", "replies/here",
                new byte[] {9, 8, 7}, List.of(new UserProperty("k", "v1"), new UserProperty("k", "v2"),
                new UserProperty("ü", "ß")));
        Message retained = new Message("sites/1/state", BINARY, QoS.EXACTLY_ONCE, true, full, "device-1", 1_000L);
        Message plain = new Message("t/plain", "hello".getBytes(), QoS.AT_LEAST_ONCE, false, MessageProperties.NONE,
                null, 2_000L);
        Message will = new Message("wills/device-2", "gone".getBytes(), QoS.AT_LEAST_ONCE, true, MessageProperties.NONE,
                "device-2", 3_000L);
        BrokerState.SessionState v5 = new BrokerState.SessionState("device-2", "alice", true, 5, 300, 4_000L,
                List.of(new BrokerState.SubscriptionState("sites/+/state", QoS.AT_LEAST_ONCE, true, true, 1, 7),
                        new BrokerState.SubscriptionState("$share/g/t/#", QoS.EXACTLY_ONCE, false, false, 2, 0)),
                List.of(42, 65535),
                List.of(new BrokerState.InFlightDelivery(1, false,
                                new BrokerState.Delivery(plain, QoS.AT_LEAST_ONCE, false, List.of())),
                        new BrokerState.InFlightDelivery(65535, true,
                                new BrokerState.Delivery(retained, QoS.EXACTLY_ONCE, true, List.of(7, 9)))),
                List.of(new BrokerState.Delivery(retained, QoS.AT_LEAST_ONCE, false, List.of(7)),
                        new BrokerState.Delivery(plain, QoS.AT_LEAST_ONCE, false, List.of())),
                new BrokerState.WillState(will, 30));
        BrokerState.SessionState v311 = new BrokerState.SessionState("old-device", null, true, 4, 0xFFFF_FFFFL, 5_000L,
                List.of(new BrokerState.SubscriptionState("t/#", QoS.AT_MOST_ONCE, false, false, 0, 0)), List.of(),
                List.of(), List.of(new BrokerState.Delivery(plain, QoS.AT_LEAST_ONCE, false, List.of())), null);
        BrokerState.SessionState userUnknown = new BrokerState.SessionState("restored-from-v1", null, false, 5, 60,
                5_500L, List.of(), List.of(), List.of(), List.of(), null);
        return new BrokerState(6_000L, List.of(retained), List.of(v5, v311, userUnknown));
    }

    static byte[] write(BrokerState state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(state, out);
        return out.toByteArray();
    }

    /** Verifies, then reads, as the file store does. */
    static BrokerState read(byte[] bytes) throws IOException {
        SnapshotReader.verify(new ByteArrayInputStream(bytes), bytes.length);
        return SnapshotReader.read(new DataInputStream(new ByteArrayInputStream(bytes)), bytes.length);
    }

    /** Every field of the state as text, byte arrays by content. */
    static String describe(BrokerState state) {
        return "saved " + state.savedAtMillis() + "\nretained " + describeMessages(state.retained()) + "\n"
                + state.sessions().stream().map(States::describe).collect(Collectors.joining("\n"));
    }

    private static String describe(BrokerState.SessionState s) {
        return "session " + s.clientId() + " user " + (s.usernameKnown() ? s.username() : "(unknown)") + " v"
                + s.protocolVersion() + " expiry " + s.expirySeconds() + " offline "
                + s.offlineSinceMillis() + " subs " + s.subscriptions() + " qos2 " + s.inboundQos2PacketIds()
                + " inflight " + s.inFlight().stream().map(d -> d.packetId() + "/" + d.pubrecReceived() + "/"
                        + describe(d.delivery())).toList()
                + " queued " + s.queued().stream().map(States::describe).toList()
                + " will " + (s.will() == null ? null : describe(s.will().message()) + " after " + s.will().delaySeconds());
    }

    private static String describe(BrokerState.Delivery d) {
        return describe(d.message()) + " as " + d.qos() + " retain " + d.retain() + " ids " + d.subscriptionIds();
    }

    private static String describeMessages(List<Message> messages) {
        return messages.stream().map(States::describe).toList().toString();
    }

    static String describe(Message m) {
        MessageProperties p = m.properties();
        return "[" + m.topic() + " " + Arrays.toString(m.payload()) + " " + m.qos() + " " + m.retain() + " utf8 "
                + p.payloadUtf8() + " expiry " + p.messageExpirySeconds() + " " + p.contentType() + " "
                + p.responseTopic() + " " + Arrays.toString(p.correlationData()) + " " + p.userProperties() + " from "
                + m.publisherId() + " at " + m.receivedAtMillis() + "]";
    }
}
