package io.tributary.broker.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.broker.Authenticator;
import io.tributary.broker.clients.RunningBroker;
import org.junit.jupiter.api.Test;

/** An authenticator that throws (its directory server is down) is "server unavailable", not a wrong password. */
class AuthenticatorFailureTest {

    @Test
    void anAuthenticatorExceptionIsServerUnavailableAndCounted() {
        Authenticator down = (client, password) -> {
            throw new IllegalStateException("directory server unreachable");
        };
        try (RunningBroker broker = RunningBroker.start(config -> { }, b -> b.authenticator(down))) {
            Mqtt5BlockingClient v5 = Clients.v5(broker, "down5");
            Mqtt5ConnAckException refused5 = assertThrows(Mqtt5ConnAckException.class, () -> v5.connectWith()
                    .simpleAuth().username("u").password("p".getBytes()).applySimpleAuth().send());
            assertEquals(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE, refused5.getMqttMessage().getReasonCode());
            Mqtt3ConnAckException refused3 = assertThrows(Mqtt3ConnAckException.class, () -> Clients.v3(broker, "down3")
                    .connectWith().simpleAuth().username("u").password("p".getBytes()).applySimpleAuth().send());
            assertEquals(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE, refused3.getMqttMessage().getReturnCode());
            assertEquals(2L, broker.broker().statsSnapshot().get("connectsRefusedUnavailable"));
            assertEquals(0L, broker.broker().statsSnapshot().get("connectsRefusedBadCredentials"));
            assertEquals(0, broker.broker().stats().sessions());
        }
    }
}
