package io.tributary.broker.session;

import io.tributary.broker.Authorizer;
import io.tributary.broker.BrokerState;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.Permissions;
import io.tributary.broker.stats.BrokerCounters;
import io.tributary.broker.subscription.Subscription;
import io.tributary.broker.subscription.SubscriptionTree;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Owns the sessions: creates, resumes and takes them over on CONNECT, and ends them when they expire,
 * publishing Will Messages at the right moment.
 *
 * <p>Concurrency: lifecycle transitions (connect, connection lost, will and expiry timers) take this
 * object's monitor; they happen once per connection, never per message. Lookups are lock-free. Futures that
 * observe a detach are completed after the monitor is released, so that what depends on them never runs
 * under it.
 */
public final class SessionRegistry {
    /**
     * MQTT 5: a Session Expiry Interval of 0xFFFFFFFF never expires (section 3.1.2.11.2, a sentence the spec
     * does not number; the state is kept meanwhile [MQTT-3.1.2-23]).
     */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;
    /**
     * The listener name a restored session is authorized with: it has no connection, so no listener, until its
     * client connects again and is authorized afresh.
     */
    public static final String RESTORED_LISTENER = "restored";

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SubscriptionTree subscriptions;
    private final SessionLimits limits;
    private final BrokerCounters counters;
    /** What all the sessions' queues hold in memory together. */
    private final QueueBudget budget;
    private final ScheduledExecutorService timers;
    private final Consumer<WillMessage> willPublisher;
    /** Sessions with a connection attached. Guarded by this. */
    private int attached;
    /** Who waits for a session, or all of them, to be detached. Guarded by this. */
    private final List<DetachWaiter> detachWaiters = new ArrayList<>();
    private volatile Authorizer restoredAuthorizer = Authorizer.ALLOW_ALL;
    /** Where persistent sessions write their state as it changes, or null: none, or a store that saves at the stop. */
    private volatile SessionJournal journal;
    /** Told of sessions' changes in a cluster; null without one, and then nothing is built or called. */
    private volatile SessionWatch watch;

    public SessionRegistry(SubscriptionTree subscriptions, SessionLimits limits, BrokerCounters counters,
                           ScheduledExecutorService timers, Consumer<WillMessage> willPublisher) {
        this.subscriptions = subscriptions;
        this.limits = limits;
        this.counters = counters;
        this.budget = new QueueBudget(limits.maxQueuedBytesTotal(), counters);
        this.timers = timers;
        this.willPublisher = willPublisher;
    }

    /** Persistent sessions write their state to {@code journal} as it changes; set before the broker starts. */
    public void journalTo(SessionJournal journal) {
        this.journal = journal;
    }

    /** In a cluster: sessions' subscription and connection changes are told to {@code watch}; set before start. */
    public void watchWith(SessionWatch watch) {
        this.watch = watch;
    }

    /**
     * The subscriptions of {@code session} changed (SUBSCRIBE, UNSUBSCRIBE): written to its journal, and told to
     * the cluster if there is one.
     *
     * @return what the SUBACK waits for in a cluster (every live node knows the change); null without one
     */
    public CompletionStage<Void> subscriptionsChanged(Session session) {
        session.subscriptionsChanged();
        SessionWatch watching = watch;
        return watching == null ? null : watching.changed(session.summary());
    }

    /** Tells the cluster, if any, that {@code session} connected or went offline, if it has subscriptions. */
    private void connectionChanged(Session session) {
        SessionWatch watching = watch;
        if (watching != null && !session.subscriptions.isEmpty()) {
            watching.changed(session.summary());
        }
    }

    /** What CONNECT got: the session to use and whether it existed before (CONNACK Session Present). */
    public record Attachment(Session session, boolean sessionPresent) {
    }

