package org.diff2dgs.batch.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.Results;
import org.diff2dgs.core.io.AtomicFiles;
import org.diff2dgs.core.io.Json;

/** Writes every report file of a batch into its output folder, each atomically. */
final class ReportWriter {

    private ReportWriter() {
    }

    static List<Path> write(Experiment e, Results r) {
        List<Path> files = new ArrayList<>();
        Path out = e.out();
        List<String> charts = ChartReport.write(e, r);
        SnapshotGallery.Gallery snapshots = SnapshotGallery.of(e);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", e.name());
        json.put("file", e.file().toString());
        json.put("out", out.toString());
        json.put("generatedAt", Instant.now().toString());
        json.put("cells", r.cells().size());
        json.put("done", r.cells().stream().filter(c -> c.done()).count());
        json.put("failed", r.failed());
        json.put("unfinished", r.unfinished());
        json.put("protocols", r.protocolDescriptions());
        json.put("cellResults", r.cells());
        json.put("summary", r.summary());
        json.put("records", r.records());
        json.put("charts", charts);
        json.put("snapshots3d", snapshots.pictures());
        json.put("snapshots3dMissing", snapshots.missing());
        Path resultsJson = out.resolve("results.json");
        Json.write(resultsJson, json);
        files.add(resultsJson);

        Path csv = out.resolve("results.csv");
        AtomicFiles.writeString(csv, CsvReport.results(r.records()));
        files.add(csv);
        Path summary = out.resolve("summary.csv");
        AtomicFiles.writeString(summary, CsvReport.summary(r.summary()));
        files.add(summary);
        Path md = out.resolve("results.md");
        AtomicFiles.writeString(md, MarkdownReport.render(e, r, charts, SnapshotGallery.markdown(e, snapshots)));
        files.add(md);
        charts.forEach(c -> files.add(out.resolve(c)));
        return files;
    }
}
