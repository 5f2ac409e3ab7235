package io.tributary.bench.sinkservers;

import io.tributary.bench.server.ChildProcess;
import io.tributary.bench.server.FreePort;
import io.tributary.bench.server.JvmBrokerLauncher;
import io.tributary.connectors.kafka.EmbeddedKafkaMain;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The one real Kafka broker of an MQTT → Kafka run: {@link EmbeddedKafkaMain} (single-node KRaft, 127.0.0.1,
 * PLAINTEXT) in a JVM of its own, on this JVM's class path, with its data under the run's work folder. Every system
 * under test writes to a fresh topic on it, created here beforehand so that all get the same partitions.
 */
public final class KafkaProcess implements AutoCloseable {

    /** Kafka's JVM: the full JIT and a heap that does not need to grow during the run. */
    static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx1g", "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.net.preferIPv4Stack=true");

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ChildProcess process;
    private final String bootstrapServers;
    private final Admin admin;

    private KafkaProcess(ChildProcess process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
    }

    /** Starts Kafka with its data in {@code workDir/data} and its log in {@code workDir/kafka.log}. */
    public static KafkaProcess start(Path workDir, Path pidFile) throws IOException, InterruptedException {
        int port = FreePort.onLoopback();
        int controllerPort = FreePort.onLoopback();
        while (controllerPort == port) {
            controllerPort = FreePort.onLoopback();
        }
        List<String> command = JvmBrokerLauncher.javaCommand(JVM_FLAGS, EmbeddedKafkaMain.class.getName());
        command.addAll(List.of("--data-dir", workDir.resolve("data").toString(),
                "--port", Integer.toString(port),
                "--controller-port", Integer.toString(controllerPort),
                "--exit-on-stdin-eof"));
        ChildProcess child = ChildProcess.start("kafka", command, workDir.resolve("kafka.log"), pidFile,
                EmbeddedKafkaMain.READY_PREFIX, TIMEOUT);
        return new KafkaProcess(child, child.readyLine());
    }

    /** For the report. */
    public static String settings() {
        return "Apache Kafka 4.1.1 (EmbeddedKafkaMain: single-node KRaft, broker and controller in one process, "
                + "PLAINTEXT on 127.0.0.1, 2 network and 2 I/O threads, data on the local disk without forced "
                + "flushes, as Kafka's defaults); JVM flags: " + String.join(" ", JVM_FLAGS);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** Creates a topic (one replica) and returns once every partition has a leader. */
    public void createTopic(String topic, int partitions) throws InterruptedException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!hasLeaders(topic)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " has no leader after " + TIMEOUT);
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
        }
    }

    /** Deletes a topic after its run, so that the data of one run does not weigh on the next; never throws. */
    public void deleteTopic(String topic) {
        try {
            admin.deleteTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("[bench] could not delete topic " + topic + ": " + e);
        }
    }

    private boolean hasLeaders(String topic) throws InterruptedException {
        try {
            return admin.describeTopics(Set.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic)
                    .partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            return false; // the broker's metadata cache does not know the topic yet
        }
    }

    /** Stops Kafka by its PID (SIGTERM: a controlled shutdown). */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        process.close();
    }
}
