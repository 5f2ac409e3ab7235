package io.tributary.broker.stats;

import io.tributary.broker.BrokerStats;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the broker's state under {@code $SYS/broker/...} in the layout Mosquitto made familiar: every
 * interval, as retained QoS 0 messages through the broker's own publish path, so that {@code $SYS/#}
 * subscribers get them live and late subscribers get the last values. A topic is published again only when
 * its value changed, except the uptime, which is published every time.
 *
 * <p>The load topics are Mosquitto's exponentially weighted moving averages of the rate per minute over 1, 5
 * and 15 minutes, updated every interval.
 *
 * <p>Concurrency: the ticks run one at a time on the executor given to {@link #start}; {@link #start} and
 * {@link #stop} may be called from any thread.
 */
public final class SysTopicPublisher {
    /** Where every topic lives. */
    public static final String PREFIX = "$SYS/broker/";

    private static final Logger log = LoggerFactory.getLogger(SysTopicPublisher.class);
    private static final String VERSION = "tributary version " + version();
    private static final int[] LOAD_MINUTES = {1, 5, 15};

    private final Supplier<BrokerStats> stats;
    private final IntSupplier retainedCount;
    private final IntSupplier subscriptionCount;
    private final Consumer<Message> publish;
    private final Map<String, String> published = new HashMap<>();
    private final Load[] loads = {
        new Load("messages/received", BrokerStats::messagesReceived),
        new Load("messages/sent", BrokerStats::messagesSent),
        new Load("bytes/received", BrokerStats::bytesReceived),
        new Load("bytes/sent", BrokerStats::bytesSent),
    };
    private ScheduledFuture<?> task;
    private long startedNanos;
    private long lastTickNanos;

    /**
     * @param stats the counters
     * @param retainedCount how many topics hold a retained message
     * @param subscriptionCount how many subscriptions there are
     * @param publish the broker's publish path for its own messages
     */
    public SysTopicPublisher(Supplier<BrokerStats> stats, IntSupplier retainedCount, IntSupplier subscriptionCount,
                             Consumer<Message> publish) {
        this.stats = stats;
        this.retainedCount = retainedCount;
        this.subscriptionCount = subscriptionCount;
        this.publish = publish;
    }

    /** Publishes now and then every {@code interval} on {@code executor}; does nothing for a zero interval. */
    public synchronized void start(ScheduledExecutorService executor, Duration interval) {
        if (interval.isZero() || task != null) {
            return;
        }
        startedNanos = System.nanoTime();
        lastTickNanos = startedNanos;
        BrokerStats initial = stats.get();
        for (Load load : loads) {
            load.lastCount = load.counter.applyAsLong(initial);
        }
        task = executor.scheduleAtFixedRate(this::tickSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops publishing; the retained values stay as they were. */
    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void tickSafely() {
        try {
            tick(System.nanoTime());
        } catch (RuntimeException e) {
            // Thrown out of a periodic task, it would end the schedule for good.
            log.warn("could not publish the $SYS topics", e);
        }
    }

    private void tick(long nowNanos) {
        BrokerStats now = stats.get();
        publishIfChanged("version", VERSION);
        publishAlways("uptime", (nowNanos - startedNanos) / 1_000_000_000L + " seconds");

        publishIfChanged("clients/connected", now.connections());
        publishIfChanged("clients/total", now.sessions());
        publishIfChanged("clients/disconnected", Math.max(0, now.sessions() - now.connections()));

        publishIfChanged("messages/received", now.messagesReceived());
        publishIfChanged("messages/sent", now.messagesSent());
        publishIfChanged("messages/dropped", now.droppedQos0() + now.droppedQueueFull() + now.droppedTooLarge());
        publishIfChanged("messages/expired", now.expired());
        publishIfChanged("messages/queued", now.queued());
        publishIfChanged("messages/inflight", now.inFlight());
        publishIfChanged("messages/queued/bytes", now.queuedMemoryBytes());
        publishIfChanged("messages/queue-budget-full", now.queueBudgetFull());
        publishIfChanged("bytes/received", now.bytesReceived());
        publishIfChanged("bytes/sent", now.bytesSent());

        publishIfChanged("retained messages/count", retainedCount.getAsInt());
        publishIfChanged("subscriptions/count", subscriptionCount.getAsInt());

        double elapsedSeconds = (nowNanos - lastTickNanos) / 1e9;
        boolean update = elapsedSeconds >= 0.001; // the first tick comes at once: no interval to measure yet
        if (update) {
            lastTickNanos = nowNanos;
        }
        for (Load load : loads) {
            if (update) {
                load.update(load.counter.applyAsLong(now), elapsedSeconds);
            }
            for (int i = 0; i < LOAD_MINUTES.length; i++) {
                publishIfChanged("load/" + load.name + "/" + LOAD_MINUTES[i] + "min",
                        String.format(Locale.ROOT, "%.2f", load.averages[i]));
            }
        }
    }

    private void publishIfChanged(String topic, long value) {
        publishIfChanged(topic, Long.toString(value));
    }

    private void publishIfChanged(String topic, String value) {
        if (!value.equals(published.put(topic, value))) {
            publishAlways(topic, value);
        }
    }

    private void publishAlways(String topic, String value) {
        published.put(topic, value);
        publish.accept(Message.of(PREFIX + topic, value, QoS.AT_MOST_ONCE, true));
    }

    /** This build's version, from the resource Maven fills in, else from the jar's manifest. */
    private static String version() {
        try (InputStream in = SysTopicPublisher.class.getResourceAsStream("/io/tributary/broker/broker.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null && !version.isBlank() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            log.debug("cannot read the broker version", e);
        }
        String manifest = SysTopicPublisher.class.getPackage().getImplementationVersion();
        return manifest != null ? manifest : "unknown";
    }

    /** Mosquitto's load: the rate of one counter per minute, averaged over 1, 5 and 15 minutes. */
    private static final class Load {
        final String name;
        final ToLongFunction<BrokerStats> counter;
        final double[] averages = new double[LOAD_MINUTES.length];
        long lastCount;

        Load(String name, ToLongFunction<BrokerStats> counter) {
            this.name = name;
            this.counter = counter;
        }

        void update(long count, double elapsedSeconds) {
            double perMinute = (count - lastCount) * 60.0 / elapsedSeconds;
            lastCount = count;
            for (int i = 0; i < averages.length; i++) {
                double weight = Math.exp(-elapsedSeconds / (60.0 * LOAD_MINUTES[i]));
                averages[i] = perMinute + weight * (averages[i] - perMinute);
            }
        }
    }
}
