package io.tributary.connectors.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishWindowTest {

    private final PublishWindow window = new PublishWindow(2, 1);
    private final List<String> sent = new ArrayList<>();

    @Test
    void pastTheLimitAPublishWaitsForAPlaceAndPastTheWaitingOnesItIsRefused() {
        window.submit(() -> sent.add("a"));
        window.submit(() -> sent.add("b"));
        window.submit(() -> sent.add("c"));
        assertFalse(window.submit(() -> sent.add("d")), "a second one waiting");
        assertEquals(List.of("a", "b"), sent);

        window.release();
        assertEquals(List.of("a", "b", "c"), sent);
        window.release();
        window.release();
        window.submit(() -> sent.add("e"));
        assertEquals(List.of("a", "b", "c", "e"), sent);
    }

    @Test
    void publishesThatFailAtOnceFreeTheirPlacesWithoutDeepeningTheStack() {
        PublishWindow one = new PublishWindow(1, 100_000);
        one.submit(() -> sent.add("held"));
        for (int i = 0; i < 100_000; i++) {
            one.submit(one::release);
        }

        one.release();

        assertEquals(0, one.waiting());
        one.submit(() -> sent.add("after"));
        assertEquals(List.of("held", "after"), sent);
    }
}
