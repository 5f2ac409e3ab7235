package io.tributary.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's markdown report as it is built: the header, then the sections in order, each printed to the console
 * as soon as it is added so that a long run shows its tables as it goes.
 */
public final class ReportDocument {

    private final List<String> header;
    private final List<String> sections = new ArrayList<>();

    /** Prints the header. */
    public ReportDocument(List<String> header) {
        this.header = List.copyOf(header);
        System.out.println(String.join("\n", header));
    }

    /** Prints a section and appends it. */
    public void add(String section) {
        System.out.println();
        System.out.println(section);
        sections.add(section);
    }

    /** Prints a section and puts it before the others (a summary that can only be written at the end). */
    public void addFirst(String section) {
        System.out.println();
        System.out.println(section);
        sections.add(0, section);
    }

    /** The whole report; {@code moreHeader} goes under the header (what was only known once the runs were over). */
    public String render(List<String> moreHeader) {
        StringBuilder out = new StringBuilder();
        header.forEach(line -> out.append(line).append('\n'));
        moreHeader.forEach(line -> out.append(line).append('\n'));
        sections.forEach(section -> out.append('\n').append(section));
        return out.toString();
    }
}
