package io.tributary.bench.load;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The publishers of one run, each on a daemon thread of its own: started together, stopped together, and counted
 * together once they have stopped.
 */
public final class Publishers {

    private final List<Publisher> publishers;
    private final List<Thread> threads = new ArrayList<>();

    public Publishers(List<Publisher> publishers) {
        this.publishers = List.copyOf(publishers);
        for (Publisher publisher : this.publishers) {
            Thread thread = new Thread(publisher, "publisher-" + publisher.index());
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    /** Sleeps until {@code startNanos} ({@link System#nanoTime()}), then starts every publisher. */
    public void startAt(long startNanos) throws InterruptedException {
        RunClock.sleepUntil(startNanos);
        threads.forEach(Thread::start);
    }

    /** Stops publishing and waits (up to two seconds each) for the publisher threads to end. */
    public void stop() throws InterruptedException {
        publishers.forEach(Publisher::stop);
        for (Thread thread : threads) {
            thread.join(2000);
        }
    }

    /** Waits until every publish sent has been answered; returns how many are still unanswered at the deadline. */
    public long awaitAnswers(long deadlineNanos) throws InterruptedException {
        long unanswered = 0;
        for (Publisher publisher : publishers) {
            unanswered += publisher.awaitOutstanding(deadlineNanos);
        }
        return unanswered;
    }

    /** In index order. */
    public List<Publisher> all() {
        return publishers;
    }

    public long published() {
        return publishers.stream().mapToLong(Publisher::published).sum();
    }

    public long accepted() {
        return publishers.stream().mapToLong(Publisher::acceptedCount).sum();
    }

    /** The fewest and the most publishes one publisher had acknowledged: far apart when one was starved. */
    public long[] acceptedRange() {
        long fewest = publishers.stream().mapToLong(Publisher::acceptedCount).min().orElse(0);
        long most = publishers.stream().mapToLong(Publisher::acceptedCount).max().orElse(0);
        return new long[] {fewest, most};
    }

    public long rejected() {
        return publishers.stream().mapToLong(Publisher::rejected).sum();
    }

    public long acceptedInWindow() {
        return publishers.stream().mapToLong(Publisher::acceptedInWindow).sum();
    }

    /**
     * What every publisher had acknowledged against what one receiver got of it.
     *
     * @param received the sequence numbers of publisher {@code index} the receiver got
     */
    public Arrivals arrivals(IntFunction<BitSet> received) {
        Arrivals arrivals = Arrivals.NONE;
        for (Publisher publisher : publishers) {
            arrivals = arrivals.plus(Arrivals.of(publisher, publisher.accepted(), received.apply(publisher.index())));
        }
        return arrivals;
    }

    /** A note per publisher that had a publish fail: {@code publisher 2: first <wording> publish: <error>}. */
    public List<String> firstFailures(String wording) {
        List<String> notes = new ArrayList<>();
        for (Publisher publisher : publishers) {
            if (publisher.firstRejection() != null) {
                notes.add("publisher " + publisher.index() + ": first " + wording + " publish: "
                        + publisher.firstRejection());
            }
        }
        return notes;
    }
}
