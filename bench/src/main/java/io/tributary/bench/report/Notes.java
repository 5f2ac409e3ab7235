package io.tributary.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The notes under a report table: one bullet per note, each led by the name of the column it belongs to. */
final class Notes {

    private Notes() {
    }

    /** A run's notes, led by why it failed if it did. */
    static List<String> of(String failure, List<String> notes) {
        List<String> all = new ArrayList<>();
        if (failure != null) {
            all.add("failed: " + failure);
        }
        all.addAll(notes);
        return all;
    }

    /** The "Notes:" section for notes by column name, or "" when there are none. */
    static String render(List<Map.Entry<String, List<String>>> byName) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<String>> entry : byName) {
            for (String note : entry.getValue()) {
                out.append("- ").append(entry.getKey()).append(": ").append(note.replace("\n", "\n  ")).append('\n');
            }
        }
        return out.length() == 0 ? "" : "\nNotes:\n\n" + out;
    }
}
