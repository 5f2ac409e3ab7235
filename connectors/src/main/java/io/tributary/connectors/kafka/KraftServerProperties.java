package io.tributary.connectors.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The {@code server.properties} of a single-node KRaft Kafka on 127.0.0.1, tuned to start fast and stay small.
 */
final class KraftServerProperties {
    /** Keys that make the node what it is; an override of one of them would break formatting or the quorum. */
    static final Set<String> RESERVED = Set.of(
            "process.roles", "node.id", "broker.id", "listeners", "advertised.listeners",
            "controller.listener.names", "inter.broker.listener.name", "listener.security.protocol.map",
            "controller.quorum.voters", "controller.quorum.bootstrap.servers", "log.dirs", "log.dir",
            "metadata.log.dir");

    private KraftServerProperties() {
    }

    static Properties singleNode(int nodeId, Path dataDirectory, int port, int controllerPort,
                                 Map<String, String> overrides) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(nodeId));
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        // A static voter set, not a dynamic quorum formatted with --standalone: a dynamic quorum writes the
        // controller's endpoint into the metadata log, and a restart on another controller port would then
        // find no voter to talk to.
        p.setProperty("controller.quorum.voters", nodeId + "@127.0.0.1:" + controllerPort);
        p.setProperty("log.dirs", dataDirectory.toString());

        // One node: every internal topic has one replica, and one partition is plenty (the defaults of 50
        // partitions cost seconds and file handles the first time a consumer group or transaction appears).
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");

        // Small: the log cleaner's dedupe buffer is a heap array of 128 MiB by default; thread pools sized for
        // a production server are idle weight here.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("group.coordinator.threads", "1");
        p.setProperty("share.coordinator.threads", "1");
        // No JMX beans: less memory, and no name clashes when two of these run in one JVM.
        p.setProperty("metric.reporters", "");
        // After a crash (kill -9) the controller refuses the restarted broker's registration until the old
        // session expires (DuplicateBrokerRegistrationException): 9 s by default, 3 s here. The heartbeat
        // interval shrinks with it so that a session still spans six heartbeats and a slow machine does not
        // fence a healthy broker. (A clean stop and start are as fast with the defaults.)
        p.setProperty("broker.heartbeat.interval.ms", "500");
        p.setProperty("broker.session.timeout.ms", "3000");

        overrides.forEach(p::setProperty);
        return p;
    }
}
