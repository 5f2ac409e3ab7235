package io.tributary.routes.buffer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.tributary.bridge.camel.MessageBuffer;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.routes.spi.PartStartException;
import io.tributary.store.Durability;
import io.tributary.storage.OwnerOnlyFiles;
import io.tributary.store.RocksStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffers of the routes with {@code ack: buffer}: one {@link RocksStore} in {@code DATA-DIRECTORY/buffers}
 * for all of them (one writer thread, one fsync per batch whatever the number of routes), a {@link RouteBuffer}
 * per route name that outlives reloads, one forwarding thread for all (it only reads ahead and starts
 * deliveries; the sinks do their work on their own threads), and the buffers' meters.
 *
 * <p>The store is opened only when a route asks for a buffer, or at start when the folder exists (to find what
 * a previous run left). A buffer whose route is gone, or no longer buffered, keeps its messages: a warning names
 * the route, and a route of that name with {@code ack: buffer} forwards them when it comes back.
 */
public final class RouteBuffers implements AutoCloseable {

    /** The folder under the data directory where the buffers live. */
    public static final String FOLDER = "buffers";

    private static final Logger LOG = LoggerFactory.getLogger(RouteBuffers.class);

    private final Path directory;
    private final MeterRegistry registry;
    private final ScheduledExecutorService forwarding = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tributary-buffer-forwarding");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, RouteBuffer> buffers = new ConcurrentHashMap<>();
    /** The names of the routes that run with a buffer now. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private RocksStore store;
    /** What the store held at its opening, by route, until each route's buffer is made. */
    private Map<String, RouteBuffer.Contents> found = Map.of();

    private RouteBuffers(Path directory, MeterRegistry registry) {
        this.directory = directory;
        this.registry = registry;
    }

    /**
     * The buffers under {@code dataDirectory}; the store is opened now if a route of {@code routes} is buffered
     * or a previous run left buffers, and what they hold that no route takes is warned about.
     *
     * @throws PartStartException if the store cannot be opened (in use by another process, damaged)
     */
    public static RouteBuffers open(Path dataDirectory, MeterRegistry registry, List<RouteSettings> routes) {
        RouteBuffers buffers = new RouteBuffers(dataDirectory.resolve(FOLDER), registry);
        if (routes.stream().anyMatch(RouteSettings::buffered) || Files.isDirectory(buffers.directory)) {
            buffers.openStore();
            Set<String> buffered = new java.util.HashSet<>();
            routes.stream().filter(RouteSettings::buffered).forEach(route -> buffered.add(route.name()));
            buffers.found.forEach((name, contents) -> {
                if (!buffered.contains(name) && contents.messages() > 0) {
                    warnOrphan(name, contents.messages(), contents.bytes());
                }
            });
        }
        return buffers;
    }

    /**
     * The buffer of {@code route}, made (and the store opened) on first use, with the route's current bounds;
     * the route now counts as buffered for readiness.
     *
     * @throws PartStartException if the store cannot be opened
     */
    public synchronized MessageBuffer forRoute(RouteSettings route) {
        if (store == null) {
            openStore();
        }
        RouteBuffer buffer = buffers.computeIfAbsent(route.name(), name -> {
            RouteBuffer made = new RouteBuffer(name, store, forwarding, route.buffer(), route.retry().maxBackoff(),
                    found.getOrDefault(name, RouteBuffer.Contents.EMPTY));
            bindMeters(made);
            return made;
        });
        buffer.configure(route.buffer(), route.retry().maxBackoff());
        active.add(route.name());
        return buffer;
    }

    /**
     * Says that the route {@code name} no longer runs with a buffer (removed, or changed to {@code ack: sink}):
     * a warning names it if its buffer still holds messages, which stay.
     */
    public void retire(String name) {
        active.remove(name);
        RouteBuffer buffer = buffers.get(name);
        if (buffer != null && buffer.depth() > 0) {
            warnOrphan(name, buffer.depth(), buffer.bytes());
        }
    }

    /**
     * The running buffered routes whose buffer is at or above its {@code unready-at} percent of a bound, each
     * with a sentence saying how full: what {@code /health/ready} reports.
     */
    public Map<String, String> overThreshold() {
        Map<String, String> over = new LinkedHashMap<>();
        for (String name : List.copyOf(active)) {
            RouteBuffer buffer = buffers.get(name);
            if (buffer == null) {
                continue;
            }
            RouteBuffer.Fill fill = buffer.fill();
            if (fill.percent() >= buffer.settings().unreadyAtPercent()) {
                over.put(name, String.format(Locale.ROOT, "buffer at %.0f%% of %s (%d messages, %d bytes)",
                        fill.percent(), fill.bound(), buffer.depth(), buffer.bytes()));
            }
        }
        return over;
    }

