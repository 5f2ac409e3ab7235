package io.tributary.connectors.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.broker.UserProperty;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every MQTT 5 property goes out and comes back, and the hop count rises by one per publish. */
class LinkMessagesTest {

    private final Message message = new Message("edge/s1/alarms", "fire".getBytes(StandardCharsets.UTF_8),
            QoS.EXACTLY_ONCE, true, new MessageProperties(true, 600L, "text/plain", "replies/s1",
            new byte[] {1, 2, 3}, List.of(new UserProperty("site", "s1"), new UserProperty("site", "s1b"))),
            "device-1", System.currentTimeMillis());

    @Test
    void aPublishBuiltFromAMessageReadsBackAsTheSameMessage() {
        Message back = LinkMessages.toMessage(LinkMessages.toPublish(message));

        MessageProperties p = back.properties();
        assertEquals(List.of("edge/s1/alarms", "fire", QoS.EXACTLY_ONCE, true, true, "text/plain", "replies/s1"),
                List.of(back.topic(), new String(back.payload(), StandardCharsets.UTF_8), back.qos(), back.retain(),
                        p.payloadUtf8(), p.contentType(), p.responseTopic()));
        assertArrayEquals(new byte[] {1, 2, 3}, p.correlationData());
        assertEquals(message.properties().userProperties(), p.userProperties());
        assertTrue(p.messageExpirySeconds() > 590 && p.messageExpirySeconds() <= 600, "expiry left: "
                + p.messageExpirySeconds());
    }

    @Test
    void eachPublishCountsOneHopMoreReplacingTheCountItCarried() {
        Message once = LinkHops.next(message);
        Message twice = LinkHops.next(LinkMessages.toMessage(LinkMessages.toPublish(once)));

        assertEquals(List.of(0, 1, 2), List.of(LinkHops.of(message), LinkHops.of(once), LinkHops.of(twice)));
        assertEquals(List.of(new UserProperty("site", "s1"), new UserProperty("site", "s1b"),
                new UserProperty(LinkHops.PROPERTY, "2")), twice.properties().userProperties());
    }
}