    /**
     * Opens the session of {@code clientId} for a new connection. An existing connection with the same
     * client identifier is closed first [MQTT-3.1.4-3]. Its Will Message is published unless the session
     * goes on with a Will Delay above zero (MQTT 5 section 3.1.3.2.2).
     *
     * @return null, changing nothing, if there is no session of {@code clientId} and {@code maxSessions} exist
     *     already: a client that has a session still connects, whatever else it asks for
     */
    public synchronized Attachment connect(String clientId, int protocolVersion, boolean cleanStart, long expirySeconds,
                                           WillMessage will, ClientLink link) {
        Session existing = sessions.get(clientId);
        if (existing == null && sessions.size() >= limits.maxSessions()) {
            return null;
        }
        if (existing != null) {
            cancelTimers(existing);
            ClientLink previous = existing.link();
            if (previous != null) {
                WillMessage previousWill = existing.will;
                existing.will = null;
                existing.detach(previous);
                attached--;
                previous.takeOver();
                if (previousWill != null && (cleanStart || previousWill.delaySeconds() == 0)) {
                    willPublisher.accept(previousWill);
                }
            } else if (existing.will != null && cleanStart) {
                // A delayed will of a session that now ends is due at once [MQTT-3.1.3-9].
                willPublisher.accept(existing.will);
                existing.will = null;
            } else {
                existing.will = null; // reconnected in time: the delayed will is not sent
            }
        }
        boolean present = existing != null && !cleanStart;
        Session session;
        if (present) {
            session = existing;
        } else {
            if (existing != null) {
                endLocked(existing);
            }
            session = new Session(clientId, limits, counters, budget);
            sessions.put(clientId, session);
            counters.sessions.increment();
        }
        session.protocolVersion = protocolVersion;
        session.expirySeconds = expirySeconds;
        session.will = will;
        session.offlineSinceMillis = 0;
        session.attach(link);
        attached++;
        SessionJournal sessionJournal = journal;
        if (sessionJournal != null && expirySeconds > 0 && session.journal() == null) {
            session.journalTo(sessionJournal);
        } else {
            session.saveDescription();
        }
        connectionChanged(session);
        return new Attachment(session, present);
    }

    /**
     * The connection of {@code session} closed. With {@code publishWill} (no normal DISCONNECT), its will is
     * published now or after its delay; the session ends now or when its expiry interval passes.
     */
    public void disconnected(Session session, ClientLink link, boolean publishWill, long expirySeconds) {
        List<CompletableFuture<Void>> observed;
        synchronized (this) {
            if (!session.detach(link)) {
                return; // taken over: the new connection owns the session now
            }
            attached--;
            afterDetach(session, publishWill, expirySeconds);
            observed = takeDetachWaiters();
        }
        observed.forEach(waiter -> waiter.complete(null));
    }

    private void afterDetach(Session session, boolean publishWill, long expirySeconds) {
        session.expirySeconds = expirySeconds;
        session.offlineSinceMillis = System.currentTimeMillis();
        WillMessage will = publishWill ? session.will : null;
        if (!publishWill) {
            session.will = null;
        }
        if (will != null) {
            long delay = Math.min(will.delaySeconds(), expirySeconds);
            if (delay == 0) {
                session.will = null;
                willPublisher.accept(will);
            } else {
                session.willTimer = schedule(() -> willDue(session, will), delay);
            }
        }
        if (expirySeconds == 0) {
            end(session);
            return;
        }
        if (expirySeconds != NEVER_EXPIRES) {
            session.expiryTimer = schedule(() -> expire(session), expirySeconds);
        }
        session.saveDescription();
        connectionChanged(session);
    }