    private static void warnOrphan(String name, long messages, long bytes) {
        LOG.warn("The buffer of route {} holds {} messages ({} bytes) that no route forwards: no route of that name "
                + "runs with ack: buffer. They are kept, and forwarded once it does", name, messages, bytes);
    }

    private void openStore() {
        try {
            // Device data: readable by the owner only, as the broker's state.
            OwnerOnlyFiles.createDirectories(directory);
            store = RocksStore.open(directory, Durability.sync());
        } catch (IOException e) {
            throw new PartStartException("the route buffers cannot be opened: " + e.getMessage(), e);
        }
        try {
            found = scan(store);
        } catch (IOException e) {
            store.close();
            store = null;
            throw new PartStartException("the route buffers in " + directory + " cannot be read: " + e.getMessage(),
                    e);
        }
        long messages = found.values().stream().mapToLong(RouteBuffer.Contents::messages).sum();
        if (messages > 0) {
            LOG.info("Route buffers in {}: {} messages of {} routes to forward", directory, messages, found.size());
        }
    }

    /** What each route's buffer holds: read once at opening, key by key, without decoding the messages. */
    private static Map<String, RouteBuffer.Contents> scan(RocksStore store) throws IOException {
        Map<String, long[]> stats = new HashMap<>(); // messages, bytes, first, last, oldest
        List<String> foreign = new ArrayList<>();
        store.scan(new byte[0], (key, value) -> {
            String route = BufferKeys.route(key);
            if (route == null) {
                foreign.add(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1));
                return true;
            }
            long sequence = BufferKeys.sequence(key);
            long[] s = stats.computeIfAbsent(route, r -> new long[] {0, 0, sequence, sequence,
                    StoredMessage.receivedAt(value)});
            s[0]++;
            s[1] += value.length;
            s[3] = sequence;
            return true;
        });
        if (!foreign.isEmpty()) {
            LOG.warn("The route buffers hold {} keys not laid out as a buffer's; they are ignored", foreign.size());
        }
        Map<String, RouteBuffer.Contents> contents = new HashMap<>();
        stats.forEach((route, s) -> contents.put(route, new RouteBuffer.Contents(s[0], s[1], s[2], s[3], s[4])));
        return contents;
    }

    private void bindMeters(RouteBuffer buffer) {
        if (registry == null) {
            return;
        }
        String route = buffer.name();
        Gauge.builder("tributary.route.buffer.messages", buffer, RouteBuffer::depth).tag("route", route)
                .description("messages in the route's buffer, not yet acknowledged by its sink").register(registry);
        Gauge.builder("tributary.route.buffer.size", buffer, RouteBuffer::bytes).tag("route", route)
                .baseUnit(BaseUnits.BYTES).description("bytes of the messages in the route's buffer")
                .register(registry);
        Gauge.builder("tributary.route.buffer.oldest.age", buffer, RouteBuffer::oldestAgeSeconds).tag("route", route)
                .baseUnit("seconds").description("how long the oldest message in the route's buffer has waited")
                .register(registry);
        Gauge.builder("tributary.route.buffer.held", buffer, RouteBuffer::held).tag("route", route)
                .description("QoS 1/2 messages waiting for room in the full buffer; their publishers wait too")
                .register(registry);
        FunctionCounter.builder("tributary.route.buffer.forwarded", buffer, RouteBuffer::forwarded)
                .tag("route", route).description("messages the buffer forwarded and the route completed")
                .register(registry);
        FunctionCounter.builder("tributary.route.buffer.refused", buffer, RouteBuffer::refused).tag("route", route)
                .description("QoS 1/2 messages refused because the buffer was full (when-full: refuse)")
                .register(registry);
        FunctionCounter.builder("tributary.route.buffer.dropped", buffer, RouteBuffer::droppedQos0)
                .tag("route", route).description("QoS 0 messages dropped because the buffer was full")
                .register(registry);
        FunctionCounter.builder("tributary.route.buffer.forward.failures", buffer, RouteBuffer::forwardFailures)
                .tag("route", route).description("messages that failed past the route's retries and stay buffered")
                .register(registry);
    }

    /**
     * Stops forwarding and closes the store, which writes what is queued and fsyncs. Called after the routes
     * stopped: what they had in flight is either acknowledged (and deleted) or still in the buffer for the next
     * start.
     */
    @Override
    public synchronized void close() {
        buffers.values().forEach(RouteBuffer::close);
        forwarding.shutdownNow();
        try {
            forwarding.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
