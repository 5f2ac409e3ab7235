package io.tributary.bench.server;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.tributary.testsupport.hivemq.HiveMqHome;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs HiveMQ CE (embedded edition) as a stand-alone broker for the benchmark, until the process is told to stop.
 *
 * <p>Arguments: {@code PORT WORK_DIR [MAX_QUEUE_SIZE]}. The configuration, data and extensions folders are created
 * under WORK_DIR; the listener binds {@code 127.0.0.1:PORT}; persistence is in memory (every benchmark session is
 * clean, and Mosquitto runs without persistence too); usage statistics are off so that nothing leaves the machine.
 */
public final class HiveMqCeServer {

    private HiveMqCeServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        long maxQueueSize = args.length > 2 ? Long.parseLong(args[2]) : 100_000;
        Path conf = HiveMqHome.write(home, port, """
                <queued-messages>
                    <max-queue-size>%d</max-queue-size>
                    <strategy>discard</strategy>
                </queued-messages>
                """.formatted(maxQueueSize));

        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hivemq.stop().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("HiveMQ CE did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }, "hivemq-stop"));
        hivemq.start().get(60, TimeUnit.SECONDS);
        System.out.println("HiveMQ CE listening on 127.0.0.1:" + port);
        stopped.await();
    }
}
