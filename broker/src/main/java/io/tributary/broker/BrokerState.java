package io.tributary.broker;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link BrokerStateStore} keeps across a restart: every retained message and every session that
 * outlives its connection (MQTT 5 Session Expiry Interval above 0, MQTT 3.1.1 Clean Session 0).
 * In-process subscriptions are not sessions and are not part of it.
 *
 * <p>The same {@link Message} instance may appear in several places (one publish queued for many sessions,
 * and retained); a store that keeps it once keeps memory after a restart as it was before.
 *
 * @param savedAtMillis the broker's clock when the state was taken
 * @param retained the retained messages, {@code $SYS} topics left out (the broker publishes those afresh)
 * @param sessions the persistent sessions, all offline
 */
public record BrokerState(long savedAtMillis, List<Message> retained, List<SessionState> sessions) {

    public BrokerState {
        retained = List.copyOf(retained);
        sessions = List.copyOf(sessions);
    }

    /**
     * One persistent session.
     *
     * @param username the user name its client last connected with ({@code null}: anonymous), what its access
     *     rules are asked with after a restart; {@code null} too when not known
     * @param usernameKnown false when the user name is not known (a state saved by a Tributary that did not keep
     *     it): under access rules such a session receives nothing until its client connects again
     * @param protocolVersion 4 (MQTT 3.1.1) or 5, as the client last connected
     * @param expirySeconds the Session Expiry Interval; 0xFFFFFFFF never expires
     * @param offlineSinceMillis when its connection closed: its expiry and a delayed will count from here,
     *     across the restart
     * @param inboundQos2PacketIds QoS 2 packet identifiers the client sent and the broker acknowledged with
     *     PUBREC, awaiting PUBREL: a retransmitted PUBLISH with one of them is not delivered again
     * @param inFlight QoS 1/2 messages sent and not yet acknowledged, oldest first: sent again with DUP (or
     *     PUBREL once PUBREC came) when the client resumes the session [MQTT-4.4.0-1]
     * @param queued messages waiting to be sent, oldest first
     * @param will the Will Message not yet published, or {@code null}
     */
    public record SessionState(String clientId, String username, boolean usernameKnown, int protocolVersion,
                               long expirySeconds, long offlineSinceMillis, List<SubscriptionState> subscriptions,
                               List<Integer> inboundQos2PacketIds, List<InFlightDelivery> inFlight,
                               List<Delivery> queued, WillState will) {
        public SessionState {
            Objects.requireNonNull(clientId, "clientId");
            if (!usernameKnown && username != null) {
                throw new IllegalArgumentException("a user name that is not known must be null, was " + username);
            }
            if (protocolVersion != 4 && protocolVersion != 5) {
                throw new IllegalArgumentException("protocol version must be 4 or 5, was " + protocolVersion);
            }
            if (expirySeconds < 1 || expirySeconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("a persistent session expires after 1 to 4294967295 seconds, was "
                        + expirySeconds);
            }
            subscriptions = List.copyOf(subscriptions);
            inboundQos2PacketIds = List.copyOf(inboundQos2PacketIds);
            inboundQos2PacketIds.forEach(SessionState::requirePacketId);
            inFlight = List.copyOf(inFlight);
            queued = List.copyOf(queued);
        }

        static void requirePacketId(int packetId) {
            if (packetId < 1 || packetId > 65535) {
                throw new IllegalArgumentException("a packet identifier is 1 to 65535, was " + packetId);
            }
        }
    }

    /**
     * One subscription of a session, with its MQTT 5 options.
     *
     * @param filter the filter as subscribed, {@code $share/{group}/} prefix included
     * @param retainHandling 0, 1 or 2, as in SUBSCRIBE
     * @param subscriptionId the Subscription Identifier, 0 when there is none
     */
    public record SubscriptionState(String filter, QoS maxQos, boolean noLocal, boolean retainAsPublished,
                                    int retainHandling, int subscriptionId) {
        public SubscriptionState {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(maxQos, "maxQos");
            if (retainHandling < 0 || retainHandling > 2) {
                throw new IllegalArgumentException("retain handling is 0, 1 or 2, was " + retainHandling);
            }
            if (subscriptionId < 0 || subscriptionId > 268_435_455) {
                throw new IllegalArgumentException("a subscription identifier is 0 to 268435455, was " + subscriptionId);
            }
        }
    }

    /**
     * A message on its way to one session: the QoS and retain flag it is delivered with, and the
     * identifiers of the subscriptions it matched. Message expiry counts from the message's
     * {@link Message#receivedAtMillis()}, so it goes on counting while the broker is down.
     */
    public record Delivery(Message message, QoS qos, boolean retain, List<Integer> subscriptionIds) {
        public Delivery {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(qos, "qos");
            subscriptionIds = List.copyOf(subscriptionIds);
        }
    }

    /** A delivery sent with {@code packetId} and not yet acknowledged; {@code pubrecReceived} for QoS 2 halfway. */
    public record InFlightDelivery(int packetId, boolean pubrecReceived, Delivery delivery) {
        public InFlightDelivery {
            SessionState.requirePacketId(packetId);
            Objects.requireNonNull(delivery, "delivery");
            if (delivery.qos() == QoS.AT_MOST_ONCE) {
                throw new IllegalArgumentException("a QoS 0 message is never in flight");
            }
        }
    }

    /** A Will Message waiting for its Will Delay Interval (MQTT 5) to pass, counted from the session going offline. */
    public record WillState(Message message, long delaySeconds) {
        public WillState {
            Objects.requireNonNull(message, "message");
            if (delaySeconds < 0) {
                throw new IllegalArgumentException("will delay must not be negative, was " + delaySeconds);
            }
        }
    }
}
