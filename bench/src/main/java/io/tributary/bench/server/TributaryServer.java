package io.tributary.bench.server;

import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs Tributary's broker as a stand-alone process for the benchmark, with its default configuration and one TCP
 * listener on {@code 127.0.0.1:PORT}, until the process is told to stop.
 *
 * <p>Arguments: {@code PORT [WORK_DIR]} (the work folder is accepted for symmetry with the other launchers).
 */
public final class TributaryServer {

    private TributaryServer() {
    }

    /** The configuration the benchmark runs Tributary with. */
    static BrokerConfig config(int port) {
        return BrokerConfig.builder().listener(ListenerConfig.tcp("127.0.0.1", port)).build();
    }

    /** QoS 1 messages Tributary keeps in flight per client, as configured: Mosquitto is given the same. */
    public static int maxInFlight() {
        return config(1883).maxInFlight();
    }

    /** The limits that matter for a fair comparison, as configured, for the report. */
    public static String settings() {
        BrokerConfig config = config(1883);
        return "BrokerConfig defaults: maxQueuedMessages " + config.maxQueuedMessages() + ", maxInFlight "
                + config.maxInFlight() + ", queueFullPolicy " + config.queueFullPolicy();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Broker broker = Broker.builder().config(config(port)).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("Tributary did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }, "tributary-stop"));
        broker.start().get();
        System.out.println("Tributary listening on 127.0.0.1:" + port);
        stopped.await();
    }
}
