package io.tributary.bench.linkkill;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The Paho MQTT v5 client 1.2.5 used the way camel-paho-mqtt5 4.17.0's consumer uses it, since that component is
 * not in this build's repository: a synchronous {@code MqttClient} with manual acknowledgements, automatic reconnect
 * at most 2 s apart, clean start off and a one-hour session; it subscribes after connecting and again in
 * {@code connectComplete(reconnect = true)}, synchronously on Paho's callback thread (as
 * {@code PahoMqtt5Consumer} does), and acknowledges a message once it is recorded.
 */
final class Paho5Source implements KillCycleSource {

    private static final String CLIENT_ID = "kill-cycles-paho5";
    private MqttClient client;

    @Override
    public String id() {
        return "paho5";
    }

    @Override
    public String describe() {
        return "Paho mqttv5 client 1.2.5 (MQTT 5) as camel-paho-mqtt5's consumer drives it: `MqttClient`, "
                + "setManualAcks(true), automaticReconnect true, maxReconnectDelay 2000 ms, cleanStart false, "
                + "sessionExpiryInterval 3600 s, subscribe again on connectComplete(reconnect), "
                + "messageArrivedComplete once recorded";
    }

    @Override
    public void start(int port, String filter, Deliveries deliveries) throws Exception {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(2000);
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        client = new MqttClient("tcp://127.0.0.1:" + port, CLIENT_ID, new MemoryPersistence());
        client.setManualAcks(true);
        // As the component does: connect first, then set the callback, then subscribe.
        client.connect(options);
        MqttClient own = client;
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                deliveries.record(message.getPayload());
                own.messageArrivedComplete(message.getId(), message.getQos());
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                if (reconnect) {
                    try {
                        own.subscribe(filter, 1);
                    } catch (MqttException e) {
                        System.err.println("[link-kills] paho5 resubscribe failed: " + e);
                    }
                }
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        client.subscribe(filter, 1);
    }

    @Override
    public void close() {
        if (client == null) {
            return;
        }
        Thread closer = new Thread(() -> {
            try {
                client.disconnectForcibly(1000);
                client.close(true);
            } catch (MqttException | RuntimeException e) {
                System.err.println("[link-kills] paho5 did not close: " + e);
            }
        }, "paho5-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
