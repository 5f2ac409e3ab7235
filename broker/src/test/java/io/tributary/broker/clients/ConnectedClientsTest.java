package io.tributary.broker.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.tributary.broker.ConnectedClient;
import io.tributary.broker.ConnectedClients;
import io.tributary.testsupport.await.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operator's view of connected clients: a bounded, sorted list and a disconnect. */
class ConnectedClientsTest {

    @Test
    void listsConnectedClientsSortedByIdWithTheirSubscriptionsAndProtocol() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            Mqtt5BlockingClient v5 = MqttClient.builder().useMqttVersion5().identifier("b-five")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            Mqtt3BlockingClient v3 = MqttClient.builder().useMqttVersion3().identifier("a-three")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            v5.connectWith().simpleAuth().username("meter").applySimpleAuth().send();
            v5.subscribeWith().topicFilter("x/#").qos(MqttQos.AT_LEAST_ONCE).send();
            v5.subscribeWith().topicFilter("y/+").qos(MqttQos.AT_MOST_ONCE).send();
            v3.connect();
            try {
                ConnectedClients all = broker.broker().connectedClients(null, 10);
                assertEquals(2, all.total());
                assertEquals(List.of("a-three", "b-five"), all.clients().stream().map(ConnectedClient::clientId)
                        .toList());
                ConnectedClient five = all.clients().get(1);
                assertEquals(5, five.protocolVersion());
                assertEquals(2, five.subscriptions());
                assertEquals("meter", five.username());
                assertTrue(five.address().startsWith("127.0.0.1:"), five.address());
                assertEquals(4, all.clients().get(0).protocolVersion());

                ConnectedClients first = broker.broker().connectedClients(null, 1);
                assertEquals(2, first.total(), "the total counts every connected client");
                assertEquals(List.of("a-three"), first.clients().stream().map(ConnectedClient::clientId).toList());
                ConnectedClients next = broker.broker().connectedClients("a-three", 1);
                assertEquals(List.of("b-five"), next.clients().stream().map(ConnectedClient::clientId).toList());
                assertTrue(broker.broker().connectedClients("b-five", 1).clients().isEmpty());
            } finally {
                v5.disconnect();
                v3.disconnect();
            }
        }
    }

    @Test
    void disconnectClosesTheConnectionWithAdministrativeActionForMqtt5() throws Exception {
        try (RunningBroker broker = RunningBroker.start()) {
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("to-kick")
                    .serverHost("127.0.0.1").serverPort(broker.port())
                    .addDisconnectedListener(context -> {
                        if (context.getSource() == MqttDisconnectSource.SERVER) {
                            closed.complete(context.getCause());
                        }
                    })
                    .buildBlocking();
            client.connect();
            assertFalse(broker.broker().disconnectClient("nobody"), "no such client");

            assertTrue(broker.broker().disconnectClient("to-kick"));

            Throwable cause = closed.get(5, TimeUnit.SECONDS);
            assertTrue(cause instanceof Mqtt5DisconnectException, String.valueOf(cause));
            assertEquals(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION,
                    ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode());
            Await.until(Duration.ofSeconds(5), "the session detached", broker.broker().whenAllDetached()::isDone);
            assertEquals(0, broker.broker().connectedClients(null, 10).total());
        }
    }
}
