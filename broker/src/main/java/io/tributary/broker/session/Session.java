package io.tributary.broker.session;

import io.netty.channel.EventLoop;
import io.tributary.broker.BrokerState;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.ConnectedClient;
import io.tributary.broker.Permissions;
import io.tributary.broker.QoS;
import io.tributary.broker.QueueFullPolicy;
import io.tributary.broker.SlowSubscribers;
import io.tributary.broker.delivery.OutboundMessage;
import io.tributary.broker.delivery.PublisherLink;
import io.tributary.broker.delivery.Subscriber;
import io.tributary.broker.logging.LogSafe;
import io.tributary.broker.stats.BrokerCounters;
import io.tributary.broker.subscription.Subscription;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one MQTT client that outlives its connections: subscriptions, the outbound queue, the
 * QoS 1/2 messages in flight to it, and the QoS 2 packet identifiers it has sent and not yet released.
 *
 * <p>Concurrency: publishers on any I/O thread {@link #offer} messages, so the delivery state (queue,
 * in-flight map, attached link) is guarded by this object's monitor, held only for short steps. Writing
 * to the connection happens outside the monitor, always on the link's event loop, in
 * {@link #drain()}; one drain is scheduled at a time, which keeps packets in order.
 */
public final class Session implements Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int DRAIN_BATCH = 256;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final String clientId;
    private final SessionLimits limits;
    private final BrokerCounters counters;
    /** What all sessions' queues hold in memory together: when full, this session's queue is full too. */
    private final QueueBudget budget;
    /** What this session holds of the budget, queued or in flight. */
    private final QueueBudget.Share share;

    /** Subscriptions by raw filter; kept with the session so a persistent session resumes them. */
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /**
     * QoS 2 packet identifiers received and not yet released by PUBREL [MQTT-4.3.3-3], each mapped to whether
     * the message was accepted (PUBREC due): only accepted ones are saved across a restart, so a message whose
     * acknowledgement was still held when the broker stopped is taken again when the client resends it.
     */
    private final Map<Integer, Boolean> inboundQos2 = new ConcurrentHashMap<>();

    /** Taken while a description is written to the journal. */
    private final Object descriptionLock = new Object();

    // Guarded by this.
    private ClientLink link;
    private final SessionQueue queue;
    private final LinkedHashMap<Integer, InFlight> inFlight = new LinkedHashMap<>();
    private final List<PublisherLink> pausedPublishers = new ArrayList<>(2);
    private int nextPacketId = 1;
    private boolean drainScheduled;
    /** Messages taken from the queue for the client, ever: whether it made progress. */
    private long taken;
    /** A check for a stuck client is scheduled. */
    private boolean stuckWatch;
    /** Found stuck while persistent: offers drop by queue-full-policy, not pause, until the queue is half empty. */
    private boolean overflowing;
    /** In-flight messages not yet sent again on the attached link; sent before anything new. */
    private int awaitingResend;
    /** In-flight messages sent on the attached link: what counts against the client's Receive Maximum. */
    private int sentOnLink;
    private volatile boolean ended;
    /**
     * What the client may receive: set from each connection as it attaches, and kept while offline so that the
     * offline queue only takes what the client may read.
     */
    volatile Permissions permissions = Permissions.ALLOW_ALL;
    /**
     * The user name its client last connected with (null: anonymous), saved with the session so that a restart
     * can ask the authorizer for the same permissions; null and {@link #usernameKnown} false until a client
     * attached, or after a restore from a state that did not keep it.
     */
    volatile String username;
    volatile boolean usernameKnown;

    // Written under the SessionRegistry's monitor; volatile, since the journal reads them on other threads.
    volatile int protocolVersion = 4;
    volatile long expirySeconds;
    /** When the last connection closed: session expiry and a delayed will count from here; 0 while attached. */
    volatile long offlineSinceMillis;
    volatile WillMessage will;
    ScheduledFuture<?> willTimer;
    ScheduledFuture<?> expiryTimer;

    /** A session with a budget of its own, {@code limits.maxQueuedBytesTotal()} (for tests). */
    Session(String clientId, SessionLimits limits, BrokerCounters counters) {
        this(clientId, limits, counters, new QueueBudget(limits.maxQueuedBytesTotal(), counters));
    }

    Session(String clientId, SessionLimits limits, BrokerCounters counters, QueueBudget budget) {
        this.clientId = clientId;
        this.limits = limits;
        this.counters = counters;
        this.budget = budget;
        this.share = budget.share();
        this.queue = new SessionQueue(clientId, counters, share);
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** The subscriptions of this session, by filter as subscribed. */
    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** From now on this session writes its state to {@code journal} as it changes (a persistent session). */
    void journalTo(SessionJournal journal) {
        synchronized (this) {
            queue.journalTo(journal);
        }
        saveDescription();
    }

    /** Where this session writes its state, or null. */
    SessionJournal journal() {
        return queue.journal();
    }

    /** What other nodes of a cluster need to know of this session now. */
    public SessionSummary summary() {
        return new SessionSummary(clientId(), link() != null, expirySeconds, protocolVersion, username,
                SessionStates.subscriptions(this));
    }

    /** The subscriptions changed (SUBSCRIBE, UNSUBSCRIBE): written to the journal, if there is one. */
    public void subscriptionsChanged() {
        saveDescription();
    }

    /**
     * Writes the session's description (subscriptions, will, expiry, whether online) to the journal. Descriptions
     * are taken and queued one at a time, so an older one never overwrites a newer one.
     */
    void saveDescription() {
        SessionJournal journal = queue.journal();
        if (journal == null) {
            return;
        }
        synchronized (descriptionLock) {
            if (expirySeconds > 0 && !ended) {
                journal.saveSession(SessionStates.describe(this));
            }
        }
    }

    /**
     * What a QoS 2 PUBREC waits for in a journaled session: {@code hold}, then the identifier written as accepted,
     * so that after a crash a resend of the same message is recognised and not delivered twice.
     */
    public CompletionStage<Void> recordAcceptedQos2(int packetId, CompletionStage<Void> hold) {
        SessionJournal journal = queue.journal();
        if (journal == null) {
            return hold;
        }
        if (hold == null) {
            return journal.acceptInboundQos2(clientId, packetId);
        }
        return hold.thenCompose(ignored -> journal.acceptInboundQos2(clientId, packetId));
    }

    /** Records an inbound QoS 2 packet identifier. @return false if it was already pending (a retransmission) */
    public boolean startInboundQos2(int packetId) {
        return inboundQos2.putIfAbsent(packetId, Boolean.FALSE) == null;
    }

    /** The QoS 2 message with this identifier was accepted: its PUBREC is due, and a resend is not taken again. */
    public void acceptInboundQos2(int packetId) {
        inboundQos2.replace(packetId, Boolean.TRUE);
    }

    /** Releases an inbound QoS 2 packet identifier on PUBREL. @return false if it was unknown */
    public boolean releaseInboundQos2(int packetId) {
        boolean known = inboundQos2.remove(packetId) != null;
        SessionJournal journal = queue.journal();
        if (known && journal != null) {
            journal.releaseInboundQos2(clientId, packetId);
        }
        return known;
    }

    /** How many inbound QoS 2 packet identifiers await PUBREL. */
    public int inboundQos2Count() {
        return inboundQos2.size();
    }

    /** Forgets an inbound QoS 2 identifier whose message was refused, so the client may reuse it. */
    public void abandonInboundQos2(int packetId) {
        inboundQos2.remove(packetId);
    }

    @Override
    public CompletionStage<Void> offer(OutboundMessage message, PublisherLink publisher) {
        // Every delivery passes here (routed, queued offline, retained on subscribe, shared): a wildcard
        // subscription never delivers a topic the client may not read.
        if (!permissions.mayRead(message.message().topic())) {
            return null;
        }
        EventLoop scheduleOn = null;
        CompletableFuture<Void> durable;
        boolean awaitsBudget = false;
        synchronized (this) {
            if (ended) {
                return null;
            }
            if (link == null) {
                return enqueueOffline(message);
            }
            if (isFull()) {
                boolean byBudget = !isFullByOwnBounds();
                if (byBudget) {
                    counters.queueBudgetFull.increment();
                }
                if (overflowing) {
                    // Found stuck: the session holds its publishers no longer, and drops as an offline one does.
                    if (!makeRoom(message, true)) {
                        return null;
                    }
                } else if (message.qos() == QoS.AT_MOST_ONCE
                        && (publisher == null || limits.slowSubscribers().qos0() == SlowSubscribers.Qos0WhenFull.DROP)) {
                    counters.droppedQos0.increment();
                    return null;
                } else if (publisher != null) {
                    // Nothing is dropped for an online subscriber that is behind: its publishers wait instead.
                    if (!containsIdentity(pausedPublishers, publisher)) {
                        pausedPublishers.add(publisher);
                        publisher.pause();
                        watchForStuck();
                    }
                    if (byBudget) {
                        budget.await(this);
                        awaitsBudget = true;
                    }
                }
            }
            durable = queue.add(message, true);
            if (!drainScheduled) {
                drainScheduled = true;
                scheduleOn = link.eventLoop();
            }
        }
        if (scheduleOn != null) {
            scheduleOn.execute(this::drain);
        }
        if (awaitsBudget) {
            budget.wakeIfRoom(); // in case the budget emptied before this session waited on it
        }
        return durable;
    }

    /** What became of a message offered with {@link #offerRetained}. */
    public enum RetainedOffer {
        /** Queued for sending. */
        QUEUED,
        /** Not queued: the queue is at its bound; the sender is resumed once it is half as long. */
        FULL,
        /** Not queued: the connection the subscription came on is no longer attached, or the session is over. */
        GONE,
        /** Not queued: the client may not read its topic (a wildcard subscription under access rules). */
        NOT_READABLE
    }

    /**
     * Queues a retained message sent because of a subscription, if the client may read it and the queue has room.
     * Such messages count against the queue's bounds (messages and bytes) like any other; having no publisher to hold back, their sender waits for room instead,
     * so that a subscription matching a million retained messages never queues more than the bound.
     *
     * @param via the connection the subscription came on
     * @param sender resumed (once) when the queue has room again, after {@link RetainedOffer#FULL}
     */
    public RetainedOffer offerRetained(OutboundMessage message, ClientLink via, PublisherLink sender) {
        if (!permissions.mayRead(message.message().topic())) {
            return RetainedOffer.NOT_READABLE;
        }
        EventLoop scheduleOn = null;
        boolean full;
        boolean awaitsBudget = false;
        synchronized (this) {
            if (ended || link != via) {
                return RetainedOffer.GONE;
            }
            full = isFull();
            if (full) {
                if (!containsIdentity(pausedPublishers, sender)) {
                    pausedPublishers.add(sender);
                    sender.pause();
                }
                if (!isFullByOwnBounds()) {
                    counters.queueBudgetFull.increment();
                    budget.await(this);
                    awaitsBudget = true;
                }
            } else {
                queue.add(message, true);
                if (!drainScheduled) {
                    drainScheduled = true;
                    scheduleOn = link.eventLoop();
                }
            }
        }
        if (scheduleOn != null) {
            scheduleOn.execute(this::drain);
        }
        if (awaitsBudget) {
            budget.wakeIfRoom();
        }
        return full ? RetainedOffer.FULL : RetainedOffer.QUEUED;
    }

    /** @return completes once the message is durable, or null if it is not written (or not queued) */
    private CompletableFuture<Void> enqueueOffline(OutboundMessage message) {
        if (message.qos() == QoS.AT_MOST_ONCE) {
            return null; // QoS 0 messages are not kept for offline clients.
        }
        if (!makeRoom(message, false)) {
            return null;
        }
        return queue.add(message, false);
    }

    /**
     * Makes room for {@code message} by {@code queue-full-policy}, counting what is dropped: false if the message
     * itself is (the policy is drop-new, or it could never fit). The broker-wide budget applies to a message
     * kept in memory: dropping the oldest frees it only while this queue holds some in memory.
     */
    private boolean makeRoom(OutboundMessage message, boolean online) {
        long size = message.queuedSize();
        if (size > limits.maxQueuedBytes()) {
            counters.droppedQueueFull.increment(); // could never fit, whatever the policy
            return false;
        }
        boolean inMemory = queue.wouldKeepInMemory(message, online);
        long cost = QueueBudget.cost(size);
        while (true) {
            boolean ownFull = queue.size() >= limits.maxQueued() || queue.bytes() + size > limits.maxQueuedBytes();
            boolean budgetFull = !ownFull && inMemory && budget.wouldOverflow(cost);
            if (!ownFull && !budgetFull) {
                return true;
            }
            counters.droppedQueueFull.increment();
            if (budgetFull) {
                counters.queueBudgetFull.increment();
            }
            if (limits.queueFullPolicy() == QueueFullPolicy.DROP_NEW || queue.isEmpty()
                    || (budgetFull && queue.memoryBytes() == 0)) {
                return false;
            }
            queue.dropOldest();
        }
    }

    /**
     * Watches a session that holds publishers: if its client takes nothing from the queue for the stuck timeout,
     * it holds them no longer. Called under this monitor, while online.
     */
    private void watchForStuck() {
        Duration timeout = limits.slowSubscribers().stuckTimeout();
        if (stuckWatch || timeout.isZero() || link == null) {
            return;
        }
        stuckWatch = true;
        ClientLink watched = link;
        long takenThen = taken;
        watched.eventLoop().schedule(() -> checkStuck(watched, takenThen), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkStuck(ClientLink watched, long takenThen) {
        List<PublisherLink> toResume = List.of();
        String why;
        synchronized (this) {
            stuckWatch = false;
            if (link != watched || ended || pausedPublishers.isEmpty()) {
                return;
            }
            if (taken != takenThen || queue.isEmpty()) {
                // Slow, not stuck; or waiting, its queue empty, for room in the broker-wide budget: watch on.
                watchForStuck();
                return;
            }
            counters.stuckSubscribers.increment();
            why = "took nothing from its full queue (" + queue.size() + " messages) for "
                    + limits.slowSubscribers().stuckTimeout().toSeconds() + " s";
            if (expirySeconds > 0) {
                // A persistent session keeps its client's messages as an offline one does, within the same bounds.
                overflowing = true;
                toResume = takePausedPublishers();
            }
        }
        if (toResume.isEmpty()) {
            LOG.warn("Client {} {}: disconnected, so that its publishers go on", LogSafe.text(clientId), why);
            watched.closeStuck(why);
        } else {
            LOG.warn("Client {} {}: its publishers go on, and its queue drops by queue-full-policy ({}) until it is"
                    + " half empty", LogSafe.text(clientId), why, limits.queueFullPolicy());
            toResume.forEach(PublisherLink::resume);
        }
    }

    /**
     * Whether either bound of the queue, or the broker-wide budget, is reached: an online session then pushes
     * back.
     */
    private boolean isFull() {
        return isFullByOwnBounds() || share.isFullForThis();
    }

    private boolean isFullByOwnBounds() {
        return queue.size() >= limits.maxQueued() || queue.bytes() >= limits.maxQueuedBytes();
    }

    /** Whether the queue is down to half of both bounds, when paused publishers may go on. */
    private boolean isHalfEmpty() {
        return queue.size() <= limits.maxQueued() / 2 && queue.bytes() <= limits.maxQueuedBytes() / 2;
    }

    /**
     * The broker-wide budget is down to half: the publishers this session paused go on if its own queue has room
     * too (otherwise its drain resumes them). Called by the budget, with no session's monitor held.
     */
    void budgetHasRoom() {
        List<PublisherLink> toResume = List.of();
        synchronized (this) {
            if (isHalfEmpty() && share.hasRoomForThis()) {
                overflowing = false;
                toResume = takePausedPublishers();
            } else if (!isHalfEmpty() || pausedPublishers.isEmpty()) {
                return; // its drain resumes them, or there are none
            } else {
                budget.await(this); // full again already
            }
        }
        toResume.forEach(PublisherLink::resume);
    }

    @Override
    public boolean mayReceive(String topic) {
        return permissions.mayRead(topic);
    }

    @Override
    public synchronized boolean isReadyForShared() {
        return link != null && queue.size() < limits.maxQueued() / 2 && queue.bytes() < limits.maxQueuedBytes() / 2;
    }

    /** Attaches a new connection; in-flight messages are sent again, DUP set, before anything new [MQTT-4.4.0-1]. */
    void attach(ClientLink newLink) {
        permissions = newLink.permissions();
        username = newLink.username();
        usernameKnown = true;
        synchronized (this) {
            link = newLink;
            overflowing = false;
            // The client's Receive Maximum applies afresh to this connection (MQTT 5 section 4.9).
            for (InFlight entry : inFlight.values()) {
                entry.sentOnLink = false;
            }
            awaitingResend = inFlight.size();
            sentOnLink = 0;
            drainScheduled = true;
        }
        newLink.eventLoop().execute(this::drain);
    }

    /**
     * Detaches {@code oldLink} if it is still the attached one. QoS 0 messages still queued are dropped;
     * publishers this session paused may go on (the offline queue bound applies from now on).
     *
     * @return false if another link is attached already (a takeover)
     */
    boolean detach(ClientLink oldLink) {
        List<PublisherLink> toResume;
        synchronized (this) {
            if (link != oldLink) {
                return false;
            }
            link = null;
            drainScheduled = false;
            sentOnLink = 0;
            awaitingResend = inFlight.size();
            for (InFlight entry : inFlight.values()) {
                entry.sentOnLink = false;
            }
            queue.dropQos0();
            toResume = takePausedPublishers();
        }
        budget.forget(this);
        toResume.forEach(PublisherLink::resume);
        budget.wakeIfRoom();
        return true;
    }

    /** The link attached now, or null. */
    synchronized ClientLink link() {
        return link;
    }

    /** Discards everything: the session is over. */
    void end() {
        List<PublisherLink> toResume;
        synchronized (this) {
            ended = true;
            link = null;
            counters.inFlight.add(-inFlight.size());
            queue.clear();
            for (InFlight entry : inFlight.values()) {
                share.remove(QueueBudget.cost(entry.message.queuedSize()));
            }
            inFlight.clear();
            sentOnLink = 0;
            awaitingResend = 0;
            toResume = takePausedPublishers();
        }
        inboundQos2.clear();
        budget.forget(this);
        toResume.forEach(PublisherLink::resume);
        budget.wakeIfRoom();
    }

    /** PUBACK from the client: the QoS 1 message is delivered [MQTT-4.3.2-1]. */
    public void onPuback(int packetId) {
        completeInFlight(packetId);
    }

    /**
     * PUBREC from the client.
     *
     * @param failed true if an MQTT 5 client answered with an error reason code: the flow ends there
     * @return null if the packet identifier was not in flight; otherwise what the PUBREL must wait for: in a
     *     journaled session, the PUBREC written durably, so that after a crash the broker sends PUBREL again rather
     *     than a PUBLISH the client may already have completed (and would take as new)
     */
    public CompletableFuture<Void> onPubrec(int packetId, boolean failed) {
        if (failed) {
            return completeInFlight(packetId) ? DONE : null;
        }
        synchronized (this) {
            InFlight entry = inFlight.get(packetId);
            if (entry == null) {
                return null;
            }
            entry.released = true;
            if (entry.seq != 0) {
                return queue.journal().sent(clientId, entry.seq, entry.message, packetId, true, true);
            }
            return DONE;
        }
    }

    /** PUBCOMP from the client: the QoS 2 flow is complete. */
    public void onPubcomp(int packetId) {
        completeInFlight(packetId);
    }

    private boolean completeInFlight(int packetId) {
        EventLoop scheduleOn = null;
        boolean known;
        synchronized (this) {
            InFlight removed = inFlight.remove(packetId);
            known = removed != null;
            if (known) {
                counters.inFlight.decrement();
                share.remove(QueueBudget.cost(removed.message.queuedSize()));
                if (removed.seq != 0) {
                    queue.journal().remove(clientId, removed.seq);
                }
                if (removed.sentOnLink) {
                    sentOnLink--;
                } else {
                    awaitingResend--;
                }
            }
            // A drain also resumes publishers paused while this session held much of the broker-wide budget.
            if ((!queue.isEmpty() || awaitingResend > 0 || !pausedPublishers.isEmpty()) && link != null
                    && !drainScheduled) {
                drainScheduled = true;
                scheduleOn = link.eventLoop();
            }
        }
        if (scheduleOn != null) {
            scheduleOn.execute(this::drain);
        }
        if (known) {
            budget.wakeIfRoom();
        }
        return known;
    }

    /** Called when the connection became writable again. */
    public void resumeWriting() {
        EventLoop scheduleOn = null;
        synchronized (this) {
            if (!queue.isEmpty() && link != null && !drainScheduled) {
                drainScheduled = true;
                scheduleOn = link.eventLoop();
            }
        }
        if (scheduleOn != null) {
            scheduleOn.execute(this::drain);
        }
    }

    /**
     * Writes what the client can take now: first, after a reconnect, everything in flight again; then
     * queued messages while the in-flight window and the socket allow. Runs on the link's event loop.
     */
    void drain() {
        ClientLink target;
        List<InFlight> resend = null;
        List<Object[]> batch = new ArrayList<>();
        List<PublisherLink> toResume = List.of();
        boolean more;
        CompletableFuture<Void> writesAfter = null;
        synchronized (this) {
            target = link;
            if (target == null || ended) {
                drainScheduled = false;
                return;
            }
            if (!target.eventLoop().inEventLoop()) {
                target.eventLoop().execute(this::drain);
                return;
            }
            drainScheduled = false;
            int window = Math.min(target.receiveMaximum(), limits.maxInFlight());
            if (awaitingResend > 0) {
                resend = new ArrayList<>();
                for (InFlight entry : inFlight.values()) {
                    if (sentOnLink >= window) {
                        break;
                    }
                    if (!entry.sentOnLink) {
                        entry.sentOnLink = true;
                        sentOnLink++;
                        awaitingResend--;
                        resend.add(entry);
                    }
                }
            }
            long now = System.currentTimeMillis();
            while (batch.size() < DRAIN_BATCH && target.isWritable()) {
                SessionQueue.Queued head = queue.peek();
                if (head == null) {
                    break;
                }
                OutboundMessage next = head.message();
                boolean needsSlot = next.qos() != QoS.AT_MOST_ONCE;
                if (needsSlot && (awaitingResend > 0 || sentOnLink >= window)) {
                    break;
                }
                queue.poll(needsSlot); // a QoS 1/2 message stays counted in the budget until acknowledged
                taken++;
                boolean expired = next.message().isExpiredAt(now);
                if (expired || !target.fits(next)) {
                    if (expired) {
                        counters.expired.increment();
                    } else {
                        // The client must not be sent a packet above its maximum: discard it [MQTT-3.1.2-25].
                        counters.droppedTooLarge.increment();
                    }
                    if (needsSlot) {
                        share.remove(QueueBudget.cost(next.queuedSize()));
                    }
                    if (head.seq() != 0) {
                        queue.journal().remove(clientId, head.seq());
                    }
                    continue;
                }
                int packetId = 0;
                if (needsSlot) {
                    packetId = allocatePacketId();
                    InFlight entry = new InFlight(next, packetId, head.seq());
                    if (head.seq() != 0) {
                        // QoS 2: the packet identifier must be on disk before the PUBLISH leaves, or a restart
                        // would send the message again under another one, and the client would take it twice.
                        boolean qos2 = next.qos() == QoS.EXACTLY_ONCE;
                        CompletableFuture<Void> recorded = queue.journal().sent(clientId, head.seq(), next, packetId,
                                false, qos2);
                        if (qos2 && !recorded.isDone()) {
                            writesAfter = recorded;
                        }
                    }
                    entry.sentOnLink = true;
                    sentOnLink++;
                    inFlight.put(packetId, entry);
                    counters.inFlight.increment();
                }
                batch.add(new Object[] {next, packetId});
            }
            more = batch.size() == DRAIN_BATCH && !queue.isEmpty();
            if (more || writesAfter != null) {
                drainScheduled = true; // and no other drain runs before this one's writes are out
            }
            if (isHalfEmpty()) {
                if (share.hasRoomForThis()) {
                    overflowing = false;
                    if (!pausedPublishers.isEmpty()) {
                        toResume = takePausedPublishers();
                    }
                } else if (!pausedPublishers.isEmpty()) {
                    budget.await(this); // its own queue has room, the broker's has not: woken when it has
                }
            }
        }
        if (resend != null) {
            for (InFlight entry : resend) {
                if (entry.released) {
                    target.writePubrel(entry.packetId);
                } else {
                    target.writePublish(entry.message, entry.packetId, true);
                }
            }
        }
        if (writesAfter == null) {
            writeBatch(target, batch);
        } else {
            // The last QoS 2 identifier of the batch is written durably after the earlier ones: once it is, all
            // are; the batch goes out in order then, and only then may the next drain run.
            if (resend != null) {
                target.flush();
            }
            writesAfter.whenComplete((ignored, failure) -> target.eventLoop().execute(() -> {
                writeBatch(target, batch);
                drain();
            }));
        }
        toResume.forEach(PublisherLink::resume);
        budget.wakeIfRoom();
        if (more && writesAfter == null) {
            target.eventLoop().execute(this::drain);
        }
    }

    private static void writeBatch(ClientLink target, List<Object[]> batch) {
        for (Object[] item : batch) {
            target.writePublish((OutboundMessage) item[0], (Integer) item[1], false);
        }
        target.flush();
    }

    private int allocatePacketId() {
        for (int attempts = 0; attempts < 65535; attempts++) {
            int candidate = nextPacketId;
            nextPacketId = candidate == 65535 ? 1 : candidate + 1;
            if (!inFlight.containsKey(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free packet identifier for " + clientId);
    }

    private List<PublisherLink> takePausedPublishers() {
        if (pausedPublishers.isEmpty()) {
            return List.of();
        }
        List<PublisherLink> taken = new ArrayList<>(pausedPublishers);
        pausedPublishers.clear();
        return taken;
    }

    private static boolean containsIdentity(List<PublisherLink> links, PublisherLink candidate) {
        for (PublisherLink l : links) {
            if (l == candidate) {
                return true;
            }
        }
        return false;
    }

    /** The inbound QoS 2 packet identifiers whose messages were accepted and await PUBREL. */
    List<Integer> acceptedInboundQos2() {
        return inboundQos2.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }

    /** Adds the in-flight messages, then the queued QoS 1/2 ones, each oldest first, to a state being saved. */
    synchronized void saveDeliveries(List<BrokerState.InFlightDelivery> sent, List<BrokerState.Delivery> waiting) {
        for (InFlight entry : inFlight.values()) {
            sent.add(new BrokerState.InFlightDelivery(entry.packetId, entry.released,
                    SessionStates.toDelivery(entry.message)));
        }
        for (SessionQueue.Queued queued : queue.inMemory()) {
            if (queued.message().qos() != QoS.AT_MOST_ONCE) {
                waiting.add(SessionStates.toDelivery(queued.message()));
            }
        }
    }

    /**
     * Puts back the state of a saved session before any client connects. In-flight messages are sent again
     * first when the client resumes; queued ones that expired meanwhile are dropped, and the offline queue
     * bound applies as to any offline session.
     */
    void restoreDeliveries(BrokerState.SessionState saved, long nowMillis) {
        saved.inboundQos2PacketIds().forEach(packetId -> inboundQos2.put(packetId, Boolean.TRUE));
        synchronized (this) {
            for (BrokerState.InFlightDelivery sent : saved.inFlight()) {
                InFlight entry = new InFlight(OutboundMessage.of(sent.delivery()), sent.packetId(), 0);
                entry.released = sent.pubrecReceived();
                if (inFlight.put(sent.packetId(), entry) == null) {
                    counters.inFlight.increment();
                    share.add(QueueBudget.cost(entry.message.queuedSize()));
                }
            }
            awaitingResend = inFlight.size();
            for (BrokerState.Delivery waiting : saved.queued()) {
                if (waiting.message().isExpiredAt(nowMillis)) {
                    counters.expired.increment();
                } else {
                    enqueueOffline(OutboundMessage.of(waiting));
                }
            }
        }
    }

    /**
     * Puts back what the journal kept of this session after a restart, before any client connects: the messages
     * in flight (sent again first when the client resumes), the accepted inbound QoS 2 identifiers, and the range
     * of queued messages, which stay on disk until the session drains them.
     */
    void restoreFromJournal(List<JournaledInFlight> sent, List<Integer> acceptedQos2, long queuedFrom, long queuedTo,
                            int queuedCount, long queuedBytes, long nextSeq) {
        acceptedQos2.forEach(packetId -> inboundQos2.put(packetId, Boolean.TRUE));
        synchronized (this) {
            for (JournaledInFlight entry : sent) {
                InFlight restored = new InFlight(entry.message(), entry.packetId(), entry.seq());
                restored.released = entry.released();
                if (inFlight.put(entry.packetId(), restored) == null) {
                    counters.inFlight.increment();
                    share.add(QueueBudget.cost(restored.message.queuedSize()));
                }
            }
            awaitingResend = inFlight.size();
            queue.restore(queuedFrom, queuedTo, queuedCount, queuedBytes);
            queue.seqAtLeast(nextSeq);
        }
    }

    /** A message the journal kept as sent with {@code packetId} and not acknowledged. */
    public record JournaledInFlight(long seq, int packetId, boolean released, OutboundMessage message) {
    }

    /** The client attached now as an operator sees it, or null when none is. */
    public ConnectedClient connectedClient() {
        ClientLink attached;
        int queued;
        int unacknowledged;
        synchronized (this) {
            attached = link;
            queued = queue.size();
            unacknowledged = inFlight.size();
        }
        if (attached == null) {
            return null;
        }
        ClientInfo who = attached.client();
        InetSocketAddress address = who == null ? null : who.remoteAddress();
        return new ConnectedClient(clientId,
                address == null ? null : address.getHostString() + ":" + address.getPort(),
                who == null ? null : who.listener(), protocolVersion, who == null ? username : who.username(),
                subscriptions.size(), queued, unacknowledged);
    }

    /** Closes the attached connection at an operator's request; false when none is attached. */
    public boolean disconnectByOperator() {
        ClientLink attached = link();
        if (attached == null) {
            return false;
        }
        attached.disconnectByOperator();
        return true;
    }

    /** Messages waiting to be sent, for tests and stats. */
    public synchronized int queuedCount() {
        return queue.size();
    }

    /** The payload and topic bytes of the messages waiting to be sent, for tests and stats. */
    public synchronized long queuedBytes() {
        return queue.bytes();
    }

    /** QoS 1/2 messages sent and not yet acknowledged, for tests and stats. */
    public synchronized int inFlightCount() {
        return inFlight.size();
    }

    /** An outbound QoS 1/2 message awaiting PUBACK, or PUBREC then PUBCOMP. */
    private static final class InFlight {
        final OutboundMessage message;
        final int packetId;
        /** Its sequence number in the journal, 0 if it is not written there. */
        final long seq;
        boolean released;
        boolean sentOnLink;

        InFlight(OutboundMessage message, int packetId, long seq) {
            this.message = message;
            this.packetId = packetId;
            this.seq = seq;
        }
    }
}