    /**
     * Completes once the session of {@code clientId} has no connection attached: at once if it has none, or
     * there is no such session. A session taken over by a new connection stays attached.
     */
    public CompletableFuture<Void> whenDetached(String clientId) {
        synchronized (this) {
            Session session = sessions.get(clientId);
            if (session != null && session.link() != null) {
                CompletableFuture<Void> detached = new CompletableFuture<>();
                detachWaiters.add(new DetachWaiter(clientId, detached));
                return detached;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Completes once no session has a connection attached: at once if none has. */
    public CompletableFuture<Void> whenAllDetached() {
        synchronized (this) {
            if (attached > 0) {
                CompletableFuture<Void> detached = new CompletableFuture<>();
                detachWaiters.add(new DetachWaiter(null, detached));
                return detached;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Removes the waiters whose condition now holds; they are completed once the monitor is released. */
    private List<CompletableFuture<Void>> takeDetachWaiters() {
        if (detachWaiters.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Void>> due = new ArrayList<>();
        for (Iterator<DetachWaiter> it = detachWaiters.iterator(); it.hasNext(); ) {
            DetachWaiter waiter = it.next();
            boolean detached;
            if (waiter.clientId() == null) {
                detached = attached == 0;
            } else {
                Session session = sessions.get(waiter.clientId());
                detached = session == null || session.link() == null;
            }
            if (detached) {
                it.remove();
                due.add(waiter.detached());
            }
        }
        return due;
    }

    /** One caller waiting for the session of {@code clientId} (all sessions when null) to be detached. */
    private record DetachWaiter(String clientId, CompletableFuture<Void> detached) {
    }

    /**
     * The persistent sessions as a state to save. Called once the broker stopped and every connection closed,
     * so every session here is offline and persistent (the others ended with their connections).
     */
    public synchronized List<BrokerState.SessionState> snapshot(long nowMillis) {
        List<BrokerState.SessionState> saved = new ArrayList<>(sessions.size());
        for (Session session : sessions.values()) {
            if (session.expirySeconds > 0) {
                saved.add(SessionStates.toState(session, nowMillis));
            }
        }
        return saved;
    }

    /**
     * Who decides what a restored session may receive until its client connects again: asked with the session's
     * saved user name, client id and protocol version, {@link #RESTORED_LISTENER} as listener and no address.
     * A session saved without a user name (an older state file) receives nothing under an authorizer other
     * than {@link Authorizer#ALLOW_ALL}, since whose rules apply is not known.
     */
    public void authorizeRestoredWith(Authorizer authorizer) {
        this.restoredAuthorizer = authorizer;
    }

    /**
     * Restores saved sessions, offline, before any client connects; their expiry and delayed wills go on
     * counting from when they went offline. A session whose expiry passed meanwhile is not restored.
     *
     * @param maxExpirySeconds the configured cap, which may have been lowered since the state was saved
     * @return the wills that fell due while the broker was down (those of ended sessions included), to be
     *     published once everything is restored, so that restored subscribers receive them
     * @throws IllegalArgumentException if a saved subscription is not valid
     */
    public synchronized List<WillMessage> restore(List<BrokerState.SessionState> saved, long nowMillis,
                                                  long maxExpirySeconds) {
        List<JournaledSession> described = new ArrayList<>(saved.size());
        saved.forEach(state -> described.add(new JournaledSession(state, null)));
        return restoreSessions(described, nowMillis, maxExpirySeconds);
    }

    /**
     * What the journal kept of one session: its description, and what {@link Session#restoreFromJournal} puts back.
     *
     * @param journaled null for a session restored from a saved state (its deliveries are in {@code state})
     */
    public record JournaledSession(BrokerState.SessionState state, Journaled journaled) {
    }

    /** The messages of a journaled session: in flight, accepted inbound QoS 2 identifiers, and the queued range. */
    public record Journaled(List<Session.JournaledInFlight> inFlight, List<Integer> acceptedQos2, long queuedFrom,
                            long queuedTo, int queuedCount, long queuedBytes, long nextSeq) {
    }

    /**
     * Restores the sessions the journal kept, as {@link #restore} does a saved state; they go on writing to it. A
     * session that was online when the broker stopped (a crash) went offline then: its expiry and delayed will
     * count from now, and its will is published as for any connection that ended without DISCONNECT. Sessions
     * that expired meanwhile are removed from the journal.
     */
    public synchronized List<WillMessage> restoreJournaled(List<JournaledSession> saved, long nowMillis,
                                                           long maxExpirySeconds) {
        return restoreSessions(saved, nowMillis, maxExpirySeconds);
    }

    private List<WillMessage> restoreSessions(List<JournaledSession> saved, long nowMillis, long maxExpirySeconds) {
        List<WillMessage> due = new ArrayList<>();
        for (JournaledSession entry : saved) {
            BrokerState.SessionState state = entry.state();
            if (entry.journaled() != null && state.offlineSinceMillis() == 0) {
                state = new BrokerState.SessionState(state.clientId(), state.username(), state.usernameKnown(),
                        state.protocolVersion(), state.expirySeconds(), nowMillis, state.subscriptions(),
                        state.inboundQos2PacketIds(), state.inFlight(), state.queued(), state.will());
            }
            long expirySeconds = Math.min(state.expirySeconds(), maxExpirySeconds);
            long offlineMillis = Math.max(0, nowMillis - state.offlineSinceMillis());
            boolean expired = expirySeconds != NEVER_EXPIRES && offlineMillis >= expirySeconds * 1000L;
            WillMessage will = state.will() == null ? null
                    : new WillMessage(state.will().message(), state.will().delaySeconds());
            if (will != null && (expired || offlineMillis >= Math.min(will.delaySeconds(), expirySeconds) * 1000L)) {
                due.add(will);
                will = null;
            }
            if (expired || expirySeconds == 0) {
                if (entry.journaled() != null) {
                    journal.endSession(state.clientId());
                }
                continue;
            }
            Session session = new Session(state.clientId(), limits, counters, budget);
            session.username = state.username();
            session.usernameKnown = state.usernameKnown();
            session.permissions = restoredPermissions(state);
            session.protocolVersion = state.protocolVersion();
            session.expirySeconds = expirySeconds;
            session.offlineSinceMillis = state.offlineSinceMillis();
            for (BrokerState.SubscriptionState subscribed : state.subscriptions()) {
                Subscription subscription = SessionStates.toSubscription(session, subscribed);
                subscriptions.add(subscription);
                session.subscriptions.put(subscription.filter().raw(), subscription);
            }
            if (entry.journaled() == null) {
                session.restoreDeliveries(state, nowMillis);
            } else {
                Journaled kept = entry.journaled();
                session.restoreFromJournal(kept.inFlight(), kept.acceptedQos2(), kept.queuedFrom(), kept.queuedTo(),
                        kept.queuedCount(), kept.queuedBytes(), kept.nextSeq());
            }
            Session previous = sessions.put(state.clientId(), session);
            if (previous != null) {
                throw new IllegalArgumentException("two saved sessions for client " + state.clientId());
            }
            counters.sessions.increment();
            if (will != null) {
                WillMessage pending = will;
                session.will = pending;
                long willDueMillis = Math.min(pending.delaySeconds(), expirySeconds) * 1000L - offlineMillis;
                session.willTimer = scheduleMillis(() -> willDue(session, pending), willDueMillis);
            }
            if (expirySeconds != NEVER_EXPIRES) {
                session.expiryTimer = scheduleMillis(() -> expire(session), expirySeconds * 1000L - offlineMillis);
            }
            if (entry.journaled() != null) {
                session.journalTo(journal); // writes its description as restored: offline, will as now pending
            }
        }
        return due;
    }

    private Permissions restoredPermissions(BrokerState.SessionState state) {
        Authorizer authorizer = restoredAuthorizer;
        if (authorizer == Authorizer.ALLOW_ALL) {
            return Permissions.ALLOW_ALL;
        }
        if (!state.usernameKnown()) {
            return Permissions.DENY_ALL;
        }
        return authorizer.forClient(new ClientInfo(state.clientId(), state.username(), null, RESTORED_LISTENER,
                state.protocolVersion()));
    }

    /** Schedules a timer, or none while the broker is stopping and its threads refuse work. */
    private ScheduledFuture<?> schedule(Runnable task, long delaySeconds) {
        return scheduleMillis(task, delaySeconds * 1000L);
    }

    private ScheduledFuture<?> scheduleMillis(Runnable task, long delayMillis) {
        try {
            return timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            return null;
        }
    }

    private synchronized void willDue(Session session, WillMessage will) {
        if (session.will == will && session.link() == null) {
            session.will = null;
            willPublisher.accept(will);
            session.saveDescription();
        }
    }

    private synchronized void expire(Session session) {
        if (sessions.get(session.clientId()) == session && session.link() == null) {
            end(session);
        }
    }

    private void end(Session session) {
        if (session.will != null) {
            willPublisher.accept(session.will);
            session.will = null;
        }
        endLocked(session);
    }

    private void endLocked(Session session) {
        cancelTimers(session);
        sessions.remove(session.clientId(), session);
        for (Subscription s : session.subscriptions.values()) {
            subscriptions.remove(session, s.filter());
        }
        session.subscriptions.clear();
        session.end();
        SessionJournal sessionJournal = session.journal();
        if (sessionJournal != null) {
            sessionJournal.endSession(session.clientId());
        }
        SessionWatch watching = watch;
        if (watching != null) {
            watching.ended(session.clientId());
        }
        counters.sessions.decrement();
    }

    private static void cancelTimers(Session session) {
        if (session.willTimer != null) {
            session.willTimer.cancel(false);
            session.willTimer = null;
        }
        if (session.expiryTimer != null) {
            session.expiryTimer.cancel(false);
            session.expiryTimer = null;
        }
    }

    /** The session of a client, or null. */
    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    /** The sessions now, a live view (for listing them; not for changing them). */
    public java.util.Collection<Session> all() {
        return java.util.Collections.unmodifiableCollection(sessions.values());
    }

    /** How many sessions exist. */
    public int size() {
        return sessions.size();
    }
}
