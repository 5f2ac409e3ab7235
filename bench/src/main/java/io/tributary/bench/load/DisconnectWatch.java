package io.tributary.bench.load;

import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a {@link LoadClient} of either MQTT version keeps about its connection: the first time the broker or the
 * network closed it, unless the driver was closing it itself; and how it reads a SUBACK.
 */
final class DisconnectWatch implements MqttClientDisconnectedListener {

    private volatile boolean closing;
    private volatile Throwable unexpected;

    @Override
    public void onDisconnected(MqttClientDisconnectedContext context) {
        if (!closing && context.getSource() != MqttDisconnectSource.USER && unexpected == null) {
            unexpected = context.getCause();
        }
    }

    Throwable unexpected() {
        return unexpected;
    }

    /** Throws when the broker refused a subscription: {@code errors} are the SUBACK's error codes. */
    static void requireGranted(String filter, List<?> errors) {
        if (!errors.isEmpty()) {
            throw new IllegalStateException("subscription to " + filter + " refused: " + errors.get(0));
        }
    }

    /** Disconnects as the driver's own choice, waiting up to five seconds; never throws. */
    void close(Supplier<CompletableFuture<Void>> disconnect) {
        closing = true;
        try {
            disconnect.get().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // not connected any more, or the broker is gone: nothing left to release
        }
    }
}
