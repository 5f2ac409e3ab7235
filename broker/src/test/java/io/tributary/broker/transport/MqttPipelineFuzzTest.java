package io.tributary.broker.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzzed bytes through the broker's own pipeline ({@link MqttChannelInitializer}: Netty's decoder and encoder,
 * then {@link io.tributary.broker.protocol.MqttConnection} with a real session registry, subscription tree and
 * retained store), on an embedded channel. For every input:
 * <ul>
 *   <li>no exception reaches the broker's "unexpected error" handler or the end of the pipeline, and nothing else
 *       is logged at WARN or above on the thread that runs the input: bad input is answered by the protocol, never by a
 *       crash;</li>
 *   <li>every buffer allocated for the connection (the bytes fed in, the decoder's cumulation, what the encoder
 *       wrote) is released once the connection is closed: checked exactly, by reference count, through
 *       {@link TrackingAllocator}; Netty's own leak detector runs at PARANOID as well and any report it logs
 *       fails the input it shows up in (reports come after a garbage collection, so possibly a later input);</li>
 *   <li>the work is bounded: an input that takes longer than {@link #HANG} fails as a hang.</li>
 * </ul>
 *
 * <p>Input layout, so that the fuzzer gets past CONNECT: byte 0 picks a prefix (0: none, 1: a valid MQTT 3.1.1
 * CONNECT, 2: a valid MQTT 5 CONNECT, taken modulo 3), byte 1 the size of the chunks the rest is fed in (0: all
 * at once), so that packets split across reads are covered too.
 *
 * <p>{@code mvn verify} runs only the seeds in {@code MqttPipelineFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes
 * (see docs/security.md, "Fuzzing").
 */
class MqttPipelineFuzzTest {
    private static final BrokerConfig CONFIG = BrokerConfig.builder()
            .listener(ListenerConfig.tcp("127.0.0.1", 0).named("fuzz"))
            .maxPacketSize(4096)
            .build();

    private static final byte[][] PREFIXES = {
        {},
        {0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, 'c'},
        {0x10, 0x0E, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C, 0x00, 0x00, 0x01, 'c'},
    };

    /**
     * How long one input may take before it counts as a hang: generous, since the first input also loads and
     * instruments the classes; a normal one takes milliseconds. (JUnit's {@code @Timeout} would bound the whole
     * fuzzing run instead.)
     */
    private static final Duration HANG = Duration.ofSeconds(30);

    private static final ProblemLog PROBLEMS = new ProblemLog();

    @BeforeAll
    static void watchLogsAndLeaks() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        PROBLEMS.start();
        root().addAppender(PROBLEMS);
    }

    @AfterAll
    static void collectLeftLeaks() {
        try {
            PROBLEMS.watch(Thread.currentThread());
            // The leak detector reports a lost buffer when it tracks a new one after the lost one was collected.
            for (int i = 0; i < 3 && PROBLEMS.isEmpty(); i++) {
                System.gc();
                ByteBufAllocator.DEFAULT.heapBuffer(1).release();
            }
            PROBLEMS.assertNone();
        } finally {
            root().detachAppender(PROBLEMS);
            PROBLEMS.stop();
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @FuzzTest(maxDuration = "10s")
    void survivesAnyBytes(byte[] input) {
        byte[] prefix = input.length > 0 ? PREFIXES[Math.floorMod(input[0], PREFIXES.length)] : PREFIXES[0];
        int chunk = input.length > 1 ? input[1] & 0xFF : 0;
        byte[] body = input.length > 2 ? Arrays.copyOfRange(input, 2, input.length) : new byte[0];
        assertTimeoutPreemptively(HANG, () -> {
            PROBLEMS.watch(Thread.currentThread()); // the embedded channel runs everything on this thread
            TrackingAllocator allocator = new TrackingAllocator();
            try (EmbeddedBroker broker = new EmbeddedBroker(CONFIG)) {
                EmbeddedBroker.Connection connection = broker.connect();
                EmbeddedSocketChannel channel = connection.channel();
                channel.config().setAllocator(allocator);
                try {
                    feed(channel, allocator, prefix, prefix.length);
                    feed(channel, allocator, body, chunk == 0 ? body.length : chunk);
                    connection.sent(); // runs what the broker scheduled and releases what it wrote
                } finally {
                    connection.close();
                }
            }
            PROBLEMS.assertNone();
            allocator.assertAllReleased();
        });
    }

    /** Feeds {@code bytes} in buffers of {@code chunk} bytes, as reads from a socket, while the channel is open. */
    private static void feed(EmbeddedSocketChannel channel, ByteBufAllocator allocator, byte[] bytes, int chunk) {
        for (int from = 0; from < bytes.length && channel.isOpen(); from += chunk) {
            int length = Math.min(chunk, bytes.length - from);
            ByteBuf read = allocator.buffer(length).writeBytes(bytes, from, length);
            channel.writeInbound(read); // rethrows anything that reached the end of the pipeline
            channel.runPendingTasks();
        }
    }

    /** What was logged at WARN or above on the watched thread, the one that runs the embedded channel. */
    private static final class ProblemLog extends AppenderBase<ILoggingEvent> {
        private final List<String> problems = new ArrayList<>();
        private String watched = "";

        @Override
        protected synchronized void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN) && event.getThreadName().equals(watched)) {
                problems.add(event.getLoggerName() + ": " + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getClassName()
                        + ": " + event.getThrowableProxy().getMessage()));
            }
        }

        synchronized boolean isEmpty() {
            return problems.isEmpty();
        }

        /** Forgets what was logged so far and watches {@code thread} from now on. */
        synchronized void watch(Thread thread) {
            problems.clear();
            watched = thread.getName();
        }

        synchronized void assertNone() {
            assertEquals(List.of(), problems, "problems logged while handling the input");
        }
    }
}
