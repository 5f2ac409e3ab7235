package io.tributary.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    @Test
    void ratioColumnsDivideTheReferenceByEachOtherBroker() {
        ComparisonTable<Double> table = new ComparisonTable<Double>(List.of("Tributary", "Mosquitto", "HiveMQ CE"),
                "Tributary", r -> null)
                .row("msg/s", r -> Formats.rate(r), r -> r);
        assertEquals("""
                | metric | Tributary | Mosquitto | HiveMQ CE | Tributary / Mosquitto | Tributary / HiveMQ CE |
                |---|---:|---:|---:|---:|---:|
                | msg/s | 300 | 100 | 200 | 3.00× | 1.50× |
                """, table.render(List.of(300.0, 100.0, 200.0)));
    }

    @Test
    void aBrokerThatDidNotRunGetsDashesAndNoRatio() {
        ComparisonTable<Double> table = new ComparisonTable<Double>(List.of("Tributary", "Mosquitto"), "Tributary",
                r -> null)
                .row("msg/s", r -> Formats.rate(r), r -> r);
        assertEquals("| msg/s | 300 | — | — |", table.render(Arrays.asList(300.0, null)).lines().toList().get(2));
    }

    @Test
    void aFailedRunSaysSoInEveryCell() {
        ComparisonTable<Double> table = new ComparisonTable<Double>(List.of("Tributary", "Mosquitto"), "Tributary",
                r -> r < 0 ? "did not start" : null)
                .row("msg/s", r -> Formats.rate(r), r -> r);
        assertEquals("| msg/s | failed | 100 | — |", table.render(List.of(-1.0, 100.0)).lines().toList().get(2));
    }

    @Test
    void aSectionHasItsHeadingTheWarningsTheTableAndTheNotesByColumn() {
        ComparisonTable<Double> table = new ComparisonTable<Double>(List.of("Tributary", "Mosquitto"), "Tributary",
                r -> null)
                .warnings(r -> r > 150 ? "**fast**\n\n" : "")
                .notes(r -> r > 150 ? List.of("one note") : List.of())
                .row("msg/s", r -> Formats.rate(r), r -> r);
        Map<String, Double> byColumn = new LinkedHashMap<>();
        byColumn.put("Tributary", 300.0);
        byColumn.put("Mosquitto", 100.0);
        assertEquals("""
                ## fan-in: 4 publishers

                **fast**

                | metric | Tributary | Mosquitto | Tributary / Mosquitto |
                |---|---:|---:|---:|
                | msg/s | 300 | 100 | 3.00× |

                Notes:

                - Tributary: one note
                """, table.section("fan-in: 4 publishers", byColumn));
    }

    @Test
    void aLossIsNeverRoundedToOneHundredPercent() {
        assertEquals("99.9999%", Formats.percent(0.9999996));
        assertEquals("100%", Formats.percent(1.0));
    }
}
