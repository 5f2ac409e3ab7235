package io.tributary.bench.server;

import io.tributary.broker.AclConfig;
import io.tributary.broker.AclRule;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs Tributary's broker as a stand-alone process for the benchmark, with its default configuration and one TCP
 * listener on {@code 127.0.0.1:PORT}, until the process is told to stop.
 *
 * <p>Arguments: {@code PORT [WORK_DIR [MAX_IN_FLIGHT]]} (the work folder is accepted for symmetry with the other
 * launchers; the in-flight window per client is the default unless given).
 */
public final class TributaryServer {

    private TributaryServer() {
    }

    /**
     * Set to a number of ACL rules to measure what authorization costs: that many rules for anonymous clients
     * (the benchmark's), each tried before the last, {@code topic readwrite #}, grants everything.
     */
    public static final String ACL_RULES_VARIABLE = "TRIBUTARY_BENCH_ACL_RULES";

    /** The configuration the benchmark runs Tributary with. */
    static BrokerConfig config(int port) {
        return BrokerConfig.builder().listener(ListenerConfig.tcp("127.0.0.1", port)).acl(acl()).build();
    }

    /** The same with another in-flight window per client. */
    static BrokerConfig config(int port, int maxInFlight) {
        return BrokerConfig.builder().listener(ListenerConfig.tcp("127.0.0.1", port)).acl(acl())
                .maxInFlight(maxInFlight).build();
    }

    private static AclConfig acl() {
        String count = System.getenv(ACL_RULES_VARIABLE);
        if (count == null || count.isBlank()) {
            return AclConfig.NONE;
        }
        int rules = Integer.parseInt(count.strip());
        List<AclRule> list = new ArrayList<>();
        for (int i = 0; i < rules - 1; i++) {
            list.add(AclRule.topic(null, AclRule.Access.READWRITE, "acl-bench/" + i + "/#"));
        }
        list.add(AclRule.topic(null, AclRule.Access.READWRITE, "#"));
        return new AclConfig(null, list);
    }

    /** QoS 1 messages Tributary keeps in flight per client, as configured: Mosquitto is given the same. */
    public static int maxInFlight() {
        return config(1883).maxInFlight();
    }

    /** The limits that matter for a fair comparison, as configured, for the report. */
    public static String settings() {
        BrokerConfig config = config(1883);
        return "BrokerConfig defaults: maxQueuedMessages " + config.maxQueuedMessages() + ", maxInFlight "
                + config.maxInFlight() + ", queueFullPolicy " + config.queueFullPolicy() + ", ACL rules "
                + config.acl().rules().size();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        BrokerConfig config = args.length > 2 ? config(port, Integer.parseInt(args[2])) : config(port);
        Broker broker = Broker.builder().config(config).build();
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
