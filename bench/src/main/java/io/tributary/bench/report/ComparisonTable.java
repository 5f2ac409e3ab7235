package io.tributary.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The one shape of every report section of every benchmark: a heading, the warnings about losses, a markdown table
 * (a row per metric, a column per broker, system or run, and a ratio column "reference / other" for each other column
 * when there is a reference, Tributary in this project's runs) and the notes under it.
 *
 * @param <R> the result type a row reads its value from
 */
final class ComparisonTable<R> {

    private record Row<R>(String label, Function<R, String> text, ToDoubleFunction<R> value) {
    }

    private final List<String> brokers;
    private final String reference;
    private final Function<R, String> failure;
    private final List<Row<R>> rows = new ArrayList<>();
    private Function<R, String> warnings = r -> "";
    private Function<R, List<String>> notes = r -> List.of();

    /**
     * @param brokers column order
     * @param reference the broker in the numerator of every ratio, or null for no ratio columns
     * @param failure a short reason when a result holds no measurement (shown in every cell), else null
     */
    ComparisonTable(List<String> brokers, String reference, Function<R, String> failure) {
        this.brokers = List.copyOf(brokers);
        this.failure = failure;
        this.reference = reference != null && brokers.contains(reference) && brokers.size() > 1 ? reference : null;
    }

    /** A row whose ratio columns divide the numbers given by {@code value} (NaN for none). */
    ComparisonTable<R> row(String label, Function<R, String> text, ToDoubleFunction<R> value) {
        rows.add(new Row<>(label, text, value));
        return this;
    }

    /** A row without ratios. */
    ComparisonTable<R> row(String label, Function<R, String> text) {
        return row(label, text, r -> Double.NaN);
    }

    /** What to say above the table about a result ("" for nothing): losses, a death. */
    ComparisonTable<R> warnings(Function<R, String> warnings) {
        this.warnings = warnings;
        return this;
    }

    /** The notes under the table for a result, each shown with its column's name. */
    ComparisonTable<R> notes(Function<R, List<String>> notes) {
        this.notes = notes;
        return this;
    }

    /** The whole section: {@code ## heading}, the warnings, the table and the notes, for results by column name. */
    String section(String heading, Map<String, R> byColumn) {
        StringBuilder out = new StringBuilder("## ").append(heading).append("\n\n");
        byColumn.values().forEach(r -> out.append(warnings.apply(r)));
        out.append(render(byColumn));
        out.append(Notes.render(byColumn.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), notes.apply(e.getValue()))).toList()));
        return out.toString();
    }

    /** The table for results by broker name; a broker without a result shows dashes. */
    String render(Map<String, R> byBroker) {
        List<R> ordered = new ArrayList<>();
        brokers.forEach(b -> ordered.add(byBroker.get(b)));
        return render(ordered);
    }

    /** The table; {@code results} holds one result per broker in column order, null where it did not run. */
    String render(List<R> results) {
        List<String> others = reference == null ? List.of()
                : brokers.stream().filter(b -> !b.equals(reference)).toList();
        StringBuilder out = new StringBuilder();
        out.append("| metric |");
        brokers.forEach(b -> out.append(' ').append(b).append(" |"));
        others.forEach(o -> out.append(' ').append(reference).append(" / ").append(o).append(" |"));
        out.append("\n|---|");
        brokers.forEach(b -> out.append("---:|"));
        others.forEach(o -> out.append("---:|"));
        out.append('\n');
        R ours = reference == null ? null : results.get(brokers.indexOf(reference));
        for (Row<R> row : rows) {
            out.append("| ").append(row.label()).append(" |");
            for (R result : results) {
                String cell = result == null ? Formats.NONE
                        : failure.apply(result) != null ? "failed" : row.text().apply(result);
                out.append(' ').append(cell).append(" |");
            }
            for (String other : others) {
                R theirs = results.get(brokers.indexOf(other));
                String ratio = ours == null || theirs == null || failure.apply(ours) != null
                        || failure.apply(theirs) != null ? Formats.NONE
                        : Formats.ratio(row.value().applyAsDouble(ours), row.value().applyAsDouble(theirs));
                out.append(' ').append(ratio).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }
}
