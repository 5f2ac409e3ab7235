package io.tributary.broker.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.broker.Authenticator;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.clients.RunningBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** Authentication: the loopback default, and a custom {@link Authenticator} given to the builder. */
class AuthenticationTest {

    @Test
    void clientsOnLoopbackAreAcceptedByDefault() {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient v5 = Clients.v5(broker, "local5");
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, v5.connect().getReasonCode());
            Mqtt3BlockingClient v3 = Clients.v3(broker, "local3");
            assertEquals(Mqtt3ConnAckReturnCode.SUCCESS, v3.connectWith().simpleAuth()
                    .username("anyone").password("anything".getBytes()).applySimpleAuth().send().getReturnCode());
            v5.disconnect();
            v3.disconnect();
        }
    }

    @Test
    void refusedUserNameGets0x04InMqtt311And0x86InMqtt5() throws Exception {
        Authenticator noMallory = (client, password) -> !"mallory".equals(client.username());
        try (RunningBroker broker = RunningBroker.start(config -> { }, b -> b.authenticator(noMallory))) {
            // With credentials: 0x04 (bad user name or password) in 3.1.1, 0x86 in 5.0 (section 3.2.2.3 / 3.2.2.2).
            Mqtt3BlockingClient v3 = Clients.v3(broker, "m3");
            Mqtt3ConnAckException refused3 = assertThrows(Mqtt3ConnAckException.class, () -> v3.connectWith()
                    .simpleAuth().username("mallory").password("pw".getBytes()).applySimpleAuth().send());
            assertEquals(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD, refused3.getMqttMessage().getReturnCode());

            Mqtt5BlockingClient v5 = Clients.v5(broker, "m5");
            Mqtt5ConnAckException refused5 = assertThrows(Mqtt5ConnAckException.class, () -> v5.connectWith()
                    .simpleAuth().username("mallory").password("pw".getBytes()).applySimpleAuth().send());
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refused5.getMqttMessage().getReasonCode());

            MqttClient paho = new MqttClient(Clients.pahoUri(broker), "m-paho", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName("mallory");
            options.setPassword("pw".toCharArray());
            MqttException pahoRefused = assertThrows(MqttException.class, () -> paho.connect(options));
            assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, pahoRefused.getReasonCode());
            paho.close();

            // Anyone else is accepted.
            Mqtt5BlockingClient alice = Clients.v5(broker, "alice");
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, alice.connectWith().simpleAuth().username("alice")
                    .applySimpleAuth().send().getReasonCode());
            alice.disconnect();
        }
    }

    @Test
    void refusedAnonymousClientGets0x05InMqtt311And0x87InMqtt5() {
        Authenticator namedOnly = (client, password) -> client.username() != null;
        try (RunningBroker broker = RunningBroker.start(config -> { }, b -> b.authenticator(namedOnly))) {
            // Without credentials: 0x05 (not authorized) in 3.1.1, 0x87 (Not authorized) in 5.0.
            Mqtt3ConnAckException refused3 = assertThrows(Mqtt3ConnAckException.class,
                    () -> Clients.v3(broker, "anon3").connect());
            assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, refused3.getMqttMessage().getReturnCode());
            Mqtt5ConnAckException refused5 = assertThrows(Mqtt5ConnAckException.class,
                    () -> Clients.v5(broker, "anon5").connect());
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused5.getMqttMessage().getReasonCode());
            assertEquals(0, broker.broker().stats().sessions(), "a refused client must not get a session");
        }
    }

    @Test
    void authenticatorSeesWhoIsConnecting() {
        List<ClientInfo> seen = new CopyOnWriteArrayList<>();
        List<byte[]> passwords = new CopyOnWriteArrayList<>();
        Authenticator recording = (client, password) -> {
            seen.add(client);
            passwords.add(password);
            return true;
        };
        try (RunningBroker broker = RunningBroker.start(config -> { }, b -> b.authenticator(recording))) {
            Mqtt5BlockingClient v5 = Clients.v5(broker, "who5");
            v5.connectWith().simpleAuth().username("bob").password("s3cret".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
            Mqtt3BlockingClient v3 = Clients.v3(broker, "who3");
            v3.connect();

            ClientInfo bob = seen.get(0);
            assertEquals("who5", bob.clientId());
            assertEquals("bob", bob.username());
            assertEquals("tcp", bob.listener());
            assertEquals(5, bob.protocolVersion());
            assertEquals("127.0.0.1", bob.remoteAddress().getAddress().getHostAddress());
            assertArrayEquals("s3cret".getBytes(StandardCharsets.UTF_8), passwords.get(0));

            ClientInfo anonymous = seen.get(1);
            assertEquals("who3", anonymous.clientId());
            assertNull(anonymous.username());
            assertNull(passwords.get(1));
            assertEquals(4, anonymous.protocolVersion());
            v5.disconnect();
            v3.disconnect();
        }
    }
}
