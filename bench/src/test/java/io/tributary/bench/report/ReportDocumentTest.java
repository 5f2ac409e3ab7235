package io.tributary.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportDocumentTest {

    @Test
    void theFileHasTheHeaderThenASummaryAddedLastAndTheSectionsInTheirOrder() {
        ReportDocument document = new ReportDocument(List.of("# title", "", "## Method"));
        document.add("## sql\n");
        document.add("## webhook\n");
        document.addFirst("## Summary\n");
        assertEquals("# title\n\n## Method\n\n## Systems\n\n## Summary\n\n## sql\n\n## webhook\n",
                document.render(List.of("", "## Systems")));
    }
}
