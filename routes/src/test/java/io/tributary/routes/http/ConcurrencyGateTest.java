package io.tributary.routes.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {

    /** Runs nothing until told, so that a test sees what was handed over. */
    private static final class ManualExecutor implements Executor {
        final List<Runnable> tasks = new ArrayList<>();
        boolean refusing;

        @Override
        public void execute(Runnable task) {
            if (refusing) {
                throw new RejectedExecutionException("closed");
            }
            tasks.add(task);
        }

        void runAll() {
            List<Runnable> now = new ArrayList<>(tasks);
            tasks.clear();
            now.forEach(Runnable::run);
        }
    }

    private static final class Recorder implements ConcurrencyGate.Start {
        final String name;
        final List<String> events;

        Recorder(String name, List<String> events) {
            this.name = name;
            this.events = events;
        }

        @Override
        public void run() {
            events.add("start " + name);
        }

        @Override
        public void refused(String reason) {
            events.add("refused " + name + ": " + reason);
        }
    }

    @Test
    void startsUpToTheLimitAtOnceAndTheRestAsSlotsFree() {
        ManualExecutor executor = new ManualExecutor();
        ConcurrencyGate gate = new ConcurrencyGate(2, 10, executor);
        List<String> events = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            gate.enter(new Recorder(name, events));
        }
        assertEquals(List.of("start a", "start b"), events);
        assertEquals(2, gate.inFlight());
        assertEquals(2, gate.waiting());

        gate.leave();
        assertEquals(2, gate.inFlight());
        executor.runAll();
        assertEquals(List.of("start a", "start b", "start c"), events);
        gate.leave();
        gate.leave();
        executor.runAll();
        assertEquals(List.of("start a", "start b", "start c", "start d"), events);
        assertEquals(1, gate.inFlight());
        gate.leave();
        assertEquals(0, gate.inFlight());
        assertEquals(0, gate.waiting());
    }

    @Test
    void refusesPastTheWaitingBound() {
        ConcurrencyGate gate = new ConcurrencyGate(1, 1, new ManualExecutor());
        List<String> events = new ArrayList<>();
        gate.enter(new Recorder("a", events));
        gate.enter(new Recorder("b", events));
        gate.enter(new Recorder("c", events));
        assertEquals(List.of("start a", "refused c: 1 requests already wait for one of the 1 in flight"), events);
    }

    @Test
    void waitingRequestsAreRefusedWhenTheExecutorIsClosed() {
        ManualExecutor executor = new ManualExecutor();
        ConcurrencyGate gate = new ConcurrencyGate(1, 10, executor);
        List<String> events = new ArrayList<>();
        gate.enter(new Recorder("a", events));
        gate.enter(new Recorder("b", events));
        gate.enter(new Recorder("c", events));
        executor.refusing = true;
        gate.leave();
        assertEquals(List.of("start a", "refused b: the webhook client is closed",
                "refused c: the webhook client is closed"), events);
        assertEquals(0, gate.inFlight());
        assertEquals(0, gate.waiting());
    }
}
