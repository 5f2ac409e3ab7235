package io.tributary.connectors.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link on the HiveMQ MQTT client, MQTT 5 or 3.1.1 ({@link LinkClient}; what 3.1.1 lacks is in {@link Mqtt3LinkClient}). Chosen over Paho, whose 1.2.5 client can hang for good in a connect
 * attempt after the broker is killed (see docs/design/external-brokers.md): this one has a CONNACK timeout, manual
 * acknowledgement that holds PUBACK and PUBREC, and Receive Maximum.
 *
 * <ul>
 *   <li>One flow for every message, registered before the first connect: the client acknowledges at once a message
 *       that arrives with no flow to take it, such as one of the resumed session (hivemq-mqtt-client #254).</li>
 *   <li>Acknowledgements leave in the order the messages arrived (the client holds a later one until the earlier
 *       ones are acknowledged), so a message that a route failed holds back those after it, up to Receive
 *       Maximum; the broker then sends nothing more.</li>
 *   <li>A failed message is therefore followed by a <em>recycle</em>: the link disconnects, keeping its session, and
 *       {@code reconnectMaxDelay} after the DISCONNECT completed, a new client with the same identifier connects
 *       ({@link #renew}). The broker then sends every unacknowledged message again (with DUP): the failed one and
 *       those in flight behind it, which may have reached their sink already. A new client, because the old one
 *       would keep holding the later acknowledgements behind the failed message's, and would take a QoS 2 message
 *       sent again as a repeat of the one it tracks and not hand it to the routes. The old client first finishes
 *       its publishes, new ones waiting for the new client (see the packet identifiers below).</li>
 *   <li>At other disconnects (the broker went away) the same client reconnects: it forgets the QoS 1 messages still
 *       with the routes, which the broker sends again as new ones, and keeps the QoS 2 ones, whose PUBREC goes out on
 *       the new connection once their routes have them ({@link #releaseHeld()}).</li>
 *   <li>Every connect sends the routes' SUBSCRIBEs again, so a session the broker lost is rebuilt; in a resumed
 *       session they only replace themselves, and over MQTT 5 retained messages are not sent again (over 3.1.1
 *       they are: it has no retain handling).</li>
 *   <li>Publishes complete on the broker's PUBACK (QoS 1) or PUBCOMP (QoS 2): the client's future for a QoS 2
 *       publish keeps the PUBREC's result until the PUBCOMP came (hivemq-mqtt-client 1.3.10, {@code MqttAckSingle}
 *       and {@code MqttOutgoingQosHandler}). While the link is down the client keeps them and sends them again once
 *       it is back, in a resumed session (the PUBLISH with DUP, or the PUBREL), so a publish waits up to {@code
 *       publishTimeout} rather than failing at once; one still waiting then fails and its route retries, which may
 *       publish it twice.</li>
 *   <li>Packet identifiers belong to a client object: each new one takes them from 1 up, the lowest free first, and
 *       knows nothing of an older one's. A QoS 2 exchange an old client left unfinished (the broker has the PUBLISH
 *       but no PUBREL) keeps its identifier in the broker's session, and a broker that delivers on PUBLISH
 *       (Tributary, HiveMQ, EMQX) takes the new client's next, different publish with that identifier for a repeat:
 *       PUBREC, no delivery, and the route sees it acknowledged. So {@link #renew} lets the old client finish its
 *       publishes first; after a {@link #rebuild}, which cannot, up to one later publish per exchange left
 *       unfinished (at most {@code maxInFlight}) can be lost this way. Mosquitto compares the content, drops the
 *       old message (which the link failed, so its route retries it) and takes the new one.</li>
 *   <li>A {@link LinkWatchdog} looks at the link every second: a client that is connected but gets no acknowledgement
 *       for a publish within {@code publishTimeout} (hivemq-mqtt-client #350) disconnects and reconnects
 *       {@code reconnectMaxDelay} later (the same client: no message failed), and one whose reconnecting
 *       went silent is rebuilt: a new client with the same identifier, which resumes the session; the publishes the
 *       old one held fail, and their routes retry them (see the packet identifiers above).</li>
 * </ul>
 */
public final class HiveMqLink implements MqttLink {

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqLink.class);

    /** Publishes that may wait for a place in the window, per place: past them a publish fails and is retried. */
    static final int MAX_WAITING_PER_PLACE = 10;
    /** How often the watchdog looks at each link. */
    static final long WATCHDOG_PERIOD_MILLIS = 1000;

    /** One thread watches every link; each look is short and never waits. */
    private static final class Watchdogs {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tributary-link-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A message from the broker with the routes: acknowledged once, when they have it, or when its connection ended
     * (QoS 0 and 1) or its client was given up (any QoS); see {@link #releaseHeld()} and {@link
     * #releaseHeldOfOlderClients(int)}.
     */
    private static final class Held {
        private final Runnable acknowledge;
        private final boolean exactlyOnce;
        /** The client that got it ({@link #generation}). */
        private final int generation;
        private final AtomicBoolean released = new AtomicBoolean();

        Held(Runnable acknowledge, boolean exactlyOnce, int generation) {
            this.acknowledge = acknowledge;
            this.exactlyOnce = exactlyOnce;
            this.generation = generation;
        }

        /** Acknowledges to the client, the first time only; false when released already. */
        boolean release() {
            if (!released.compareAndSet(false, true)) {
                return false;
            }
            acknowledge.run();
            return true;
        }
    }

    /** A publish handed to a client: when, by which client, and how it ends. */
    private record Pending(long since, int generation, String topic, CompletableFuture<Void> done) {
    }

    private final LinkSettings settings;
    /** The client; a new one after a rebuild. */
    private volatile LinkClient client;
    /** Which client is current: the listeners of an older one only make it stop. */
    private final AtomicInteger generation = new AtomicInteger();
    private final LinkWatchdog watchdog;
    private volatile ScheduledFuture<?> watching;
    /** The publishes handed to a client and not yet settled, in the order they were handed over. */
    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private final AtomicLong publishNumbers = new AtomicLong();
    /** The messages from the broker that the routes have not finished. */
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private final LinkDispatcher dispatcher;
    private final LinkCounts counts = new LinkCounts();
    private final PublishWindow window;
    private final AtomicBoolean recycling = new AtomicBoolean();
    /** Guards {@link #parked}, and {@link #client} with {@link #generation}: changed together, read together. */
    private final Object handoff = new Object();
    /**
     * While a {@link #renew} is under way: the publishes waiting for the new client, each holding its place in the
     * window (so at most {@code maxInFlight}); null otherwise.
     */
    private ArrayDeque<Runnable> parked;
    /** The generation of the client being renewed: the parked publishes wait for a newer one. */
    private int parkedFrom;
    /** Counts connects and disconnects, so that the end of a connect's subscribing knows if it is still current. */
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean stopping;
    /** Connected and subscribed: what readiness reports. */
    private volatile boolean connected;
    /** Connected, subscribed or not yet: a subscription added now is sent now. */
    private volatile boolean sessionOpen;
    private volatile long downSince = System.nanoTime();
    private volatile String downReason = "not connected yet";
    private volatile long upSince = System.nanoTime();
    /** When the client last connected or reported a failed attempt, or the watchdog acted. */
    private volatile long lastEvent = System.nanoTime();
    private volatile String recycleReason = "";

    public HiveMqLink(LinkSettings settings) {
        this.settings = settings;
        this.dispatcher = new LinkDispatcher(settings.name(), settings.maxHops(), counts,
                error -> renew("a route failed a message (" + describe(error) + "); it stays unacknowledged"));
        this.window = new PublishWindow(settings.maxInFlight(), MAX_WAITING_PER_PLACE * settings.maxInFlight());
        this.watchdog = new LinkWatchdog(settings.publishTimeout(), LinkWatchdog.stallLimit(settings));
        this.client = newClient(0);
    }

    /**
     * A client whose listeners act for the link while it is the current one ({@code generation}), and afterwards
     * only make it stop.
     */
    private LinkClient newClient(int generation) {
        LinkClient[] self = new LinkClient[1];
        MqttClientBuilder builder = MqttClient.builder()
                .identifier(settings.clientId())
                .transportConfig(transport(settings))
                .automaticReconnect()
                .initialDelay(LinkSettings.RECONNECT_INITIAL_DELAY.toMillis(), TimeUnit.MILLISECONDS)
                .maxDelay(settings.reconnectMaxDelay().toMillis(), TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> {
                    if (generation == this.generation.get()) {
                        onConnected();
                    } else {
                        self[0].disconnect();
                    }
                })
                .addDisconnectedListener(context -> {
                    if (generation == this.generation.get()) {
                        onDisconnected(context);
                    } else {
                        context.getReconnector().reconnect(false);
                    }
                });
        // Each registers its flow before any connect, with manual acknowledgement: see the class comment.
        self[0] = switch (settings.version()) {
            case MQTT_5 -> new Mqtt5LinkClient(builder.useMqttVersion5(), settings,
                    (topic, read, acknowledge) -> onPublish(generation, topic, read, acknowledge));
            case MQTT_3_1_1 -> new Mqtt3LinkClient(builder.useMqttVersion3(), settings,
                    (topic, read, acknowledge) -> onPublish(generation, topic, read, acknowledge));
        };
        return self[0];
    }

    @Override
    public void start() {
        lastEvent = System.nanoTime();
        client.connect();
        // A failed attempt goes to the disconnected listener, which logs it; the client keeps trying.
        watching = Watchdogs.EXECUTOR.scheduleWithFixedDelay(this::watch, WATCHDOG_PERIOD_MILLIS,
                WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public AutoCloseable subscribe(LinkSubscription subscription) {
        AutoCloseable handle = dispatcher.add(subscription);
        // After the add: either onConnected's list has it, or this sees the session open (twice is harmless).
        if (sessionOpen) {
            sendSubscribe(subscription);
        }
        return handle;
    }

    @Override
    public LinkState state() {
        if (connected) {
            return new LinkState(true, "up");
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - downSince);
        return new LinkState(false, "down: not connected for " + seconds + " s: " + downReason);
    }

    @Override
    public CompletableFuture<Void> publish(Message message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Message hopped;
        Supplier<CompletableFuture<Void>> publish;
        LinkClient preparedFor = client;
        try {
            hopped = LinkHops.next(message);
            publish = preparedFor.prepare(hopped);
        } catch (RuntimeException e) {
            return failed(new LinkPublishException("cannot publish to " + settings.name() + ": " + describe(e), e));
        }
        if (stopping) {
            return failed(new LinkPublishException("the link to " + settings.name() + " is closed"));
        }
        boolean taken = window.submit(() -> send(hopped, preparedFor, publish, done));
        if (!taken) {
            return failed(new LinkPublishException("the link to " + settings.name() + " has " + window.waiting()
                    + " publishes waiting for a place already"));
        }
        long timeout = settings.publishTimeout().toMillis();
        return done.orTimeout(timeout, TimeUnit.MILLISECONDS).exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            counts.publishFailed.incrementAndGet();
            return CompletableFuture.failedFuture(cause instanceof TimeoutException
                    ? new LinkPublishException("no acknowledgement from " + settings.name() + " within " + timeout
                            + " ms (" + state().description() + ")") : cause);
        });
    }

    /**
     * Hands {@code publish} to the current client (prepared again if the client was replaced while it waited), unless
     * its route gave up on it while it waited for a place.
     */
    private void send(Message message, LinkClient preparedFor, Supplier<CompletableFuture<Void>> publish,
                      CompletableFuture<Void> done) {
        if (done.isDone()) {
            window.release();
            return;
        }
        LinkClient target;
        int current;
        long number;
        synchronized (handoff) {
            if (parked != null) {
                // A renew lets the old client finish first; the place in the window stays taken meanwhile.
                parked.add(() -> send(message, preparedFor, publish, done));
                return;
            }
            target = client;
            current = generation.get();
            number = publishNumbers.incrementAndGet();
            counts.inFlightOut.incrementAndGet();
            pending.put(number, new Pending(System.nanoTime(), current, message.topic(), done));
        }
        CompletableFuture<Void> sent;
        try {
            sent = (target == preparedFor ? publish : target.prepare(message)).get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((result, error) -> settle(number, error instanceof CompletionException
                && error.getCause() != null ? error.getCause() : error));
    }

    /**
     * Ends a publish handed to a client: with the client's result, or with a failure when the watchdog rebuilt the
     * client that held it (that client may never answer). Only the first call counts.
     */
    private void settle(long number, Throwable failure) {
        Pending publish = pending.remove(number);
        if (publish == null) {
            return;
        }
        counts.inFlightOut.decrementAndGet();
        window.release();
        if (failure == null) {
            // Counted before completing: the completion runs the route on at once (a device's PUBACK), and whoever
            // sees that must see the count too.
            counts.published.incrementAndGet();
            if (!publish.done().complete(null)) {
                counts.published.decrementAndGet();
            }
        } else {
            publish.done().completeExceptionally(new LinkPublishException(settings.name() + " did not take the "
                    + "publish to " + publish.topic() + ": " + describe(failure), failure));
        }
    }

    private CompletableFuture<Void> failed(LinkPublishException error) {
        counts.publishFailed.incrementAndGet();
        return CompletableFuture.failedFuture(error);
    }

    @Override
    public LinkCounts counts() {
        return counts;
    }

    @Override
    public void stopTaking() {
        dispatcher.stopTaking();
    }

    @Override
    public void close() {
        stopping = true;
        ScheduledFuture<?> watch = watching;
        if (watch != null) {
            watch.cancel(false);
        }
        try {
            // Keeps the session: the broker holds the subscriptions and what is published meanwhile.
            client.disconnect().get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Not connected (the client is between attempts, hivemq-mqtt-client #675): the disconnected listener
            // stops the reconnecting on its next call.
            LOG.debug("Link {}: disconnect: {}", settings.name(), describe(e));
        }
        sendParked();
    }

    /**
     * Subscribes again, then counts as up: readiness says "up" once a message published now reaches the routes.
     * A SUBACK of an earlier connection, arriving late, changes nothing.
     */
    private void onConnected() {
        if (stopping) {
            // A reconnect that was under way when close() found the client not connected.
            client.disconnect();
            return;
        }
        long connection = connections.incrementAndGet();
        lastEvent = System.nanoTime();
        // Before the flag falls: a renew that starts now must not find the last one's publishes still parked.
        sendParked();
        recycling.set(false);
        sessionOpen = true;
        CompletableFuture<?>[] subscribed = dispatcher.subscriptions().stream().map(this::sendSubscribe)
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(subscribed).whenComplete((done, error) -> {
            if (connections.get() == connection) {
                upSince = System.nanoTime();
                connected = true;
                LOG.info("Link {}: connected to {}:{} as {}", settings.name(), settings.host(), settings.port(),
                        settings.clientId());
            }
        });
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        lastEvent = System.nanoTime();
        markDown(describe(context.getCause()));
        releaseHeld();
        if (stopping) {
            context.getReconnector().reconnect(false);
            return;
        }
        int receiveMaximum = client.adaptReceiveMaximum(context);
        if (receiveMaximum > settings.maxInFlight()) {
            LOG.warn("Link {}: {} sent more unacknowledged messages than Receive Maximum allowed; the next connect "
                    + "allows {}", settings.name(), settings.host(), receiveMaximum);
        }
        if (context.getSource() == MqttDisconnectSource.USER && recycling.getAndSet(false)) {
            downReason = "recycled: " + recycleReason;
            context.getReconnector().reconnect(true)
                    .delay(settings.reconnectMaxDelay().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        // Once per outage: the attempts that follow fail the same way until the broker is back.
        if (context.getReconnector().getAttempts() == 0) {
            LOG.warn("Link {}: not connected to {}:{}: {}; reconnecting", settings.name(), settings.host(),
                    settings.port(), downReason);
        }
    }

    private CompletableFuture<?> sendSubscribe(LinkSubscription subscription) {
        return client.subscribe(subscription).whenComplete((refused, error) -> {
            if (error != null) {
                LOG.warn("Link {}: subscribing to {} failed: {}", settings.name(), subscription.subscribedFilter(),
                        describe(error));
            } else if (refused.isPresent()) {
                LOG.warn("Link {}: the broker refused the subscription to {}: {}", settings.name(),
                        subscription.subscribedFilter(), refused.get());
            }
        });
    }

    private void onPublish(int generation, String topic, Supplier<Message> read, Runnable acknowledge) {
        Message message;
        try {
            message = read.get();
        } catch (RuntimeException e) {
            // Cannot happen with a broker that follows the protocol; acknowledged so it does not block the others.
            LOG.warn("Link {}: dropped a message on {} that could not be read: {}", settings.name(), topic,
                    describe(e));
            acknowledge.run();
            return;
        }
        Held held = new Held(acknowledge, message.qos() == QoS.EXACTLY_ONCE, generation);
        this.held.add(held);
        dispatcher.dispatch(message, () -> {
            this.held.remove(held);
            return held.release();
        });
    }

    /**
     * Lets the client forget the messages that came on a connection that ended and are still with the routes.
     *
     * <p>At QoS 1 it keeps each until acknowledged, and counts them against Receive Maximum with those of the next
     * connection, on which the broker sends them again as new messages: unreleased, they would overflow it, and the
     * client would disconnect at every reconnect (seen with Mosquitto after a kill -9 while messages were in flight).
     * No PUBACK goes out for them (the client sends none for a connection that ended): the broker still owns them,
     * and their copies of the new connection are acknowledged once delivered.
     *
     * <p>A QoS 2 message is kept ({@code all} false): the client takes the broker's resend (DUP, same packet
     * identifier) as the one it tracks and hands nothing to the routes, so the PUBREC must wait for the routes. Once
     * acknowledged, the client would instead answer that resend with PUBREC at once: the broker would drop a message
     * no route delivered; when the client holding them is given up, {@link #releaseHeldOfOlderClients} lets them go.
     */
    private void releaseHeld() {
        for (Held message : held) {
            if (!message.exactlyOnce) {
                held.remove(message);
                message.release();
            }
        }
    }

    /**
     * Lets go of every message that clients older than {@code current} got, once such a client was given up ({@link
     * #renew}, {@link #rebuild}) and its DISCONNECT went out (before it, an acknowledgement could reach the broker
     * for a message no route delivered): that client sends nothing more, and the new one gets them from the broker as
     * new messages. Without this, a message a route failed, and QoS 2 messages, would stay in {@link #held} for good,
     * with the old client they refer to.
     */
    private void releaseHeldOfOlderClients(int current) {
        for (Held message : held) {
            if (message.generation < current) {
                held.remove(message);
                message.release();
            }
        }
    }

    /**
     * What follows a message that a route failed: the link disconnects, keeping its session, and {@code
     * reconnectMaxDelay} after the DISCONNECT completed, a new client with the same identifier connects and resumes
     * the session; the broker sends it every unacknowledged message again. A new client rather than the same one
     * reconnecting: the old one still tracks the failed message, holds every later acknowledgement behind it (it
     * acknowledges in arrival order: HiveMQ CE, which sends the next message only after the previous one's
     * acknowledgement, would then send nothing more), and at QoS 2 takes the broker's resend as a repeat of it and
     * never hands it to the routes. One at a time: failures of the messages in flight with the first one add nothing.
     *
     * <p>First the old client finishes its publishes, for {@code publishTimeout} at most, while new ones wait for the
     * new client ({@link #parked}). The new client numbers its packets afresh and knows nothing of the old one's: a
     * QoS 2 exchange the old one left unfinished would leave its packet identifier with the broker, which would take
     * the new client's next, different publish with that identifier for a repeat, and answer PUBREC without
     * delivering it (MQTT 5 and 3.1.1 section 4.3.3; Tributary's broker, HiveMQ and EMQX do so; Mosquitto compares
     * the content and takes the new one). A publish that does not finish in time fails, as every publish the old
     * client still holds at the DISCONNECT, and its route retries it; its identifier may then stay with the broker,
     * as after a {@link #rebuild}.
     */
    private void renew(String why) {
        if (stopping || !recycling.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<?>[] unfinished;
        synchronized (handoff) {
            if (parked != null) {
                return;
            }
            parked = new ArrayDeque<>();
            int current = generation.get();
            parkedFrom = current;
            unfinished = pending.values().stream().filter(publish -> publish.generation() == current)
                    .map(Pending::done).toArray(CompletableFuture[]::new);
        }
        recycleReason = why;
        counts.recycles.incrementAndGet();
        LOG.warn("Link {}: {}; the link reconnects with a new client, keeping its session, once the {} publishes "
                + "in flight are acknowledged", settings.name(), why, unfinished.length);
        CompletableFuture.allOf(unfinished)
                .completeOnTimeout(null, settings.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((done, failed) -> replaceRenewed(why), Watchdogs.EXECUTOR);
    }

    /** The second half of {@link #renew}, once the old client's publishes are finished or have had their time. */
    private void replaceRenewed(String why) {
        if (stopping || generation.get() != parkedFrom) {
            // close() disconnected the client, and the waiting publishes fail at once; or the watchdog rebuilt it
            // meanwhile, and the new client it made (which sent them once connected) is what the renew was for.
            sendParked();
            return;
        }
        LinkClient old;
        int current;
        synchronized (this) {
            old = replaceClient("recycled: " + why);
            current = generation.get();
            lastEvent = System.nanoTime();
        }
        long unfinished = pending.values().stream().filter(publish -> publish.generation() < current).count();
        if (unfinished > 0) {
            LOG.warn("Link {}: {} publishes still unacknowledged as the link renews its client; they fail and their "
                    + "routes retry them", settings.name(), unfinished);
        }
        old.disconnect().whenComplete((done, notConnected) -> {
            releaseHeldOfOlderClients(current);
            abandonPublishes(current, "the link was recycled while it held the publish");
            Watchdogs.EXECUTOR.schedule(() -> {
                if (!stopping && generation.get() == current) {
                    lastEvent = System.nanoTime();
                    client.connect();
                }
            }, settings.reconnectMaxDelay().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Hands the publishes that waited during a renew to the new client once it connected (a client in its first
     * connect attempt refuses publishes), or, when the link is closed, to the disconnected one, which fails them.
     */
    private void sendParked() {
        ArrayDeque<Runnable> waiting;
        synchronized (handoff) {
            if (parked == null || !stopping && generation.get() <= parkedFrom) {
                return;
            }
            waiting = parked;
            parked = null;
        }
        waiting.forEach(Runnable::run);
    }

    /**
     * The watchdog's recycle: disconnects, keeping the session, and the same client reconnects {@code
     * reconnectMaxDelay} later; the broker then sends the unacknowledged messages again, and the client its
     * unacknowledged publishes. After a route failed a message it is {@link #renew} instead. One at a time.
     */
    private void recycle(String why) {
        if (stopping || !recycling.compareAndSet(false, true)) {
            return;
        }
        recycleReason = why;
        counts.recycles.incrementAndGet();
        // Down from now: the client reports the disconnect only once the broker closed the connection, which a hung
        // broker never does (the client waits 10 s for it).
        markDown("recycled: " + why);
        LOG.warn("Link {}: {}; the link reconnects in {} ms, keeping its session", settings.name(), why,
                settings.reconnectMaxDelay().toMillis());
        client.disconnect().whenComplete((done, notConnected) -> {
            if (notConnected != null) {
                // Already down: the reconnect under way brings the message again.
                recycling.set(false);
            }
        });
    }

    /** The watchdog's look at the link, every second; see {@link LinkWatchdog}. */
    private void watch() {
        try {
            if (stopping) {
                return;
            }
            long now = System.nanoTime();
            Map.Entry<Long, Pending> oldest = pending.firstEntry();
            LinkWatchdog.Observed observed = new LinkWatchdog.Observed(connected, upSince, client.connected(),
                    lastEvent, oldest == null ? OptionalLong.empty() : OptionalLong.of(oldest.getValue().since()));
            LinkWatchdog.Action action = watchdog.check(now, observed);
            if (action == LinkWatchdog.Action.NONE) {
                return;
            }
            String why = "watchdog: " + watchdog.reason(action, now, observed);
            lastEvent = now;
            if (action == LinkWatchdog.Action.RECYCLE) {
                // Counted as up again only once the recycle reconnected.
                upSince = now;
                recycle(why);
            } else {
                rebuild(why);
            }
        } catch (RuntimeException e) {
            // The next look tries again; an exception here would end the schedule.
            LOG.warn("Link {}: watchdog: {}", settings.name(), describe(e));
        }
    }

    /**
     * Gives up the current client for a new one with the same identifier, which resumes the session. The old client
     * is told to disconnect and, at its next event, to stop reconnecting; the publishes it holds fail, so that their
     * routes retry them through the new one (at least once: the old one may have sent them).
     *
     * <p>Unlike {@link #renew}, nothing waits for the old client, which has no connection to finish anything on. A QoS
     * 2 exchange it left between PUBLISH and PUBCOMP may leave its packet identifier with the broker; with a broker
     * that delivers on PUBLISH, the new client's first other publish with that identifier is then taken for a repeat
     * and lost (its route sees it acknowledged). Left so: a rebuild is rare (the client's reconnecting went silent for
     * the stall limit), the loss is bounded by the exchanges left unfinished, the client offers no way to start its
     * packet identifiers elsewhere, and a clean start would drop the session's queued messages instead.
     */
    private synchronized void rebuild(String why) {
        if (stopping) {
            return;
        }
        counts.rebuilds.incrementAndGet();
        LOG.warn("Link {}: {}; building a new client for {}:{} (same identifier, same session)", settings.name(), why,
                settings.host(), settings.port());
        LinkClient old = replaceClient("rebuilt: " + why);
        int current = generation.get();
        old.disconnect().whenComplete((done, notConnected) -> releaseHeldOfOlderClients(current));
        abandonPublishes(current, "the client holding the publish was rebuilt");
        client.connect();
    }

    /**
     * Makes a new client the current one, not yet connected, and gives back the old one, whose listeners from now on
     * only make it stop. The link is down until the new one connected.
     */
    private synchronized LinkClient replaceClient(String reason) {
        LinkClient old = client;
        // With the generation, so that send() hands a publish to the client its generation names.
        synchronized (handoff) {
            client = newClient(generation.incrementAndGet());
        }
        markDown(reason);
        return old;
    }

    /** Fails the publishes handed to clients older than {@code generation}, so that their routes retry them. */
    private void abandonPublishes(int generation, String why) {
        LinkPublishException abandoned = new LinkPublishException(why);
        pending.forEach((number, publish) -> {
            if (publish.generation() < generation) {
                settle(number, abandoned);
            }
        });
    }

    /**
     * Readiness says down from now, for {@code reason}; a subscribing still under way no longer brings the link up,
     * and a subscription added now waits for the next connect.
     */
    private void markDown(String reason) {
        connections.incrementAndGet();
        sessionOpen = false;
        if (connected) {
            connected = false;
            downSince = System.nanoTime();
        }
        downReason = reason;
    }

    /**
     * Where and how the client connects; with TLS, the files are read here.
     *
     * @throws IllegalArgumentException naming the file when a TLS file cannot be read
     */
    private static MqttClientTransportConfig transport(LinkSettings settings) {
        MqttClientTransportConfigBuilder builder = MqttClientTransportConfig.builder()
                .serverHost(settings.host())
                .serverPort(settings.port())
                .socketConnectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (settings.tls().isPresent()) {
            builder = builder.sslConfig(settings.tls().get().sslConfig());
        }
        return builder.build();
    }

    private static String describe(Throwable error) {
        if (error == null) {
            return "unknown";
        }
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
